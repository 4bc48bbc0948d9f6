//! `GET /s/<token>/events`: the ticket's turn as server-sent events. The first event is
//! the turn now; then one each time it changes (looked at again on every store event,
//! and every few seconds for changes made by another process). `turn` events carry the
//! kind (`called` makes the phone ring, and each recall again: `calls`) and the live part's HTML; `gone` says the link
//! is no longer valid (a new day). The stream ends when the visit is over.

use super::routes::{not_found, ticket_token, unavailable};
use super::{view, Follow};
use crate::server_thread::stop_requested;
use crate::store::follow_hash;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// How often a stream looks again without a store event.
const RECHECK: Duration = Duration::from_secs(5);

type Sending = mpsc::Sender<Result<Event, Infallible>>;

pub(super) async fn events(
    State(follow): State<Follow>,
    token: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Some(token) = ticket_token(token) else { return not_found() };
    // Subscribed before the first look: no change after it is missed.
    let store_events = follow.store.subscribe();
    match follow.lookup(token.clone()).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(),
        Err(e) => return unavailable(e),
    }
    // Over the caps, "no content" tells the browser not to reconnect (the page still
    // shows the turn of its loading).
    let Some(places) = follow.limits.stream(&follow_hash(&token)) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        forward(follow, token, store_events, tx).await;
        drop(places);
    });
    Sse::new(ReceiverStream::new(rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)).text("ok"))
        .into_response()
}

async fn forward(
    follow: Follow,
    token: String,
    mut store_events: tokio::sync::broadcast::Receiver<crate::store::DomainEvent>,
    tx: Sending,
) {
    let stop = stop_requested(follow.shutdown.clone());
    tokio::pin!(stop);
    let mut recheck = tokio::time::interval(RECHECK);
    let mut sent = String::new();
    loop {
        match follow.lookup(token.clone()).await {
            Ok(Some((ticket, turn))) => {
                let data = serde_json::json!({
                    "kind": turn.kind(),
                    "calls": ticket.calls,
                    "html": view::live(ticket.lang, &turn).into_string(),
                })
                .to_string();
                if data != sent {
                    if tx.send(Ok(Event::default().event("turn").data(&data))).await.is_err() {
                        return;
                    }
                    sent = data;
                }
                if turn.is_final() {
                    return;
                }
            }
            Ok(None) => {
                let _ = tx.send(Ok(Event::default().event("gone").data("gone"))).await;
                return;
            }
            // Tried again at the next wake-up.
            Err(e) => eprintln!("follow: {e}"),
        }
        tokio::select! {
            () = &mut stop => return,
            () = tx.closed() => return,
            _ = recheck.tick() => {}
            received = store_events.recv() => {
                if let Err(RecvError::Closed) = received {
                    return;
                }
            }
        }
    }
}
