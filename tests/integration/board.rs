//! The waiting-room board over HTTP: its address needs the key an administrator makes,
//! calls from two desks at once both reach it in order (and again after a reconnection),
//! and the spoken call is served as audio made on the kiosk.

use crate::console::{get, location, login, login_as, post, text, Browser, Site};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The administrator makes a board key; returns it as the admin page shows it.
async fn make_key(router: &Router, admin: &Browser) -> String {
    let response = post(router, "/admin/tableau", &admin.cookie, &[("csrf", &admin.csrf)]).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, "/admin/tableau"));
    let page = text(get(router, "/admin/tableau", &admin.cookie).await).await;
    let (_, after) = page.split_once("/board?key=").expect("the board's address is shown");
    after.chars().take_while(char::is_ascii_hexdigit).collect()
}

async fn status(router: &Router, path: &str) -> StatusCode {
    get(router, path, "").await.status()
}

#[tokio::test]
async fn the_board_opens_only_with_the_key_an_administrator_made() {
    let site = Site::open().await;
    let router = site.router();
    assert_eq!(status(&router, "/board?key=").await, StatusCode::NOT_FOUND, "no key made yet: no board");
    let marie = login(&router).await;
    let refused = text(post(&router, "/admin/tableau", &marie.cookie, &[("csrf", &marie.csrf)]).await).await;
    assert!(refused.contains("Réservé aux administrateurs"), "an agent cannot make the key");
    let claire = login_as(&router, "claire").await;
    let key = make_key(&router, &claire).await;
    assert_eq!(key.len(), 32, "128 random bits");
    assert_eq!(status(&router, "/board?key=0123").await, StatusCode::NOT_FOUND);
    let page = text(get(&router, &format!("/board?key={key}"), "").await).await;
    assert!(page.contains("Appel en cours") && page.contains("Activer le son des appels"), "{page}");
    assert!(!page.contains("carte-identite") && !page.contains("Déconnecter"), "numbers and desks only");
    let renewed = make_key(&router, &claire).await;
    assert_ne!(renewed, key);
    assert_eq!(status(&router, &format!("/board?key={key}")).await, StatusCode::NOT_FOUND, "the old address is dead");
    let journal = text(get(&router, "/admin/journal", &claire.cookie).await).await;
    assert!(journal.contains("Crée une nouvelle adresse du tableau"), "audited");
}

/// Reads server-sent events from `body` until `n` "call" events came; their JSON data.
async fn calls(body: &mut Body, n: usize) -> Vec<serde_json::Value> {
    let mut buffer = String::new();
    let mut found = Vec::new();
    while found.len() < n {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
            .await
            .expect("the board hears of the call within 10 s")
            .expect("the stream stays open")
            .unwrap();
        if let Ok(data) = frame.into_data() {
            buffer.push_str(std::str::from_utf8(&data).unwrap());
        }
        while let Some((event, rest)) = buffer.split_once("\n\n") {
            if event.contains("event: call") {
                let data = event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                found.push(serde_json::from_str(data).unwrap());
            }
            buffer = rest.to_string();
        }
    }
    found
}

async fn stream(router: &Router, path: &str, last_event: Option<i64>) -> Body {
    let mut request = Request::get(path);
    if let Some(id) = last_event {
        request = request.header("last-event-id", id.to_string());
    }
    let response = router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    response.into_body()
}

#[tokio::test]
async fn two_desks_calling_at_once_both_reach_the_board_in_order_none_skipped() {
    let site = Site::open().await;
    let router = site.router();
    let claire = login_as(&router, "claire").await;
    let key = make_key(&router, &claire).await;
    let mut board = stream(&router, &format!("/board/events?key={key}"), None).await;
    let first = site.issue(&[], None).await;
    let second = site.issue(&[], None).await;
    let marie = login(&router).await;
    let call = |who: &Browser, desk: &'static str| {
        let fields = [("csrf", who.csrf.clone()), ("desk", desk.to_string()), ("queue", String::new())];
        let router = router.clone();
        let cookie = who.cookie.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(&router, "/call-next", &cookie, &fields).await.status()
        }
    };
    let (a, b) = tokio::join!(call(&marie, "Bureau 1"), call(&claire, "Bureau 2"));
    assert_eq!((a, b), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
    let heard = calls(&mut board, 2).await;
    let ids: Vec<i64> = heard.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert!(ids[0] < ids[1], "in the order made: {ids:?}");
    let mut numbers: Vec<&str> = heard.iter().map(|c| c["number"].as_str().unwrap()).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [first.number.as_str(), second.number.as_str()], "both calls, none skipped");
    let mut desks: Vec<&str> = heard.iter().map(|c| c["desk"].as_str().unwrap()).collect();
    desks.sort_unstable();
    assert_eq!(desks, ["Bureau 1", "Bureau 2"]);
    // The visitors chose English: French first, then English, the whole twice.
    assert_eq!(heard[0]["langs"], serde_json::json!(["fr", "en", "fr", "en"]));
    // A board that lost its connection after the first call gets the second on reconnecting.
    let mut resumed = stream(&router, &format!("/board/events?key={key}"), Some(ids[0])).await;
    assert_eq!(calls(&mut resumed, 1).await[0]["id"].as_i64(), Some(ids[1]));
    // A recall is a call: announced again.
    let recall = [("csrf", marie.csrf.as_str()), ("rev", "")];
    let id = heard[0]["id"].as_i64().unwrap();
    let ticket = site.store.reader().with(|c| guichet::store::calls_after(c, id - 1, 1)).unwrap()[0].number.clone();
    let row = if ticket == first.number { first.id } else { second.id };
    assert_eq!(
        post(&router, &format!("/tickets/{row}/call"), &marie.cookie, &recall).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(calls(&mut board, 1).await[0]["number"].as_str(), Some(ticket.as_str()));
}

#[tokio::test]
async fn the_spoken_call_and_the_chime_are_served_as_audio() {
    let site = Site::open().await;
    let router = site.router();
    let claire = login_as(&router, "claire").await;
    let key = make_key(&router, &claire).await;
    site.issue(&[], None).await;
    let fields = [("csrf", claire.csrf.as_str()), ("desk", "Bureau 2"), ("queue", "")];
    assert_eq!(post(&router, "/call-next", &claire.cookie, &fields).await.status(), StatusCode::SEE_OTHER);
    let id = site.store.reader().with(|c| guichet::store::last_calls(c, 1)).unwrap()[0].id;
    for lang in ["fr", "en"] {
        let response = get(&router, &format!("/board/audio/{id}?key={key}&lang={lang}"), "").await;
        assert_eq!(response.status(), StatusCode::OK, "{lang}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "audio/wav");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..4], b"RIFF");
        assert!(bytes.len() > 22_050, "at least half a second of speech: {} bytes", bytes.len());
    }
    assert_eq!(
        status(&router, &format!("/board/audio/{id}?key={key}&lang=uk")).await,
        StatusCode::BAD_REQUEST,
        "only the call's own languages"
    );
    assert_eq!(status(&router, &format!("/board/audio/{id}?key=00&lang=fr")).await, StatusCode::NOT_FOUND);
    assert_eq!(status(&router, &format!("/board/audio/{}?key={key}&lang=fr", id + 1)).await, StatusCode::NOT_FOUND);
    let chime = get(&router, "/board/chime.wav", "").await;
    assert_eq!(chime.headers()[header::CONTENT_TYPE], "audio/wav");
}
