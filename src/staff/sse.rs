//! `GET /events`: one server-sent event per store event, so every open queue page
//! reloads its table at once; one more when the kiosk's printer alert comes or goes. The
//! stream ends when the session expires or is closed, when the browser leaves, or when
//! the server stops.

use super::extract::Staff;
use super::{health_view, stop_requested, Console};
use crate::store::DomainEvent;
use axum::extract::State;
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

pub(super) async fn events(State(console): State<Console>, staff: Staff) -> Response {
    // Subscribe (and read the printer alert) before answering: nothing that happens after
    // the response starts is missed.
    let events = console.store.subscribe();
    let (tx, rx) = mpsc::channel(16);
    let alert = health_view::alert_now(&console);
    let expires = tokio::time::Instant::from_std(staff.session.expires);
    tokio::spawn(forward(console, staff.session_id, expires, (events, alert), tx));
    Sse::new(ReceiverStream::new(rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)).text("ok"))
        .into_response()
}

async fn forward(
    console: Console,
    session_id: String,
    expires: tokio::time::Instant,
    (mut events, mut alert): (broadcast::Receiver<DomainEvent>, Option<String>),
    tx: Sending,
) {
    let stop = stop_requested(console.shutdown.clone());
    tokio::pin!(stop);
    let mut health_check = tokio::time::interval(HEALTH_EVERY);
    loop {
        let event = tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep_until(expires) => break,
            () = tx.closed() => break,
            _ = health_check.tick(), if console.health.is_some() => {
                let now = health_view::alert_now(&console);
                if now == alert {
                    continue;
                }
                alert = now;
                Event::default().data("printer")
            },
            received = events.recv() => match received {
                Ok(e) => describe(&e),
                // Some events were missed: the page reloads the table anyway.
                Err(RecvError::Lagged(_)) => Event::default().data("refresh"),
                Err(RecvError::Closed) => break,
            },
        };
        let logged_in = console.auth.session(&session_id, Instant::now()).is_some();
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
    };
    Event::default().data(data)
}
