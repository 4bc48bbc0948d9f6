//! "Suivre mon tour" (src/follow), driven through its router: the page a visitor's phone
//! opens from the ticket's second QR code, its live stream, the "not found" page, the
//! headers, the rate per client, and the token's life (one service day, kept hashed).

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use chrono::NaiveDate;
use guichet::clock::ManualClock;
use guichet::core::follow::Office;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::queue::Action;
use guichet::follow::{follow_url, Follow, FollowConfig};
use guichet::store::{Change, IssuedTicket, Store};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

struct Office1 {
    dir: tempfile::TempDir,
    store: Store,
    clock: Arc<ManualClock>,
    app: Router,
}

fn office() -> Office1 {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(23)));
    let store = Store::open_with_clock(&dir.path().join("guichet.sqlite"), clock.clone()).unwrap();
    let config = FollowConfig {
        site_name: "France Services de Saint-Flour".into(),
        office: Office { minutes_per_visit: 15, desks: 2 },
    };
    let app = Follow::new(store.clone(), config).with_clock(clock.clone()).router();
    Office1 { dir, store, clock, app }
}

/// A ticket for an identity card, with the documents the visitor has and a priority reason.
fn request(lang: Lang, priority: Option<&str>) -> TicketRequest {
    TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue: 'A',
        lang,
        have: vec!["photo".into(), "justificatif-domicile".into()],
        priority: priority.map(String::from),
    }
}

async fn issue(o: &Office1, lang: Lang) -> IssuedTicket {
    o.store.issue(request(lang, None)).await.unwrap()
}

fn path(t: &IssuedTicket) -> String {
    let token = t.follow.as_deref().expect("the ticket has a follow token");
    follow_url("", token)
}

async fn get_from(app: &Router, uri: &str, from: &str) -> Response<Body> {
    let mut request = Request::get(uri).body(Body::empty()).unwrap();
    let addr: SocketAddr = from.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    app.clone().oneshot(request).await.unwrap()
}

async fn get(app: &Router, uri: &str) -> Response<Body> {
    get_from(app, uri, "192.168.1.40:50000").await
}

async fn text(response: Response<Body>) -> String {
    String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

#[tokio::test]
async fn the_page_shows_number_place_and_wait_in_the_visitors_language_and_nothing_of_the_request() {
    let o = office();
    issue(&o, Lang::Fr).await;
    issue(&o, Lang::Fr).await;
    let mine = o.store.issue(request(Lang::Ar, Some("pregnancy"))).await.unwrap();
    let later = issue(&o, Lang::Uk).await;
    let page = get(&o.app, &path(&mine)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = text(page).await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
    assert!(html.contains(&mine.number), "the number");
    assert!(html.contains("متابعة دوري"), "the title in Arabic: {html}");
    // A priority need goes first: nobody is ahead of it.
    assert!(html.contains("أنت الشخص التالي"), "next, in Arabic: {html}");
    let uk = text(get(&o.app, &path(&later)).await).await;
    assert!(uk.contains(r#"<html lang="uk" dir="ltr">"#));
    assert!(uk.contains("3 людини перед вами"), "three ahead, the Ukrainian form for 3: {uk}");
    assert!(uk.contains("Очікування: від 15 до 35 хвилин."), "the kiosk's estimate, in Ukrainian: {uk}");
    assert!(!uk.contains("Ваша черга наближається"), "three ahead is not near yet");
    // Nothing about the request, on the page nor in its live part.
    for html in [&html, &uk] {
        for private in [
            "papiers",
            "carte-identite",
            "Carte d'identité",
            "photo",
            "justificatif",
            "pregnancy",
            "enceinte",
            &mine.token,
            &later.token,
            "/t/",
        ] {
            assert!(!html.contains(private), "the page shows \"{private}\"");
        }
    }
}

#[tokio::test]
async fn the_near_note_shows_with_two_or_fewer_ahead() {
    let o = office();
    for _ in 0..2 {
        issue(&o, Lang::Fr).await;
    }
    let mine = issue(&o, Lang::Fr).await;
    let html = text(get(&o.app, &path(&mine)).await).await;
    assert!(html.contains("2 personnes avant vous"), "{html}");
    assert!(html.contains("Votre tour approche"), "{html}");
    assert!(html.contains(r#"data-kind="near""#));
}

/// The next event of an event stream (its `event:` name and its `data:`).
async fn next_event(body: &mut Body) -> (String, String) {
    let mut buffer = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), body.frame()).await;
        let frame = frame.expect("an event within 10 s").expect("the stream is open").unwrap();
        let Ok(data) = frame.into_data() else { continue };
        buffer.push_str(std::str::from_utf8(&data).unwrap());
        if let Some(end) = buffer.find("\n\n") {
            let block = buffer[..end].to_string();
            let field = |name: &str| {
                block.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
            };
            if block.starts_with(':') {
                buffer.drain(..end + 2);
                continue;
            }
            return (field("event:"), field("data:"));
        }
    }
}

fn turn(data: &str) -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(data).unwrap();
    (v["kind"].as_str().unwrap().to_string(), v["html"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn the_stream_tells_each_change_and_the_call_with_its_desk() {
    let o = office();
    for _ in 0..3 {
        issue(&o, Lang::Fr).await;
    }
    let mine = issue(&o, Lang::En).await;
    let response = get(&o.app, &format!("{}/events", path(&mine))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = response.into_body();
    let (event, data) = next_event(&mut body).await;
    assert_eq!(event, "turn");
    let (kind, html) = turn(&data);
    assert_eq!((kind.as_str(), html.contains("3 people ahead of you")), ("waiting", true), "{html}");
    o.store.call_next("Bureau 1".into(), None).await.unwrap();
    let (kind, html) = turn(&next_event(&mut body).await.1);
    assert_eq!(kind, "near");
    assert!(html.contains("2 people ahead of you") && html.contains("Your turn is coming soon"), "{html}");
    o.store.call_next("Bureau 2".into(), None).await.unwrap();
    o.store.call_next("Bureau 1".into(), None).await.unwrap();
    // Each change is told; the last one is the one that counts.
    let mut seen = turn(&next_event(&mut body).await.1);
    while !seen.1.contains("You are the next person") {
        seen = turn(&next_event(&mut body).await.1);
    }
    let called = o.store.call_next("Salle Marianne".into(), None).await.unwrap();
    assert_eq!(called.number, mine.number);
    let (kind, html) = turn(&next_event(&mut body).await.1);
    assert_eq!(kind, "called");
    assert!(html.contains("It's your turn!") && html.contains("Salle Marianne"), "{html}");
    assert!(!html.contains(&mine.token));
    // Recalled (the visitor did not come): told again, so the phone rings again.
    let change = Change { desk: Some("Salle Marianne".into()), ..Change::new(Action::Call) };
    o.store.act(called.id, change).await.unwrap();
    let (event, data) = next_event(&mut body).await;
    let recall: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!((event.as_str(), recall["kind"].as_str(), recall["calls"].as_u64()), ("turn", Some("called"), Some(2)));
}

#[tokio::test]
async fn unknown_malformed_and_yesterdays_links_get_one_404_page_in_every_language() {
    let o = office();
    let mine = issue(&o, Lang::Tr).await;
    let unknown = follow_url("", &"0".repeat(32));
    let staff_token = format!("/s/{}", mine.token);
    let mut pages = Vec::new();
    for uri in [unknown.as_str(), "/s/A-001", "/s/", "/s/../../etc/passwd", staff_token.as_str(), "/t/abc", "/nothing"]
    {
        let response = get(&o.app, uri).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        pages.push(text(response).await);
    }
    assert!(pages.windows(2).all(|w| w[0] == w[1]), "the same page whatever the address");
    let page = &pages[0];
    assert!(page.contains("Ticket introuvable") && page.contains(r#"<section lang="ar" dir="rtl">"#));
    for lang in Lang::ALL {
        let said = guichet::follow::text::tr(lang, guichet::follow::text::NOT_FOUND_WHY);
        assert!(page.contains(&said.replace('\'', "&#39;")) || page.contains(&said), "{lang}: {said}");
    }
    // Valid today; not tomorrow, even before anything is issued that day.
    assert_eq!(get(&o.app, &path(&mine)).await.status(), StatusCode::OK);
    o.clock.set_day(day(24));
    assert_eq!(get(&o.app, &path(&mine)).await.status(), StatusCode::NOT_FOUND, "yesterday's link");
    assert_eq!(get(&o.app, &format!("{}/events", path(&mine))).await.status(), StatusCode::NOT_FOUND);
    let today = issue(&o, Lang::Tr).await;
    assert_eq!(get(&o.app, &path(&today)).await.status(), StatusCode::OK, "today's ticket");
}

#[tokio::test]
async fn an_open_stream_says_gone_when_the_day_changes() {
    let o = office();
    let mine = issue(&o, Lang::Fr).await;
    let mut body = get(&o.app, &format!("{}/events", path(&mine))).await.into_body();
    assert_eq!(next_event(&mut body).await.0, "turn");
    o.clock.set_day(day(24));
    // The next look (a store event, or within 5 s) finds the link expired.
    issue(&o, Lang::Fr).await;
    assert_eq!(next_event(&mut body).await, ("gone".to_string(), "gone".to_string()));
}

#[tokio::test]
async fn only_the_tokens_hash_is_stored() {
    let o = office();
    let mine = issue(&o, Lang::Fr).await;
    let token = mine.follow.clone().unwrap();
    let db = o.dir.path().join("guichet.sqlite");
    let stored: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT follow_hash FROM tickets WHERE id = ?1", [mine.id], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, guichet::store::follow_hash(&token));
    for file in ["guichet.sqlite", "guichet.sqlite-wal"] {
        let bytes = std::fs::read(o.dir.path().join(file)).unwrap_or_default();
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "{file} holds the token");
    }
    assert_ne!(token, mine.token, "not the staff link's token");
}

#[tokio::test]
async fn every_response_has_the_security_headers_and_the_page_no_inline_code() {
    let o = office();
    let mine = issue(&o, Lang::Fr).await;
    let events = format!("{}/events", path(&mine));
    for uri in [path(&mine).as_str(), "/nothing", "/follow.css", "/follow.js", "/chime.wav", events.as_str()] {
        let response = get(&o.app, uri).await;
        let h = response.headers();
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'"), "{uri}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{uri}");
        assert!(h.get(header::SET_COOKIE).is_none(), "{uri}: no cookie");
    }
    let page = get(&o.app, &path(&mine)).await;
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
    let html = text(page).await;
    assert!(!html.contains("<style") && !html.contains(" style="), "no inline style");
    assert_eq!(html.matches("<script").count(), html.matches(r#"<script src="/follow.js" defer>"#).count());
    assert!(!has_inline_handler(&html), "no inline event handler");
}

/// Whether `html` has an event handler attribute (` onclick=`…).
fn has_inline_handler(html: &str) -> bool {
    html.split(" on").skip(1).any(|rest| {
        let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    })
}

#[tokio::test]
async fn a_client_over_its_rate_is_told_to_wait_and_others_are_not() {
    let o = office();
    let mine = issue(&o, Lang::Fr).await;
    let mut refused = 0;
    for _ in 0..310 {
        let response = get_from(&o.app, "/follow.css", "10.9.9.9:4000").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(response.headers()[header::RETRY_AFTER], "60");
            refused += 1;
        }
    }
    assert_eq!(refused, 10, "300 requests a minute per client");
    let other = get_from(&o.app, &path(&mine), "10.9.9.10:4000").await;
    assert_eq!(other.status(), StatusCode::OK, "another phone is served");
    let same = get_from(&o.app, &path(&mine), "10.9.9.9:4001").await;
    assert_eq!(same.status(), StatusCode::TOO_MANY_REQUESTS, "the same phone on another port is not");
}

#[tokio::test]
async fn only_get_is_served_and_no_input_makes_a_server_error() {
    let o = office();
    let mine = issue(&o, Lang::Fr).await;
    let post = Request::post(path(&mine)).body(Body::from("x=1")).unwrap();
    let response = o.app.clone().oneshot(post).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    for uri in ["/s/%00", "/s/%ff%fe", &format!("{}?x=%3Cscript%3E", path(&mine)), "/s/\u{00e9}", "//s//", "/s/a/b/c/d"]
    {
        let uri = uri.replace('\u{00e9}', "%C3%A9");
        let response = get(&o.app, &uri).await;
        assert!(
            response.status().is_success() || response.status() == StatusCode::NOT_FOUND,
            "{uri}: {}",
            response.status()
        );
    }
}

#[test]
fn the_server_listens_on_its_port_and_answers_in_plain_http() {
    use std::io::{Read, Write};
    let o = office();
    let config = FollowConfig { site_name: "Test".into(), office: Office { minutes_per_visit: 15, desks: 2 } };
    let server = guichet::follow::spawn(
        Follow::new(o.store.clone(), config).with_clock(o.clock.clone()),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let mine = o.store.issue(request(Lang::Es, None)).wait().unwrap();
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path(&mine)).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("Su número") && answer.contains(&mine.number));
    server.stop();
}

/// Any address a phone (or anyone on the guest Wi-Fi) may ask for: never a server error,
/// never a ticket's page but from its own token.
#[test]
fn no_address_makes_a_server_error_or_opens_a_ticket() {
    use proptest::prelude::*;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let o = office();
    let mine = runtime.block_on(issue(&o, Lang::Fr));
    let token = mine.follow.clone().unwrap();
    let paths = prop_oneof![
        "/[a-z0-9/%._~?=&-]{0,60}",
        "/s/[0-9a-f]{30,34}(/events)?",
        Just(format!("/s/{}", &token[..31])),
        Just(format!("/s/{}", token.to_uppercase())),
    ];
    let mut runner = proptest::test_runner::TestRunner::new(crate::props::cases(120));
    runner
        .run(&paths, |path| {
            let Ok(uri) = path.parse::<axum::http::Uri>() else { return Ok(()) };
            // One client, under its rate (the rate is tested on its own).
            let response = runtime.block_on(get_from(&o.app, &uri.to_string(), "10.1.2.3:5000"));
            let status = response.status();
            prop_assert!(!status.is_server_error(), "{path}: {status}");
            let body = runtime.block_on(text(response));
            prop_assert!(!body.contains(&mine.number), "{path} shows the ticket");
            Ok(())
        })
        .unwrap();
}
