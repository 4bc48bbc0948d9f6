//! A ticket's page (what its QR code opens), calling and serving visitors from the
//! console, and the live updates of the queue page.

use crate::console::{day, get, location, login, post, text, try_login_from, Site, PASSWORD};
use axum::http::{header, StatusCode};
use guichet::core::queue::Action;
use guichet::staff;
use guichet::store::Change;
use http_body_util::BodyExt;
use std::time::Duration;

// ---------------------------------------------------------------------------
// The ticket page (QR code)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_ticket_page_shows_the_whole_request_and_what_is_missing() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&["id-card"], Some("mobility")).await;
    let browser = login(&router).await;
    let url = staff::ticket_url("http://192.168.1.20:8080", &ticket.token);
    assert_eq!(url, format!("http://192.168.1.20:8080/t/{}", ticket.token));
    assert_eq!(staff::ticket_url("http://192.168.1.20:8080/", &ticket.token), url);
    let response = get(&router, &format!("/t/{}", ticket.token), &browser.cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    for expected in [
        "A-001",
        "en attente",
        "Carte d'identité ou passeport",
        "France Titres et mairie",
        "Une photo d'identité de moins de 6 mois",
        "A avec lui ou elle : pièce d'identité",
        "N'a pas : accès à son e-mail, téléphone portable",
        "Prioritaire : a du mal à rester debout",
        "Parle anglais",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in the page");
    }
}

#[tokio::test]
async fn unknown_and_malformed_tokens_are_not_found() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    for token in ["0123456789abcdef0123456789abcdef", "abc", "0123456789ABCDEF0123456789ABCDEF", "%2e%2e"] {
        let response = get(&router, &format!("/t/{token}"), &browser.cookie).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{token}");
        assert!(text(response).await.contains("Ticket inconnu ou expiré"));
    }
}

#[tokio::test]
async fn a_stranger_scanning_a_ticket_logs_in_first_then_comes_back_to_it() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&[], None).await;
    let page = format!("/t/{}", ticket.token);
    let response = get(&router, &page, "").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/login?next={page}"));
    let login_page = text(get(&router, location(&response), "").await).await;
    assert!(login_page.contains(&format!(r#"name="next" value="{page}""#)));
    assert_eq!(location(&try_login_from(&router, None, "marie", PASSWORD, &page).await), page);
    assert_eq!(location(&try_login_from(&router, None, "marie", PASSWORD, "//evil.example/").await), "/");
}

#[tokio::test]
async fn a_finished_ticket_from_a_previous_day_is_expired() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    let finished = site.issue(&[], None).await;
    let still_open = site.issue(&[], None).await;
    for action in [Action::Call, Action::Finish] {
        site.store.act(finished.id, Change { desk: Some("Bureau 1".into()), ..Change::new(action) }).await.unwrap();
    }
    site.clock.set_day(day(24));
    let gone = get(&router, &format!("/t/{}", finished.token), &browser.cookie).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let open = get(&router, &format!("/t/{}", still_open.token), &browser.cookie).await;
    assert_eq!(open.status(), StatusCode::OK, "an open ticket from yesterday can still be closed");
}

// ---------------------------------------------------------------------------
// Calling and serving
// ---------------------------------------------------------------------------

#[tokio::test]
async fn call_next_calls_the_priority_visitor_first() {
    let site = Site::open().await;
    let router = site.router();
    let first = site.issue(&[], None).await;
    let urgent = site.issue(&[], Some("pregnancy")).await;
    let browser = login(&router).await;
    let fields = [("csrf", browser.csrf.as_str()), ("desk", "Bureau 2"), ("queue", "")];
    let response = post(&router, "/call-next", &browser.cookie, &fields).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, "/"));
    assert_eq!((site.status_of(urgent.id), site.status_of(first.id)), ("called", "waiting"));
    let page = text(get(&router, "/", &browser.cookie).await).await;
    assert!(page.contains(&format!("{} est appelé au bureau « Bureau 2 »", urgent.number)));
    assert!(page.contains(r#"<span class="status called">appelé</span>"#));
    assert!(page.contains(r#"value="Bureau 2""#), "the desk is remembered");
    let fragment = text(get(&router, "/queue", &browser.cookie).await).await;
    assert!(fragment.contains("1 en attente, 1 au bureau"));
}

#[tokio::test]
async fn call_next_with_nobody_waiting_says_so_kindly() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    let fields = [("csrf", browser.csrf.as_str()), ("desk", "Bureau 1")];
    assert_eq!(post(&router, "/call-next", &browser.cookie, &fields).await.status(), StatusCode::SEE_OTHER);
    assert!(text(get(&router, "/", &browser.cookie).await).await.contains("Personne n'attend pour le moment."));
}

#[tokio::test]
async fn a_request_is_served_from_its_page_and_its_outcome_recorded() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&[], None).await;
    let browser = login(&router).await;
    let page = format!("/t/{}", ticket.token);
    let act = |action: &'static str, outcome: &'static str| {
        let (router, browser, page) = (&router, &browser, &page);
        async move {
            let path = format!("/tickets/{}/{action}", ticket.id);
            let fields = [("csrf", browser.csrf.as_str()), ("desk", "Bureau 3"), ("outcome", outcome), ("back", page)];
            let response = post(router, &path, &browser.cookie, &fields).await;
            assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, page.as_str()));
        }
    };
    act("call", "").await;
    act("start", "").await;
    act("finish", "information").await;
    assert_eq!(site.status_of(ticket.id), "done");
    let html = text(get(&router, &page, &browser.cookie).await).await;
    assert!(html.contains("Information seulement"));
    assert!(html.contains("terminé"));
    act("requeue", "").await;
    let html = text(get(&router, &page, &browser.cookie).await).await;
    assert!(html.contains("Ce ticket a changé entre-temps"), "a done ticket cannot go back in the queue");
    let unknown_action = format!("/tickets/{}/explode", ticket.id);
    let bad = post(&router, &unknown_action, &browser.cookie, &[("csrf", &browser.csrf)]).await;
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------
// Live updates
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_new_ticket_is_pushed_to_open_queue_pages() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    let response = get(&router, "/events", &browser.cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = response.into_body();
    let ticket = site.issue(&[], None).await;
    let mut received = String::new();
    while !received.contains(&format!("data: issued {}", ticket.number)) {
        let frame = tokio::time::timeout(Duration::from_secs(1), body.frame()).await.expect("an event within 1 s");
        let frame = frame.expect("the stream is open").unwrap();
        received.push_str(&String::from_utf8_lossy(frame.data_ref().unwrap()));
    }
}
