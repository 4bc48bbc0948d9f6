//! The staff console, driven through its router (no socket): the shared fixtures and
//! HTTP helpers, logging in, and what protects every page and form.

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use chrono::NaiveDate;
use guichet::clock::ManualClock;
use guichet::core::catalogue::Catalogue;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{self, IssuedTicket, Role, Store};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub(crate) const PASSWORD: &str = "Tournesol 42 !";

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// The built-in catalogue.
fn load_catalogue() -> Arc<Catalogue> {
    Arc::new(guichet::assets::load_catalogue(None).unwrap())
}

/// Hashing is slow on purpose: once for the whole test run.
fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| staff::hash_password(PASSWORD).unwrap()).clone()
}

pub(crate) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

pub(crate) struct Site {
    _dir: tempfile::TempDir,
    pub(crate) store: Store,
    pub(crate) clock: Arc<ManualClock>,
    console: Console,
}

impl Site {
    pub(crate) async fn with(config: ConsoleConfig) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(day(23)));
        let store = Store::open_with_clock(&dir.path().join("guichet.sqlite"), clock.clone()).unwrap();
        store.add_staff("marie".into(), password_hash(), Role::Agent).await.unwrap();
        store.add_staff("claire".into(), password_hash(), Role::Admin).await.unwrap();
        let console = Console::new(store.clone(), load_catalogue(), config).with_clock(clock.clone());
        Site { _dir: dir, store, clock, console }
    }

    pub(crate) async fn open() -> Site {
        Site::with(ConsoleConfig::default()).await
    }

    /// The console shows the health of a kiosk in this process.
    pub(crate) fn with_health(mut self, health: guichet::health::Health) -> Site {
        self.console = self.console.with_health(health);
        self
    }

    /// The console shows the figures of this network (`[network]`).
    pub(crate) fn with_network(mut self, network: guichet::store::network::Network) -> Site {
        self.console = self.console.with_network(network);
        self
    }

    pub(crate) fn router(&self) -> Router {
        self.console.router()
    }

    /// The console itself, to serve on a real socket.
    pub(crate) fn console(&self) -> Console {
        self.console.clone()
    }

    pub(crate) async fn issue(&self, have: &[&str], priority: Option<&str>) -> IssuedTicket {
        let request = TicketRequest {
            theme: "papiers".into(),
            procedure: "carte-identite".into(),
            queue: 'A',
            lang: Lang::En,
            have: have.iter().map(|h| h.to_string()).collect(),
            priority: priority.map(String::from),
        };
        self.store.issue(request).await.unwrap()
    }

    pub(crate) fn status_of(&self, id: i64) -> &'static str {
        self.row(id).status.as_str()
    }

    pub(crate) fn row(&self, id: i64) -> store::TicketRow {
        self.store.reader().with(|c| store::ticket_by_id(c, id)).unwrap().unwrap()
    }
}

/// A logged-in browser: its session cookie and the session's CSRF token.
pub(crate) struct Browser {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

// ---------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

pub(crate) fn form(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

pub(crate) async fn get(router: &Router, path: &str, cookie: &str) -> Response<Body> {
    let request = Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    router.clone().oneshot(request).await.unwrap()
}

pub(crate) async fn post(router: &Router, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Response<Body> {
    let request = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form(fields)))
        .unwrap();
    router.clone().oneshot(request).await.unwrap()
}

pub(crate) async fn text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub(crate) fn location(response: &Response<Body>) -> &str {
    response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// `name=value` of the cookie `name` the response sets, with its attributes.
pub(crate) fn set_cookie<'a>(response: &'a Response<Body>, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

pub(crate) fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

/// The first `csrf` hidden field of a page.
pub(crate) fn csrf_field(html: &str) -> String {
    let start = html.find(r#"name="csrf" value=""#).expect("a csrf field") + r#"name="csrf" value=""#.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Fills in the login form as a browser would; returns the answer and the form cookie.
async fn try_login(router: &Router, name: &str, password: &str, next: &str) -> Response<Body> {
    try_login_from(router, None, name, password, next).await
}

/// As [`try_login`], from the client address `from` (as the real server tells it).
pub(crate) async fn try_login_from(
    router: &Router,
    from: Option<SocketAddr>,
    name: &str,
    password: &str,
    next: &str,
) -> Response<Body> {
    try_login_with(router, from, "", name, password, next).await
}

/// As [`try_login_from`], from a browser that also holds the cookies `cookies` (`a=1; b=2`).
pub(crate) async fn try_login_with(
    router: &Router,
    from: Option<SocketAddr>,
    cookies: &str,
    name: &str,
    password: &str,
    next: &str,
) -> Response<Body> {
    let page = get(router, "/login", cookies).await;
    let mut cookie = cookie_pair(set_cookie(&page, "guichet_csrf").expect("a login csrf cookie"));
    if !cookies.is_empty() {
        cookie = format!("{cookies}; {cookie}");
    }
    let csrf = csrf_field(&text(page).await);
    let fields = [("name", name), ("password", password), ("csrf", &csrf), ("next", next)];
    let mut request = Request::post("/login")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form(&fields)))
        .unwrap();
    if let Some(addr) = from {
        request.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    }
    router.clone().oneshot(request).await.unwrap()
}

/// Marie, an agent, logged in.
pub(crate) async fn login(router: &Router) -> Browser {
    login_as(router, "marie").await
}

/// `name` logged in (marie is an agent, claire an administrator).
pub(crate) async fn login_as(router: &Router, name: &str) -> Browser {
    let response = try_login(router, name, PASSWORD, "").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = cookie_pair(set_cookie(&response, "guichet_session").expect("a session cookie"));
    let csrf = csrf_field(&text(get(router, "/", &cookie).await).await);
    Browser { cookie, csrf }
}

// ---------------------------------------------------------------------------
// Logging in
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_right_password_opens_a_session_in_a_strict_http_only_cookie() {
    let site = Site::open().await;
    let router = site.router();
    let response = try_login(&router, "marie", PASSWORD, "").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let cookie = set_cookie(&response, "guichet_session").unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let id = cookie_pair(cookie).trim_start_matches("guichet_session=").to_string();
    assert!(id.len() >= 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "at least 128 random bits: {id}");
    let page = get(&router, "/", &cookie_pair(cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(text(page).await.contains("Connecté : marie"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_get_the_same_refusal() {
    let site = Site::open().await;
    let router = site.router();
    for (name, password) in [("marie", "wrong"), ("nobody", PASSWORD)] {
        let response = try_login(&router, name, password, "").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(set_cookie(&response, "guichet_session").is_none());
        assert!(text(response).await.contains("Nom ou mot de passe incorrect."));
    }
}

#[tokio::test]
async fn a_name_is_locked_after_too_many_failures_even_for_the_right_password() {
    let site = Site::with(ConsoleConfig { max_failures: 3, lockout_minutes: 15, ..ConsoleConfig::default() }).await;
    let router = site.router();
    for name in ["marie", "nobody"] {
        for _ in 0..2 {
            assert_eq!(try_login(&router, name, "wrong", "").await.status(), StatusCode::UNAUTHORIZED);
        }
        let third = try_login(&router, name, "wrong", "").await;
        assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS, "{name}");
        assert!(text(third).await.contains("Compte bloqué pendant 15 minutes"));
    }
    let right = try_login(&router, "marie", PASSWORD, "").await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(set_cookie(&right, "guichet_session").is_none());
    assert!(text(right).await.contains("Compte bloqué pendant 15 minutes"));
}

#[tokio::test]
async fn an_expired_session_leads_back_to_the_login_page() {
    let site = Site::with(ConsoleConfig { session_minutes: 0, ..ConsoleConfig::default() }).await;
    let router = site.router();
    let response = try_login(&router, "marie", PASSWORD, "").await;
    let cookie = cookie_pair(set_cookie(&response, "guichet_session").unwrap());
    let page = get(&router, "/", &cookie).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&page), "/login");
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    let response = post(&router, "/logout", &browser.cookie, &[("csrf", &browser.csrf)]).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, "/login"));
    assert_eq!(get(&router, "/", &browser.cookie).await.status(), StatusCode::SEE_OTHER);
}

// ---------------------------------------------------------------------------
// Protection of every page and form
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_post_without_the_session_csrf_token_is_refused_and_changes_nothing() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&[], None).await;
    let browser = login(&router).await;
    let path = format!("/tickets/{}/cancel", ticket.id);
    for fields in [vec![], vec![("csrf", "0".repeat(64))], vec![("csrf", browser.csrf.to_uppercase())]] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = post(&router, &path, &browser.cookie, &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(text(response).await.contains("Action refusée"));
    }
    assert_eq!(site.status_of(ticket.id), "waiting");
    let forged_login = post(&router, "/login", "", &[("name", "marie"), ("password", PASSWORD), ("csrf", "x")]).await;
    assert_eq!(forged_login.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_post_from_another_site_is_refused() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    let request = Request::post("/call-next")
        .header(header::HOST, "192.168.1.20:8080")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::COOKIE, &browser.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form(&[("csrf", &browser.csrf), ("desk", "Bureau 1")])))
        .unwrap();
    assert_eq!(router.oneshot(request).await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_page_forbids_caching_framing_and_foreign_scripts() {
    let site = Site::open().await;
    let router = site.router();
    let response = get(&router, "/login", "").await;
    let headers = response.headers().clone();
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(text(response).await.contains(&format!(r#"<style nonce="{nonce}">"#)));
    assert_eq!(text(get(&router, "/health", "").await).await, "ok");
}
