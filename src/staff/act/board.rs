//! The waiting-room board on a TV's browser: `/board?key=…` (no login: the key set by an
//! administrator is in the address), its live calls (`/board/events`), the spoken call
//! synthesised here (`/board/audio/{id}`) and the chime. It shows ticket numbers and
//! desks only.

use super::console::Console;
use super::extract::PageNonce;
use super::sse;
use crate::board::audio;
use crate::core::announce;
use crate::core::lang::Lang;
use crate::server_thread::stop_requested;
use crate::staff::access::auth::same_secret;
use crate::staff::pages::board_view;
use crate::staff::pages::{self, Plain};
use crate::store::{self, BoardCall, DomainEvent};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::Event;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

/// Spoken calls synthesised at once (each takes a few tens of milliseconds).
static SYNTHS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
/// How often an open board looks again even when nothing was published (a call made by
/// another process, e.g. `guichet serve` beside the kiosk), and checks its key.
const RECHECK: Duration = Duration::from_secs(3);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct BoardQuery {
    key: String,
    /// The newest call the page already shows.
    after: i64,
    lang: String,
    /// 1: first send the last calls as `shown` (not to be said), then `ready` with the
    /// newest id (`guichet board --follow` opening; a browser gets them in the page).
    recent: u8,
}

/// Whether `given` is the board key (`None`: no key set yet, so no board).
async fn key_holds(console: &Console, given: &str) -> bool {
    match console.read(store::board_key).await {
        Ok(Some(key)) => same_secret(given, &key),
        _ => false,
    }
}

/// What a wrong or missing key gets: the same "not found" as any unknown address.
fn no_board(console: &Console, nonce: &str) -> Response {
    pages::plain(&console.chrome(nonce, None), Plain::NotFound)
}

pub(crate) async fn page(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    Query(q): Query<BoardQuery>,
) -> Response {
    if !key_holds(&console, &q.key).await {
        return no_board(&console, &nonce);
    }
    match console.read(|c| store::last_calls(c, store::SHOWN)).await {
        Ok(calls) => board_view::page(&nonce, &console.config.site_name, &q.key, &calls).into_response(),
        Err(e) => console.unavailable(&nonce, None, e),
    }
}

/// The live calls: every call after `after` (or after the `Last-Event-ID` the browser
/// sends when it reconnects), oldest first, each with its id; nothing is skipped.
pub(crate) async fn events(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    Query(q): Query<BoardQuery>,
    headers: HeaderMap,
) -> Response {
    if !key_holds(&console, &q.key).await {
        return no_board(&console, &nonce);
    }
    // A board counts as one "session" per key: a few TVs, not a crowd.
    let Some(places) = console.streams.open(&format!("board:{}", q.key)) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let resumed = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<i64>().ok());
    let after = resumed.unwrap_or(0).max(q.after);
    let recent = q.recent == 1 && resumed.is_none();
    let events = console.store.subscribe();
    let (tx, rx) = mpsc::channel(16);
    sse::stream(rx, async move {
        let after = if recent { send_recent(&console, after, &tx).await } else { Some(after) };
        if let Some(after) = after {
            forward(console, q.key, after, events, tx).await;
        }
        drop(places);
    })
}

/// The last calls as `shown`, then `ready` with the newest id: the position the stream
/// goes on from (`None`: the store could not be read, the stream ends and the board
/// tries again, rather than announce every call ever made).
async fn send_recent(console: &Console, after: i64, tx: &mpsc::Sender<Result<Event, Infallible>>) -> Option<i64> {
    let calls = console.read(|c| store::last_calls(c, store::SHOWN)).await.ok()?;
    for call in &calls {
        tx.send(Ok(call_event(call, "shown"))).await.ok()?;
    }
    let after = calls.last().map_or(after, |c| c.id.max(after));
    let ready = serde_json::json!({ "after": after });
    tx.send(Ok(Event::default().event("ready").data(ready.to_string()))).await.ok()?;
    Some(after)
}

async fn forward(
    console: Console,
    key: String,
    mut after: i64,
    mut events: tokio::sync::broadcast::Receiver<DomainEvent>,
    tx: mpsc::Sender<Result<Event, Infallible>>,
) {
    let stop = stop_requested(console.shutdown.clone());
    tokio::pin!(stop);
    let mut recheck = tokio::time::interval(RECHECK);
    loop {
        // Read first: calls made before the stream opened are sent at once.
        // A failed read is tried again at the next wake-up (a call, or within 3 s).
        let calls = console.read(move |c| store::calls_after(c, after, 50)).await.unwrap_or_default();
        for call in calls {
            after = call.id;
            if tx.send(Ok(call_event(&call, "call"))).await.is_err() {
                return;
            }
        }
        tokio::select! {
            () = &mut stop => return,
            () = tx.closed() => return,
            _ = recheck.tick() => {
                // A new key (the old address given out) ends the old address's boards.
                if !key_holds(&console, &key).await {
                    return;
                }
            }
            received = events.recv() => match received {
                Ok(DomainEvent::Called(_) | DomainEvent::DayOpened { .. } | DomainEvent::Resync)
                | Err(RecvError::Lagged(_)) => {}
                Ok(_) => continue,
                Err(RecvError::Closed) => return,
            },
        }
    }
}

/// `name`: "call" (to announce) or "shown" (made before the board opened).
fn call_event(call: &BoardCall, name: &str) -> Event {
    let langs: Vec<&str> = announce::languages(call.lang).into_iter().map(Lang::code).collect();
    let data = serde_json::json!({
        "id": call.id,
        "number": call.number,
        "desk": call.desk,
        "langs": langs,
    });
    Event::default().event(name).id(call.id.to_string()).data(data.to_string())
}

fn wav(bytes: Vec<u8>, cache: &'static str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("audio/wav"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The chime (the same for every call; nothing secret in it).
pub(crate) async fn chime() -> Response {
    static CHIME: OnceLock<Vec<u8>> = OnceLock::new();
    wav(CHIME.get_or_init(audio::chime).clone(), "public, max-age=86400")
}

/// Call `id` said in French or in the visitor's language (`?lang=`), as WAV.
pub(crate) async fn spoken(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    Path(id): Path<i64>,
    Query(q): Query<BoardQuery>,
) -> Response {
    if !key_holds(&console, &q.key).await {
        return no_board(&console, &nonce);
    }
    let call = match console.read(move |c| store::calls_after(c, id.saturating_sub(1), 1)).await {
        Ok(calls) => calls.into_iter().find(|c| c.id == id),
        Err(e) => return console.unavailable(&nonce, None, e),
    };
    let Some(call) = call else { return no_board(&console, &nonce) };
    // Only the languages of this call's announcement can be asked for.
    let Some(lang) = Lang::from_code(&q.lang).filter(|l| announce::languages(call.lang).contains(l)) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let Ok(_turn) = SYNTHS.acquire().await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let text = announce::phrase(lang, &call.number, &call.desk);
    match tokio::task::spawn_blocking(move || audio::synthesize(&text, lang)).await {
        Ok(Ok(bytes)) => wav(bytes, "private, max-age=3600"),
        Ok(Err(e)) => {
            eprintln!("guichet: board voice: {e}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
