//! Property tests of the staff console through its real router (tower's `oneshot`, no
//! socket): requests made of the console's own words in any order, query strings and
//! form bodies right or wrong, with no session, an agent's or an administrator's (and
//! that session's CSRF token, so forms get past the guard). Whatever comes: no panic,
//! no server error, and without a session no page shows a visitor's ticket.

use crate::console::{login_as, Browser, Site};
use crate::props::{cases, share};
use axum::body::Body;
use axum::http::{header, Method, Request, Response};
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use http_body_util::BodyExt;
use proptest::prelude::*;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use tower::ServiceExt;

/// Who sends the request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Nobody,
    /// A session cookie the console never gave.
    Forged,
    Agent,
    Admin,
}

#[derive(Debug, Clone)]
struct Sent {
    method: Method,
    who: Who,
    path: String,
    query: Vec<(String, String)>,
    /// A form (with the session's token when `csrf` is true) or raw bytes.
    form: Vec<(String, String)>,
    csrf: bool,
    raw: Option<Vec<u8>>,
}

/// One console, its tickets and two logged-in browsers, shared by every case.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    site: Site,
    browsers: Mutex<[Option<Browser>; 2]>,
    /// What only staff may read: the tickets' numbers, tokens and procedure.
    secrets: Vec<String>,
    ids: Vec<i64>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let (site, secrets, ids) = runtime.block_on(async {
            let site = Site::open().await;
            let (mut secrets, mut ids) = (vec!["Refaire mon permis de conduire".to_string()], Vec::new());
            for (queue, priority) in [('A', None), ('A', Some("disability")), ('C', None)] {
                let request = TicketRequest {
                    theme: "papiers".into(),
                    procedure: "permis-conduire".into(),
                    queue,
                    lang: Lang::Fr,
                    have: vec!["tax-notice".into()],
                    priority: priority.map(String::from),
                };
                let t = site.store.issue(request).await.unwrap();
                secrets.extend([t.number, t.token]);
                ids.push(t.id);
            }
            site.store.call_next("Bureau 7".into(), None).await.unwrap();
            (site, secrets, ids)
        });
        Fixture { runtime, site, browsers: Mutex::new([None, None]), secrets, ids }
    })
}

impl Fixture {
    /// The browser of `who`, logged in again if a case logged it out.
    async fn browser(&self, who: Who) -> Option<Browser> {
        let slot = match who {
            Who::Agent => 0,
            Who::Admin => 1,
            _ => return None,
        };
        let known = self.browsers.lock().unwrap()[slot].as_ref().map(|b| (b.cookie.clone(), b.csrf.clone()));
        let router = self.site.router();
        if let Some((cookie, csrf)) = known {
            if crate::console::get(&router, "/queue", &cookie).await.status().is_success() {
                return Some(Browser { cookie, csrf });
            }
        }
        let fresh = login_as(&router, ["marie", "claire"][slot]).await;
        let copy = Browser { cookie: fresh.cookie.clone(), csrf: fresh.csrf.clone() };
        self.browsers.lock().unwrap()[slot] = Some(fresh);
        Some(copy)
    }
}

/// Words of the console's addresses, and words it never uses.
fn segment() -> impl Strategy<Value = String> {
    let f = fixture();
    let mut words: Vec<String> = [
        "",
        "queue",
        "login",
        "logout",
        "t",
        "tickets",
        "call",
        "start",
        "finish",
        "absent",
        "cancel",
        "requeue",
        "transfer",
        "call-next",
        "day",
        "open",
        "help",
        "answer",
        "health",
        "borne",
        "admin",
        "compte",
        "journal",
        "accounts",
        "add",
        "role",
        "password",
        "unlock",
        "remove",
        "tableau",
        "board",
        "events",
        "chime.wav",
        "audio",
        "rapport",
        "rapport.csv",
        "rapport.json",
        "favicon.ico",
        "..",
        "%00",
        "%2F",
        "%",
        "é",
        "-1",
        "99999999999999999999",
        "0",
    ]
    .map(String::from)
    .to_vec();
    words.extend(f.secrets.iter().skip(1).cloned());
    words.extend(f.ids.iter().map(i64::to_string));
    prop_oneof![4 => proptest::sample::select(words), 1 => "[ -~é]{0,12}".prop_map(String::from)]
}

/// One of the console's own addresses, its `{…}` filled with one of its words, mostly
/// with the method it answers.
fn route() -> impl Strategy<Value = (Method, String)> {
    let gets = [
        "/",
        "/queue",
        "/login",
        "/t/{}",
        "/health",
        "/borne",
        "/admin",
        "/admin/compte",
        "/admin/journal",
        "/admin/tableau",
        "/board",
        "/board/events",
        "/board/audio/{}",
        "/rapport",
        "/rapport.csv",
        "/rapport.json",
        "/events",
    ];
    let posts =
        ["/login", "/logout", "/tickets/{}/{}", "/call-next", "/day/open", "/help/{}/answer", "/admin/accounts/{}"];
    let route = prop_oneof![
        proptest::sample::select(gets.to_vec()).prop_map(|r| (Method::GET, r)),
        proptest::sample::select(posts.to_vec()).prop_map(|r| (Method::POST, r)),
    ];
    (route, method(), proptest::bool::weighted(0.8), segment(), segment()).prop_map(
        |((right, route), any, keep, a, b)| {
            (if keep { right } else { any }, route.replacen("{}", &a, 1).replacen("{}", &b, 1))
        },
    )
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![4 => Just(Method::GET), 4 => Just(Method::POST), 1 => Just(Method::HEAD),
        1 => Just(Method::PUT), 1 => Just(Method::DELETE)]
}

fn field_value() -> impl Strategy<Value = String> {
    let f = fixture();
    let mut words: Vec<String> = [
        "",
        "Bureau 1",
        "Bureau 7",
        "A",
        "C",
        "Z",
        "AA",
        "done",
        "redirected",
        "no_show",
        "autonomy",
        "oui",
        "non",
        "nobody",
        "léa",
        "admin",
        "agent",
        "Tournesol 42 ! bis",
        "2026-11-01",
        "2026-02-30",
        "1",
        "-5",
        "0",
        "99999999999999999999",
        "/",
        "//evil.example",
        "/t/",
        "http://x",
        "<script>",
        "%ZZ",
    ]
    .map(String::from)
    .to_vec();
    words.push("x".repeat(20_000));
    words.extend(f.ids.iter().map(i64::to_string));
    prop_oneof![4 => proptest::sample::select(words), 1 => "[ -~é\u{0}\u{202e}]{0,20}".prop_map(String::from)]
}

fn field() -> impl Strategy<Value = (String, String)> {
    let names = [
        "csrf",
        "rev",
        "desk",
        "queue",
        "outcome",
        "redirect_to",
        "autonomy",
        "first_visit",
        "name",
        "password",
        "role",
        "next",
        "from",
        "to",
        "avant",
        "apres",
        "key",
        "after",
        "lang",
        "recent",
    ];
    (proptest::sample::select(names.to_vec()).prop_map(String::from), field_value())
}

fn sent() -> impl Strategy<Value = Sent> {
    let who = prop_oneof![Just(Who::Nobody), Just(Who::Forged), Just(Who::Agent), Just(Who::Admin)];
    let anywhere = (method(), proptest::collection::vec(segment(), 1..5))
        .prop_map(|(method, s)| (method, format!("/{}", s.join("/"))));
    let target = prop_oneof![3 => route(), 2 => anywhere];
    let raw = proptest::option::weighted(0.2, proptest::collection::vec(any::<u8>(), 0..200));
    let fields = || proptest::collection::vec(field(), 0..5);
    (target, who, fields(), fields(), any::<bool>(), raw)
        .prop_map(|((method, path), who, query, form, csrf, raw)| Sent { method, who, path, query, form, csrf, raw })
}

/// Percent-encodes what a browser would, and leaves a stray `%` now and then.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'%' if text.len().is_multiple_of(3) => "%".to_string(),
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

fn pairs(fields: &[(String, String)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

fn request(sent: &Sent, browser: Option<&Browser>) -> Request<Body> {
    let mut uri = sent.path.clone();
    if !sent.query.is_empty() {
        uri += &format!("?{}", pairs(&sent.query));
    }
    let mut builder = Request::builder().method(sent.method.clone()).uri(uri.as_str());
    match (browser, sent.who) {
        (Some(b), _) => builder = builder.header(header::COOKIE, &b.cookie),
        (None, Who::Forged) => builder = builder.header(header::COOKIE, format!("guichet_session={}", "ab".repeat(16))),
        _ => {}
    }
    let body = match (&sent.raw, browser) {
        (Some(raw), _) => Body::from(raw.clone()),
        (None, b) => {
            let mut form = sent.form.clone();
            if let (true, Some(b)) = (sent.csrf, b) {
                form.push(("csrf".into(), b.csrf.clone()));
            }
            Body::from(pairs(&form))
        }
    };
    builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(body).unwrap_or_else(|_| {
        // The generated address is not a URI at all: the server would never see it.
        Request::new(Body::empty())
    })
}

/// The body, or what came of it in a short while (a live stream never ends).
async fn body_of(response: Response<Body>) -> String {
    let mut body = response.into_body();
    let mut bytes = Vec::new();
    while let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_millis(50), body.frame()).await {
        if let Ok(data) = frame.into_data() {
            bytes.extend_from_slice(&data);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn any_request_gets_an_answer_and_no_ticket_leaks_without_a_session(sent in sent()) {
        let f = fixture();
        let (status, body, asked) = f.runtime.block_on(async {
            let browser = f.browser(sent.who).await;
            let request = request(&sent, browser.as_ref());
            let asked = format!("{} {:?}", request.uri(), sent.raw.as_ref().map_or(pairs(&sent.form), |r| String::from_utf8_lossy(r).into()));
            let response = f.site.router().oneshot(request).await.unwrap();
            let status = response.status();
            (status, body_of(response).await, asked)
        });
        prop_assert!(!status.is_server_error(), "{status} for {asked}: {body}");
        if matches!(sent.who, Who::Nobody | Who::Forged) {
            for secret in &f.secrets {
                let in_request = asked.contains(secret.as_str()) || asked.contains(&encode(secret));
                prop_assert!(in_request || !body.contains(secret.as_str()), "{secret} shown without a session to {asked}");
            }
        }
    }
}

#[test]
fn the_requests_reach_the_pages_behind_the_login() {
    let f = fixture();
    let mut statuses = std::collections::BTreeMap::new();
    let reached = share(sent(), 300, |sent| {
        if !matches!(sent.who, Who::Agent | Who::Admin) {
            return false;
        }
        let status = f.runtime.block_on(async {
            let browser = f.browser(sent.who).await;
            f.site.router().oneshot(request(&sent, browser.as_ref())).await.map(|r| r.status()).unwrap()
        });
        *statuses.entry(status.as_u16()).or_insert(0) += 1;
        status.is_success() || status.is_redirection()
    });
    assert!(reached >= 30, "{reached} of 300 requests got past the login and the guard: {statuses:?}");
}
