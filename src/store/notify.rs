//! Live updates between the processes of a site: each change a store commits on the
//! site's PostgreSQL is announced on the channel `guichet` in the same transaction (so
//! an announcement never tells of a change that was rolled back, and a committed change
//! is always announced), and every store listens there and publishes, as its own
//! [`DomainEvent`]s, what the other processes did: a console sees every kiosk's tickets
//! and every desk's calls, a board every call.

use super::calls::BoardCall;
use super::sql::{args, Db, Dialect};
use super::{DomainEvent, StoreError};
use crate::core::help::HelpCall;
use crate::core::lang::Lang;
use crate::core::queue::Status;
use serde_json::{json, Value};
use std::sync::Weak;
use std::time::Duration;
use tokio::sync::broadcast;

pub(super) const CHANNEL: &str = "guichet";

/// Announces `events` (made by the store `origin`) inside the caller's transaction; on
/// SQLite (one process) there is nobody else to tell.
pub(super) fn announce(db: &dyn Db, origin: u64, events: &[DomainEvent]) -> Result<(), StoreError> {
    if db.dialect() != Dialect::Postgres {
        return Ok(());
    }
    for event in events {
        if let Some(payload) = encode(origin, event) {
            db.execute("SELECT pg_notify(?1, ?2)", args![CHANNEL, payload])?;
        }
    }
    Ok(())
}

/// The events of the queue and the board; help calls stay with their kiosk's process.
fn encode(origin: u64, event: &DomainEvent) -> Option<String> {
    let body = match event {
        DomainEvent::TicketIssued { id, number } => json!({"e": "issued", "id": id, "number": number}),
        DomainEvent::TicketChanged { id, number, status, desk } => {
            json!({"e": "changed", "id": id, "number": number, "status": status.as_str(), "desk": desk})
        }
        DomainEvent::Called(c) => {
            json!({"e": "called", "id": c.id, "at": c.at, "number": c.number, "desk": c.desk, "lang": c.lang.code()})
        }
        DomainEvent::DayOpened { day, closed } => json!({"e": "day", "day": day, "closed": closed}),
        DomainEvent::HelpCalled { .. }
        | DomainEvent::HelpAnswered { .. }
        | DomainEvent::HelpCancelled { .. }
        | DomainEvent::Resync => return None,
    };
    Some(json!({"from": origin.to_string(), "event": body}).to_string())
}

/// What a process did with a call for help, told to the site's other processes: a kiosk's
/// call reaches every console, and a console's "J'y vais" the kiosk (help calls are not
/// kept in the database: an open call lives as long as the processes that heard it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum HelpSync {
    Called(HelpCall),
    Answered { id: u64, kiosk: String },
    Cancelled { kiosk: String },
}

/// Tells the site's other processes (on PostgreSQL; nobody else on SQLite).
pub(super) fn announce_help(db: &dyn Db, origin: u64, sync: &HelpSync) -> Result<(), StoreError> {
    if db.dialect() != Dialect::Postgres {
        return Ok(());
    }
    let body = match sync {
        HelpSync::Called(c) => {
            json!({"e": "help", "id": c.id, "kiosk": c.kiosk, "screen": c.screen, "since": c.since_ms})
        }
        HelpSync::Answered { id, kiosk } => json!({"e": "help-answered", "id": id, "kiosk": kiosk}),
        HelpSync::Cancelled { kiosk } => json!({"e": "help-cancelled", "kiosk": kiosk}),
    };
    let payload = json!({"from": origin.to_string(), "event": body}).to_string();
    db.execute("SELECT pg_notify(?1, ?2)", args![CHANNEL, payload])?;
    Ok(())
}

/// A call for help in `payload`, unless `me` made it.
fn decode_help(me: u64, payload: &str) -> Option<HelpSync> {
    let v: Value = serde_json::from_str(payload).ok()?;
    if v["from"].as_str()? == me.to_string() {
        return None;
    }
    let e = &v["event"];
    let kiosk = e["kiosk"].as_str()?.to_string();
    Some(match e["e"].as_str()? {
        "help" => HelpSync::Called(HelpCall {
            id: e["id"].as_u64()?,
            kiosk,
            screen: e["screen"].as_str()?.to_string(),
            since_ms: e["since"].as_i64()?,
        }),
        "help-answered" => HelpSync::Answered { id: e["id"].as_u64()?, kiosk },
        "help-cancelled" => HelpSync::Cancelled { kiosk },
        _ => return None,
    })
}

/// The event in `payload`, unless `me` made it (or it is not one of ours).
pub(super) fn decode(me: u64, payload: &str) -> Option<DomainEvent> {
    let v: Value = serde_json::from_str(payload).ok()?;
    if v["from"].as_str()? == me.to_string() {
        return None;
    }
    let e = &v["event"];
    let text = |k: &str| e[k].as_str().map(str::to_string);
    Some(match e["e"].as_str()? {
        "issued" => DomainEvent::TicketIssued { id: e["id"].as_i64()?, number: text("number")? },
        "changed" => DomainEvent::TicketChanged {
            id: e["id"].as_i64()?,
            number: text("number")?,
            status: Status::parse(e["status"].as_str()?)?,
            desk: text("desk"),
        },
        "called" => DomainEvent::Called(BoardCall {
            id: e["id"].as_i64()?,
            at: e["at"].as_i64()?,
            number: text("number")?,
            desk: text("desk")?,
            lang: Lang::from_code(e["lang"].as_str()?)?,
        }),
        "day" => DomainEvent::DayOpened { day: text("day")?, closed: usize::try_from(e["closed"].as_u64()?).ok()? },
        _ => return None,
    })
}

/// Listens on the site's channel and publishes the other processes' events, for as long
/// as the store (`alive`) is; a lost connection is made again every second. `ready` is
/// told once it listens (a store opened hears every change made after).
pub(super) fn listen(
    link: super::SiteLink,
    me: u64,
    events: broadcast::Sender<DomainEvent>,
    commands: std::sync::mpsc::Sender<super::Command>,
    alive: Weak<()>,
    ready: std::sync::mpsc::Sender<()>,
) {
    let mut heard_before = false;
    while alive.strong_count() > 0 {
        let connected = link.connect().and_then(|mut client| {
            client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
            Ok(client)
        });
        let Ok(mut client) = connected else {
            std::thread::sleep(Duration::from_secs(1));
            continue;
        };
        // A connection made again: the changes made while it was cut were not heard.
        if heard_before {
            let _ = events.send(DomainEvent::Resync);
        }
        heard_before = true;
        let _ = ready.send(());
        while alive.strong_count() > 0 && !client.is_closed() {
            let mut notifications = client.notifications();
            let mut waiting = notifications.timeout_iter(Duration::from_secs(1));
            loop {
                match postgres::fallible_iterator::FallibleIterator::next(&mut waiting) {
                    Ok(Some(n)) => {
                        if let Some(event) = decode(me, n.payload()) {
                            let _ = events.send(event);
                        } else if let Some(sync) = decode_help(me, n.payload()) {
                            let _ = commands.send(super::Command::SiteHelp(sync));
                        }
                    }
                    Ok(None) => break,
                    Err(_) => break,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_cross_between_processes_as_they_were_and_never_back_to_their_maker() {
        let call = BoardCall { id: 9, at: 1_000, number: "C-004".into(), desk: "Bureau 2".into(), lang: Lang::Uk };
        let events = [
            DomainEvent::TicketIssued { id: 3, number: "A-001".into() },
            DomainEvent::TicketChanged { id: 3, number: "A-001".into(), status: Status::InService, desk: None },
            DomainEvent::Called(call),
            DomainEvent::DayOpened { day: "2026-12-05".into(), closed: 2 },
        ];
        for event in events {
            let payload = encode(7, &event).unwrap();
            assert!(payload.len() < 8000, "PostgreSQL's limit for a notification");
            assert_eq!(decode(8, &payload), Some(event.clone()));
            assert_eq!(decode(7, &payload), None, "its own maker already published it");
        }
        assert_eq!(encode(7, &DomainEvent::HelpCalled { id: 1, kiosk: "k".into() }), None);
        assert_eq!(decode(8, "not json"), None);
        assert_eq!(decode(8, r#"{"from":"7","event":{"e":"issued"}}"#), None);
    }
}
