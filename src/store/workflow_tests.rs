//! The queue workflow in the store: revisions, recalls and absence, transfers, endings,
//! and the service day that closes what yesterday left open.

use super::site_tests::both;
use super::tests::{day, open, request};
use super::*;
use crate::clock::ManualClock;
use crate::core::outcome::{Autonomy, Ending, Outcome};
use crate::core::queue::Action;

fn store_at(d: u32) -> (tempfile::TempDir, Arc<ManualClock>, Store) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(d)));
    let store = open(&dir.path().join("g.sqlite"), &clock);
    (dir, clock, store)
}

fn change(action: Action, seen: i64) -> Change {
    Change { seen: Some(seen), desk: Some("Bureau 1".into()), ..Change::new(action) }
}

both! {
fn a_page_acts_only_on_the_state_it_showed() {
    let (_dir, _clock, store) = store_at(2);
    let t = store.issue(request('A', false)).wait().unwrap();
    let shown = store.reader().with(|c| ticket_by_id(c, t.id)).unwrap().unwrap();
    let first = store.act(t.id, change(Action::Call, shown.rev)).wait().unwrap();
    assert_eq!((first.desk.as_deref(), first.rev), (Some("Bureau 1"), shown.rev + 1));
    // A second desk, from the same (now old) page: refused, nothing overwritten.
    let second = Change { desk: Some("Bureau 2".into()), ..change(Action::Call, shown.rev) };
    assert!(matches!(store.act(t.id, second).wait(), Err(StoreError::Changed)));
    let now = store.reader().with(|c| ticket_by_id(c, t.id)).unwrap().unwrap();
    assert_eq!((now.desk.as_deref(), now.calls, now.rev), (Some("Bureau 1"), 1, first.rev));
}}

both! {
fn absent_is_noted_only_after_the_recalls() {
    let (_dir, _clock, store) = store_at(2);
    let t = store.issue(request('A', false)).wait().unwrap();
    let called = store.call_next("Bureau 1".into(), None).wait().unwrap();
    let absent = |rev| Change { calls_before_absent: 2, ..change(Action::NoShow, rev) };
    match store.act(t.id, absent(called.rev)).wait() {
        Err(StoreError::TooFewCalls { calls: 1, needed: 2 }) => {}
        other => panic!("absent at the first call: {other:?}"),
    }
    let recalled = store.act(t.id, change(Action::Call, called.rev)).wait().unwrap();
    assert_eq!(recalled.calls, 2);
    assert_eq!(store.act(t.id, absent(recalled.rev)).wait().unwrap().status, Status::NoShow);
}}

both! {
fn a_transfer_keeps_the_place_by_arrival() {
    let (_dir, _clock, store) = store_at(2);
    let early = store.issue(request('A', false)).wait().unwrap();
    let later = store.issue(request('B', false)).wait().unwrap();
    let moved = Change { queue: Some('B'), ..Change::new(Action::Transfer) };
    let row = store.act(early.id, moved).wait().unwrap();
    assert_eq!((row.queue, row.status, row.number.as_str()), ('B', Status::Waiting, "A-001"));
    let next = store.call_next("Bureau 1".into(), Some('B')).wait().unwrap();
    assert_eq!(next.id, early.id, "arrived before {}", later.number);
    assert!(store.call_next("Bureau 1".into(), Some('A')).wait().is_err(), "no longer in A");
}}

both! {
fn an_ending_records_the_outcome_where_to_and_autonomy() {
    let (_dir, _clock, store) = store_at(2);
    let t = store.issue(request('A', false)).wait().unwrap();
    store.call_next("Bureau 1".into(), None).wait().unwrap();
    let ending = Ending::new(Outcome::Redirected, Some("CAF"), Some(Autonomy::WithThem)).unwrap();
    let done = store.act(t.id, Change { ending: Some(ending), ..Change::new(Action::Finish) }).wait().unwrap();
    assert_eq!(done.outcome.as_deref(), Some("redirected"));
    assert_eq!(done.redirect_to.as_deref(), Some("CAF"));
    assert_eq!(done.autonomy.as_deref(), Some("with_them"));
}}

both! {
fn a_new_day_closes_what_yesterday_left_open_as_not_seen() {
    let (_dir, clock, store) = store_at(2);
    let left = store.issue(request('A', false)).wait().unwrap();
    let called = store.issue(request('A', false)).wait().unwrap();
    store.act(called.id, Change::new(Action::Call)).wait().unwrap();
    assert_eq!(store.reader().with(|c| last_calls(c, 5)).unwrap().len(), 1, "the board has the call");
    clock.set_day(day(3));
    // The first "call next" of the day finds nobody: yesterday's visitors are gone.
    assert!(matches!(store.call_next("Bureau 1".into(), None).wait(), Err(StoreError::NobodyWaiting)));
    for id in [left.id, called.id] {
        let row = store.reader().with(|c| ticket_by_id(c, id)).unwrap().unwrap();
        assert_eq!(row.status, Status::NotSeen);
    }
    assert_eq!(store.issue(request('A', false)).wait().unwrap().number, "A-001");
    assert!(store.reader().with(|c| last_calls(c, 5)).unwrap().is_empty(), "a new day starts an empty board");
}}

both! {
fn staff_open_the_next_day_when_the_clock_is_behind() {
    let (_dir, clock, store) = store_at(2);
    store.issue(request('A', false)).wait().unwrap();
    store.issue(request('A', false)).wait().unwrap();
    clock.set_day(day(1)); // no clock battery: the Pi woke up in the past
    let mut events = store.subscribe();
    let (opened, closed) = store.open_day().wait().unwrap();
    assert_eq!((opened, closed), (day(3), 2));
    assert_eq!(events.try_recv().unwrap(), DomainEvent::DayOpened { day: "2026-11-03".into(), closed: 2 });
    let next = store.issue(request('A', false)).wait().unwrap();
    assert_eq!((next.number.as_str(), next.service_day.as_str()), ("A-001", "2026-11-03"));
}}

both! {
fn a_new_ticket_carries_the_day_s_measured_service_times_of_its_queue() {
    let (_dir, clock, store) = store_at(2);
    for minutes in [4, 6, 8] {
        let t = store.issue(request('A', false)).wait().unwrap();
        store.act(t.id, Change::new(Action::Start)).wait().unwrap();
        clock.advance(minutes * 60_000);
        store.act(t.id, Change::new(Action::Finish)).wait().unwrap();
    }
    let other_queue = store.issue(request('C', false)).wait().unwrap();
    assert!(other_queue.service_ms.is_empty(), "queue C has served nobody");
    let next = store.issue(request('A', false)).wait().unwrap();
    assert_eq!(next.service_ms, vec![240_000, 360_000, 480_000]);
}}
