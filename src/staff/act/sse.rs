//! `GET /events`: one server-sent event per store event, so every open queue page
//! reloads its table at once; one more when the kiosk's printer alert comes or goes. The
//! stream ends when the session expires or is closed (its account removed or its
//! password changed), when the browser leaves, or when the server stops.

use super::console::Console;
use super::extract::Staff;
use super::health;
use crate::server_thread::stop_requested;
use crate::store::DomainEvent;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

/// How often a live stream looks whether the printer alert came or went.
const HEALTH_EVERY: Duration = Duration::from_secs(2);

type Sending = mpsc::Sender<Result<Event, Infallible>>;

pub(crate) async fn events(State(console): State<Console>, staff: Staff) -> Response {
    // Over the cap (too many pages open): "no content" tells the browser not to retry;
    // the page still refreshes itself every minute.
    let Some(places) = console.streams.open(&staff.session_id) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    // Subscribe (and read the printer alert) before answering: nothing that happens after
    // the response starts is missed.
    let events = console.store.subscribe();
    let (tx, rx) = mpsc::channel(16);
    let alert = health::alert_now(&console);
    let forwarding = forward(console, staff, (events, alert), tx);
    stream(rx, async move {
        forwarding.await;
        drop(places);
    })
}

/// Runs `forwarding` (which sends on the channel `rx` reads) and answers with the stream,
/// kept alive every 15 s. Shared by the console's and the board's live streams.
pub(crate) fn stream(
    rx: mpsc::Receiver<Result<Event, Infallible>>,
    forwarding: impl std::future::Future<Output = ()> + Send + 'static,
) -> Response {
    tokio::spawn(forwarding);
    Sse::new(ReceiverStream::new(rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)).text("ok"))
        .into_response()
}

async fn forward(
    console: Console,
    staff: Staff,
    (mut events, mut alert): (broadcast::Receiver<DomainEvent>, Option<String>),
    tx: Sending,
) {
    let expires = tokio::time::Instant::from_std(staff.session.expires);
    let stop = stop_requested(console.shutdown.clone());
    tokio::pin!(stop);
    let mut health_check = tokio::time::interval(HEALTH_EVERY);
    loop {
        let event = tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep_until(expires) => break,
            () = tx.closed() => break,
            _ = health_check.tick(), if console.health.is_some() => {
                let now = health::alert_now(&console);
                if now == alert {
                    continue;
                }
                alert = now;
                Event::default().data("printer")
            },
            received = events.recv() => match received {
                // Also published as the ticket's change: one reload is enough.
                Ok(DomainEvent::Called(_)) => continue,
                Ok(e) => describe(&e),
                // Some events were missed: the page reloads the table anyway.
                Err(RecvError::Lagged(_)) => Event::default().data("refresh"),
                Err(RecvError::Closed) => break,
            },
        };
        // Still logged in, and the account still there with the same password (it may
        // have changed in another process: `guichet staff passwd`).
        let logged_in = console.auth.session(&staff.session_id, Instant::now()).is_some()
            && matches!(console.current_role(&staff.session_id, &staff.session).await, Ok(Some(_)));
        if !logged_in || tx.send(Ok(event)).await.is_err() {
            break;
        }
    }
}

/// The event's data names what happened ("issued C-042", "called C-042"); the page only
/// needs to know that something did.
fn describe(event: &DomainEvent) -> Event {
    let data = match event {
        DomainEvent::TicketIssued { number, .. } => format!("issued {number}"),
        DomainEvent::TicketChanged { number, status, .. } => {
            format!("{} {number}", status.as_str())
        }
        DomainEvent::HelpCalled { .. } => "help called".to_string(),
        DomainEvent::HelpAnswered { .. } | DomainEvent::HelpCancelled { .. } => "help ended".to_string(),
        DomainEvent::DayOpened { day, .. } => format!("day {day}"),
        DomainEvent::Called(call) => format!("call {}", call.number),
        DomainEvent::Resync => "refresh".to_string(),
    };
    Event::default().data(data)
}
