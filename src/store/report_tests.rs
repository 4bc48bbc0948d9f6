//! The report's reading and the retention purge, on a real database.

use super::super::site_tests::both;
use super::super::tests::{day, open, request};
use super::super::{Change, Store};
use super::*;
use crate::clock::{Clock, ManualClock};
use crate::core::journey::TicketRequest;
use crate::core::outcome::{Ending, Outcome};
use crate::core::queue::Action;
use std::sync::Arc;

fn store_at(d: u32) -> (tempfile::TempDir, Arc<ManualClock>, Store) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(d)));
    let store = open(&dir.path().join("g.sqlite"), &clock);
    (dir, clock, store)
}

/// A visit issued now, waited `wait` minutes, served `serve` minutes, recorded as a first visit.
fn serve(store: &Store, clock: &ManualClock, priority: bool, wait: i64, serve: i64) {
    let t = store.issue(request('A', priority)).wait().unwrap();
    clock.advance(wait * 60_000);
    store.act(t.id, Change { desk: Some("Bureau 1".into()), ..Change::new(Action::Call) }).wait().unwrap();
    // A recall a minute later does not lengthen the measured wait.
    clock.advance(60_000);
    store.act(t.id, Change::new(Action::Call)).wait().unwrap();
    store.act(t.id, Change::new(Action::Start)).wait().unwrap();
    clock.advance(serve * 60_000);
    let ending = Ending { first_visit: Some(true), ..Ending::new(Outcome::Done, None, None).unwrap() };
    store.act(t.id, Change { ending: Some(ending), ..Change::new(Action::Finish) }).wait().unwrap();
}

fn read(store: &Store, from: u32, to: u32) -> (Vec<Visit>, Vec<Kept>) {
    let hour = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map_or(0, |t| chrono::Timelike::hour(&t) as u8);
    store.reader().with(|c| Ok((visits(c, day(from), day(to), &hour)?, kept(c, day(from), day(to))?))).unwrap()
}

both! {
fn a_visit_is_read_with_its_first_call_and_service_times() {
    let (_dir, clock, store) = store_at(2);
    serve(&store, &clock, true, 12, 25);
    let (visits, _) = read(&store, 1, 30);
    assert_eq!(visits.len(), 1);
    let v = &visits[0];
    assert_eq!((v.wait_s, v.service_s), (Some(12 * 60), Some(25 * 60)));
    assert_eq!((v.status, v.first_visit, v.hour), (Status::Done, Some(true), 12));
    assert_eq!(v.details.as_ref().and_then(|d| d.priority.as_deref()), Some("mobility"));
    assert_eq!((v.theme.as_str(), v.operator.as_str()), ("papiers", "cni"));
}}

both! {
fn the_purge_keeps_counts_and_wipes_details_of_closed_tickets_only() {
    let (_dir, clock, store) = store_at(2);
    serve(&store, &clock, true, 5, 10);
    serve(&store, &clock, false, 5, 10);
    clock.set_day(day(3));
    let open_ticket = store.issue(request('A', false)).wait().unwrap();
    clock.set_day(day(20));
    let purged = store.purge_details(10).wait().unwrap();
    // Day 3's ticket was still waiting: its day closes it only at the next ticket.
    assert_eq!(purged.tickets, 2);
    let (visits, kept) = read(&store, 1, 30);
    assert!(visits.iter().filter(|v| v.day == day(2)).all(|v| v.details.is_none()));
    let raw: (String, String, Option<String>) = store
        .reader()
        .with(|c| {
            let r = c.query_one("SELECT lang, have, priority FROM tickets WHERE id = 1", &[])?;
            Ok((r.text(0)?, r.text(1)?, r.opt_text(2)?))
        })
        .unwrap();
    assert_eq!(raw, (String::new(), "[]".to_string(), None));
    let count = |kind: KeptKind, value: &str| kept.iter().find(|k| k.kind == kind && k.value == value).map(|k| k.count);
    assert_eq!(count(KeptKind::Language, "fr"), Some(2));
    assert_eq!(count(KeptKind::Priority, "mobility"), Some(1));
    assert_eq!(count(KeptKind::Priority, ""), Some(1));
    // The report over the span is the same as before the purge.
    let report = crate::core::report::build(day(1), day(30), &visits, &kept);
    assert_eq!((report.with_priority, report.languages.total(), report.tickets), (1, 3, 3));
    // A second purge changes nothing; the open ticket, once closed, is purged later.
    assert_eq!(store.purge_details(10).wait().unwrap().tickets, 0);
    store.act(open_ticket.id, Change::new(Action::Cancel)).wait().unwrap();
    assert_eq!(store.purge_details(10).wait().unwrap().tickets, 1);
    let (_, kept) = read(&store, 1, 30);
    assert_eq!(kept.iter().filter(|k| k.kind == KeptKind::Language).map(|k| k.count).sum::<u64>(), 3);
    assert!(clock.today() == day(20));
}}

fn holds(file: &std::path::Path, text: &str) -> bool {
    let bytes = std::fs::read(file).unwrap_or_default();
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[test]
fn a_purged_detail_leaves_no_copy_in_the_database_file_or_its_wal() {
    let (dir, clock, store) = store_at(2);
    let secret = "Attestation-CAF-de-Zoe-Quatremer-7731";
    let (db, wal) = (dir.path().join("g.sqlite"), dir.path().join("g.sqlite-wal"));
    // What the visitor had with them, long enough that the wiped row is much shorter: the
    // page keeps the old row's first bytes as free space unless they are zeroed.
    let have = vec![secret.to_string(), "justificatif-de-domicile".repeat(12)];
    let t = store.issue(TicketRequest { have, ..request('A', true) }).wait().unwrap();
    store.act(t.id, Change::new(Action::Cancel)).wait().unwrap();
    // As the console does: a reader opened (and left idle) on the same database.
    store.reader().with(|c| super::super::ticket_by_id(c, t.id)).unwrap();
    assert!(holds(&wal, secret), "the detail is in the WAL before the purge");
    // As SQLite's automatic checkpoint does on a busy kiosk: the ticket reaches the file.
    let other = rusqlite::Connection::open(&db).unwrap();
    other.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(other);
    assert!(holds(&db, secret), "the detail is in the database file before the purge");
    store.issue(request('A', false)).wait().unwrap();
    assert!(holds(&wal, secret), "the page that holds it is in the WAL again");
    clock.set_day(day(20));
    assert_eq!(store.purge_details(10).wait().unwrap().tickets, 1);
    assert!(!holds(&db, secret), "the database file still holds the purged detail");
    assert!(!holds(&wal, secret), "the WAL file still holds the purged detail");
}

both! {
fn a_purge_with_more_days_than_the_calendar_holds_wipes_nothing_and_does_not_panic() {
    let (_dir, clock, store) = store_at(2);
    serve(&store, &clock, true, 5, 10);
    clock.set_day(day(20));
    let purged = store.purge_details(u32::MAX).wait().expect("an answer, not a dead store thread");
    assert_eq!(purged.tickets, 0);
    assert_eq!(store.purge_details(10).wait().unwrap().tickets, 1, "the store still works");
}}
