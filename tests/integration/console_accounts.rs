//! Accounts and trust on the staff console: roles (an agent cannot reach the admin pages),
//! accounts managed by an administrator, sessions that end at once when an account goes or
//! its password changes (here or from the terminal), the login throttle per address and
//! per (address, name) under concurrent attempts, unlocking, and the audit log.

use crate::console::{
    cookie_pair, get, location, login, login_as, post, set_cookie, text, try_login_from, Site, PASSWORD,
};
use axum::http::StatusCode;
use axum::Router;
use guichet::staff::{self, ConsoleConfig};
use guichet::store::Role;
use std::net::SocketAddr;

const NEW_PASSWORD: &str = "Lavande et thym 7";

fn from(ip: &str) -> Option<SocketAddr> {
    Some(SocketAddr::new(ip.parse().unwrap(), 50_000))
}

/// The session cookie of a login that worked.
fn session_of(response: &axum::http::Response<axum::body::Body>) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the login should work");
    cookie_pair(set_cookie(response, "guichet_session").expect("a session cookie"))
}

async fn admin_post(router: &Router, op: &str, cookie: &str, csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(fields);
    let response = post(router, &format!("/admin/accounts/{op}"), cookie, &all).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, "/admin"), "{op}");
    text(get(router, "/admin", cookie).await).await
}

#[tokio::test]
async fn an_agent_cannot_reach_the_admin_pages_and_a_stranger_gets_nothing() {
    let site = Site::open().await;
    let router = site.router();
    let marie = login(&router).await;
    for path in ["/admin", "/admin/journal", "/admin/compte?name=claire"] {
        let response = get(&router, path, &marie.cookie).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(text(response).await.contains("Réservé aux administrateurs"));
        let stranger = get(&router, path, "").await;
        assert_eq!(stranger.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&stranger).starts_with("/login"));
    }
    let fields = [
        ("csrf", marie.csrf.as_str()),
        ("name", "intrus"),
        ("role", "admin"),
        ("password", NEW_PASSWORD),
        ("again", NEW_PASSWORD),
    ];
    let response = post(&router, "/admin/accounts/add", &marie.cookie, &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = post(
        &router,
        "/admin/accounts/role",
        &marie.cookie,
        &[("csrf", &marie.csrf), ("name", "marie"), ("role", "admin")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let names = site.store.reader().with(guichet::store::accounts).unwrap();
    assert_eq!(
        names.iter().map(|a| (a.name.as_str(), a.role)).collect::<Vec<_>>(),
        vec![("claire", Role::Admin), ("marie", Role::Agent)]
    );
    assert!(
        !text(get(&router, "/", &marie.cookie).await).await.contains(r#"href="/admin""#),
        "no admin link for agents"
    );
}

#[tokio::test]
async fn an_admin_adds_an_agent_and_a_removed_account_is_out_at_once() {
    let site = Site::open().await;
    let router = site.router();
    let claire = login_as(&router, "claire").await;
    assert!(text(get(&router, "/", &claire.cookie).await).await.contains(r#"href="/admin""#));
    let short = admin_post(
        &router,
        "add",
        &claire.cookie,
        &claire.csrf,
        &[("name", "paul"), ("role", "agent"), ("password", "trop court"), ("again", "trop court")],
    )
    .await;
    assert!(short.contains("au moins 12 caractères"), "{short}");
    let differ = admin_post(
        &router,
        "add",
        &claire.cookie,
        &claire.csrf,
        &[("name", "paul"), ("role", "agent"), ("password", NEW_PASSWORD), ("again", "Lavande et thym 8")],
    )
    .await;
    assert!(differ.contains("différents"));
    let added = admin_post(
        &router,
        "add",
        &claire.cookie,
        &claire.csrf,
        &[("name", " paul "), ("role", "agent"), ("password", NEW_PASSWORD), ("again", NEW_PASSWORD)],
    )
    .await;
    assert!(added.contains("Le compte « paul » est créé."), "{added}");
    let paul = session_of(&try_login_from(&router, None, "paul", NEW_PASSWORD, "").await);
    assert_eq!(get(&router, "/", &paul).await.status(), StatusCode::OK);
    assert_eq!(get(&router, "/admin", &paul).await.status(), StatusCode::FORBIDDEN, "an agent");

    let removed = admin_post(&router, "remove", &claire.cookie, &claire.csrf, &[("name", "paul")]).await;
    assert!(removed.contains("Le compte « paul » est supprimé."));
    let response = get(&router, "/", &paul).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, "/login"), "out at once");
    assert_eq!(try_login_from(&router, None, "paul", NEW_PASSWORD, "").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_changed_from_the_terminal_ends_the_session_at_once() {
    let site = Site::open().await;
    let router = site.router();
    let marie = login(&router).await;
    // What `guichet staff passwd` does, from another process: only the database changes.
    let hash = staff::hash_password(NEW_PASSWORD).unwrap();
    assert!(site.store.set_password("marie".into(), hash).await.unwrap());
    let response = get(&router, "/queue", &marie.cookie).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the old session is out");
    assert_eq!(try_login_from(&router, None, "marie", PASSWORD, "").await.status(), StatusCode::UNAUTHORIZED);
    session_of(&try_login_from(&router, None, "marie", NEW_PASSWORD, "").await);
}

#[tokio::test]
async fn roles_change_at_the_next_request_and_one_administrator_always_remains() {
    let site = Site::open().await;
    let router = site.router();
    let claire = login_as(&router, "claire").await;
    let marie = login(&router).await;
    let alone = admin_post(&router, "remove", &claire.cookie, &claire.csrf, &[("name", "claire")]).await;
    assert!(alone.contains("seul administrateur"), "{alone}");
    let alone =
        admin_post(&router, "role", &claire.cookie, &claire.csrf, &[("name", "claire"), ("role", "agent")]).await;
    assert!(alone.contains("seul administrateur"));
    admin_post(&router, "role", &claire.cookie, &claire.csrf, &[("name", "marie"), ("role", "admin")]).await;
    assert_eq!(get(&router, "/admin", &marie.cookie).await.status(), StatusCode::OK, "marie's open session");
    admin_post(&router, "role", &claire.cookie, &claire.csrf, &[("name", "claire"), ("role", "agent")]).await;
    assert_eq!(get(&router, "/admin", &claire.cookie).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_concurrent_wrong_passwords_gets_no_more_checks_than_the_limit() {
    let site = Site::with(ConsoleConfig { max_failures: 3, lockout_minutes: 15, ..ConsoleConfig::default() }).await;
    let router = site.router();
    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let router = router.clone();
            tokio::spawn(async move {
                try_login_from(&router, from("10.0.0.9"), "marie", &format!("wrong {i}"), "").await.status()
            })
        })
        .collect();
    let mut refused = 0;
    let mut locked = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            StatusCode::UNAUTHORIZED => refused += 1,
            StatusCode::TOO_MANY_REQUESTS => locked += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((refused, locked), (2, 18), "two refusals, the third locks, the rest are never checked");
    let right = try_login_from(&router, from("10.0.0.9"), "marie", PASSWORD, "").await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    session_of(&try_login_from(&router, from("10.0.0.2"), "marie", PASSWORD, "").await);
}

#[tokio::test]
async fn one_address_trying_many_names_is_locked_and_an_unlock_frees_a_name() {
    let site = Site::with(ConsoleConfig { max_failures: 2, lockout_minutes: 15, ..ConsoleConfig::default() }).await;
    let router = site.router();
    for i in 0..8 {
        try_login_from(&router, from("10.0.0.9"), &format!("nom{i}"), "wrong", "").await;
    }
    let claire = try_login_from(&router, from("10.0.0.9"), "claire", PASSWORD, "").await;
    assert_eq!(claire.status(), StatusCode::TOO_MANY_REQUESTS, "the whole address is locked");
    session_of(&try_login_from(&router, from("10.0.0.2"), "claire", PASSWORD, "").await);

    for _ in 0..2 {
        try_login_from(&router, from("10.0.0.3"), "marie", "wrong", "").await;
    }
    let locked = try_login_from(&router, from("10.0.0.3"), "marie", PASSWORD, "").await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    // What `guichet staff unlock marie` does, from another process.
    assert!(site.store.unlock_staff("marie".into()).await.unwrap());
    session_of(&try_login_from(&router, from("10.0.0.3"), "marie", PASSWORD, "").await);
}

#[tokio::test]
async fn the_audit_log_says_who_did_what_from_where_and_never_an_unknown_name() {
    let site = Site::with(ConsoleConfig { max_failures: 2, ..ConsoleConfig::default() }).await;
    let router = site.router();
    let marie = session_of(&try_login_from(&router, from("192.168.1.21"), "marie", PASSWORD, "").await);
    try_login_from(&router, from("192.168.1.66"), "Tournesol 99", "x", "").await;
    for _ in 0..2 {
        try_login_from(&router, from("192.168.1.66"), "claire", "wrong", "").await;
    }
    let ticket = site.issue(&[], None).await;
    let csrf = crate::console::csrf_field(&text(get(&router, "/", &marie).await).await);
    let fields = [("csrf", csrf.as_str()), ("desk", "Bureau 2"), ("queue", "")];
    assert_eq!(post(&router, "/call-next", &marie, &fields).await.status(), StatusCode::SEE_OTHER);
    let claire = login_as(&router, "claire").await;
    let added = admin_post(
        &router,
        "add",
        &claire.cookie,
        &claire.csrf,
        &[("name", "paul"), ("role", "admin"), ("password", NEW_PASSWORD), ("again", NEW_PASSWORD)],
    )
    .await;
    assert!(added.contains("créé"));
    site.store.flush().await.unwrap();
    let journal = text(get(&router, "/admin/journal", &claire.cookie).await).await;
    for expected in [
        "Connexion",
        "192.168.1.21",
        "Connexion refusée (nom ou mot de passe)",
        "(nom inconnu)",
        "Nom bloqué après trop d",
        "Appelle la personne suivante",
        &ticket.number,
        "192.168.1.66",
        "Crée un compte",
        "paul (Administrateur)",
    ] {
        assert!(journal.contains(expected), "the journal lacks {expected}: {journal}");
    }
    assert!(!journal.contains("Tournesol 99"), "a name that is no account may be a password: not kept");
    let log = site.store.reader().with(|c| guichet::store::audit_log(c, 100)).unwrap();
    let actions: Vec<_> = log.iter().rev().map(|e| (e.actor.as_str(), e.action.as_str())).collect();
    assert_eq!(
        actions,
        vec![
            ("marie", "login"),
            ("(nom inconnu)", "login-failed"),
            ("claire", "login-failed"),
            ("claire", "locked"),
            ("marie", "call-next"),
            ("claire", "login"),
            ("claire", "account-add"),
        ]
    );
}

#[tokio::test]
async fn a_name_that_is_no_account_is_not_written_down_even_when_it_gets_locked() {
    let site = Site::with(ConsoleConfig { max_failures: 2, ..ConsoleConfig::default() }).await;
    let router = site.router();
    // A password typed into the name field, twice: the second attempt locks it.
    for _ in 0..2 {
        try_login_from(&router, from("192.168.1.66"), "Tournesol 99", "x", "").await;
    }
    site.store.flush().await.unwrap();
    let log = site.store.reader().with(|c| guichet::store::audit_log(c, 100)).unwrap();
    let actions: Vec<_> = log.iter().rev().map(|e| (e.actor.as_str(), e.action.as_str())).collect();
    assert_eq!(actions, vec![("(nom inconnu)", "login-failed"), ("(nom inconnu)", "locked")]);
    assert!(log.iter().all(|e| !e.detail.contains("Tournesol") && !e.actor.contains("Tournesol")), "{log:?}");
}

#[tokio::test]
async fn a_removed_then_re_created_account_does_not_bring_its_old_sessions_back() {
    let site = Site::open().await;
    let router = site.router();
    let hash = staff::hash_password(NEW_PASSWORD).unwrap();
    site.store.add_staff("paul".into(), hash.clone(), Role::Agent).await.unwrap();
    let old = session_of(&try_login_from(&router, None, "paul", NEW_PASSWORD, "").await);
    assert_eq!(get(&router, "/", &old).await.status(), StatusCode::OK);
    // What `guichet staff remove paul` then `guichet staff add paul` do, from another
    // process, with no request from the old session in between.
    assert!(site.store.remove_staff("paul".into()).await.unwrap());
    site.store.add_staff("paul".into(), hash, Role::Agent).await.unwrap();
    let response = get(&router, "/", &old).await;
    assert_eq!(
        (response.status(), location(&response)),
        (StatusCode::SEE_OTHER, "/login"),
        "the old cookie is refused"
    );
    let new = session_of(&try_login_from(&router, None, "paul", NEW_PASSWORD, "").await);
    assert_eq!(get(&router, "/", &new).await.status(), StatusCode::OK, "the new account logs in");
}

#[tokio::test]
async fn a_sixth_login_of_one_account_ends_its_oldest_session() {
    let site = Site::open().await;
    let router = site.router();
    let mut sessions = Vec::new();
    for _ in 0..6 {
        sessions.push(session_of(&try_login_from(&router, None, "marie", PASSWORD, "").await));
    }
    let oldest = get(&router, "/", &sessions[0]).await;
    assert_eq!((oldest.status(), location(&oldest)), (StatusCode::SEE_OTHER, "/login"), "the first is ended");
    for cookie in &sessions[1..] {
        assert_eq!(get(&router, "/", cookie).await.status(), StatusCode::OK, "the five newest stay");
    }
}
