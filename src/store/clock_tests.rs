//! A clock that starts wrong (1970, or a month late: the Pi has no clock battery) and then
//! jumps to the right date, or one that jumps back mid-day: numbers never repeat within a
//! day, the day never goes back, no visitor's ticket is lost, waits stay plausible.

use super::site_tests::both;
use super::tests::{day, open, request};
use super::*;
use crate::clock::{Clock, ManualClock};
use crate::core::outcome::{Ending, Outcome};
use crate::core::queue::Action;
use chrono::NaiveDate;

const MINUTE: i64 = 60_000;

fn at(date: NaiveDate, hour: u32) -> i64 {
    date.and_hms_opt(hour, 0, 0).unwrap().and_utc().timestamp_millis()
}

fn set(clock: &ManualClock, ms: i64) {
    clock.advance(ms - clock.now_ms());
}

fn row(store: &Store, id: i64) -> TicketRow {
    store.reader().with(|c| ticket_by_id(c, id)).unwrap().unwrap()
}

fn numbers(tickets: &[&IssuedTicket]) -> Vec<String> {
    tickets.iter().map(|t| t.number.clone()).collect()
}

both! {
fn tickets_taken_in_1970_keep_their_numbers_and_their_place_when_the_clock_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(22)));
    let store = open(&dir.path().join("g.sqlite"), &clock);
    let seen = store.issue(request('C', false)).wait().unwrap();
    store.act(seen.id, Change::new(Action::Call)).wait().unwrap();
    let left = store.issue(request('C', false)).wait().unwrap();
    // The next morning the Pi starts in 1970: the day stays the last one used.
    set(&clock, 8 * 3_600_000);
    let early = store.issue(request('C', false)).wait().unwrap();
    let called = store.issue(request('C', false)).wait().unwrap();
    store.act(called.id, Change { desk: Some("Bureau 1".into()), ..Change::new(Action::Call) }).wait().unwrap();
    assert_eq!(numbers(&[&seen, &left, &early, &called]), ["C-001", "C-002", "C-003", "C-004"]);
    assert_eq!(early.service_day, "2026-11-22", "the day does not go back to 1970");
    // The network sets the clock at 9:30 on the 23rd.
    set(&clock, at(day(23), 9) + 30 * MINUTE);
    let after = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((after.number.as_str(), after.service_day.as_str()), ("C-005", "2026-11-23"), "no number repeats");
    for (ticket, status) in [(&early, Status::Waiting), (&called, Status::Called)] {
        let now = row(&store, ticket.id);
        assert_eq!(
            (now.number.as_str(), now.status, now.service_day.as_str()),
            (ticket.number.as_str(), status, "2026-11-23")
        );
        let waited = clock.now_ms() - now.issued_at;
        assert!((0..=60 * MINUTE).contains(&waited), "{}: waited {waited} ms", now.number);
    }
    assert!(row(&store, called.id).called_at.unwrap() >= row(&store, called.id).issued_at);
    assert_eq!(row(&store, left.id).status, Status::NotSeen, "yesterday's ticket, issued on time, is closed");
    let next = store.call_next("Bureau 2".into(), None).wait().unwrap();
    assert_eq!(next.number, "C-003", "the 1970 ticket is still first in line");
    set(&clock, 3_600_000);
    let back = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((back.number.as_str(), back.service_day.as_str()), ("C-006", "2026-11-23"), "back to 1970 again");
}}

both! {
fn tickets_taken_by_a_clock_saved_the_evening_before_stay_when_the_network_sets_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite");
    let store = open(&path, &Arc::new(ManualClock::new(day(22))));
    let left = store.issue(request('C', false)).wait().unwrap();
    drop(store);
    // The next morning the Pi starts where systemd-timesyncd saved its clock the evening
    // before, then the network sets it: a forward jump seen by the running kiosk.
    let clock = Arc::new(ManualClock::start_at(at(day(22), 18)));
    let store = open(&path, &clock);
    let morning = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((morning.number.as_str(), morning.service_day.as_str()), ("C-002", "2026-11-22"));
    clock.jump_to(at(day(23), 9) + 30 * MINUTE);
    let after = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((after.number.as_str(), after.service_day.as_str()), ("C-003", "2026-11-23"));
    let kept = row(&store, morning.id);
    assert_eq!((kept.status, kept.service_day.as_str()), (Status::Waiting, "2026-11-23"));
    assert_eq!(row(&store, left.id).status, Status::NotSeen, "yesterday's, issued before this start");
}}

both! {
fn a_first_day_in_1970_becomes_the_real_day() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::default());
    let store = open(&dir.path().join("g.sqlite"), &clock);
    let a = store.issue(request('A', true)).wait().unwrap();
    let b = store.issue(request('A', false)).wait().unwrap();
    assert_eq!(a.service_day, "1970-01-01");
    set(&clock, at(day(23), 10));
    let c = store.issue(request('A', false)).wait().unwrap();
    assert_eq!(numbers(&[&a, &b, &c]), ["A-001", "A-002", "A-003"]);
    let open = store.reader().with(open_tickets).unwrap();
    assert_eq!(open.iter().map(|t| t.service_day.as_str()).collect::<Vec<_>>(), ["2026-11-23"; 3]);
}}

both! {
fn a_clock_a_month_late_files_tickets_under_the_last_day_and_they_move_on() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(23)));
    let store = open(&dir.path().join("g.sqlite"), &clock);
    store.issue(request('C', false)).wait().unwrap();
    let late = NaiveDate::from_ymd_opt(2026, 10, 24).unwrap();
    set(&clock, at(late, 8));
    let morning = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((morning.number.as_str(), morning.service_day.as_str()), ("C-002", "2026-11-23"));
    set(&clock, at(day(24), 9));
    let later = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((later.number.as_str(), later.service_day.as_str()), ("C-003", "2026-11-24"));
    let moved = row(&store, morning.id);
    assert_eq!((moved.status, moved.service_day.as_str()), (Status::Waiting, "2026-11-24"));
    assert!(moved.issued_at <= clock.now_ms() && moved.issued_at > clock.now_ms() - 60 * MINUTE);
}}

both! {
fn a_clock_back_an_hour_or_a_day_mid_day_keeps_the_day_and_no_wait_is_negative() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(23)));
    let store = open(&dir.path().join("g.sqlite"), &clock);
    let first = store.issue(request('C', false)).wait().unwrap();
    let second = store.issue(request('C', false)).wait().unwrap();
    store.call_next("Bureau 1".into(), None).wait().unwrap();
    store.act(first.id, Change::new(Action::Start)).wait().unwrap();
    clock.advance(-60 * MINUTE);
    let done = Ending::new(Outcome::Done, None, None).unwrap();
    let finish = Change { ending: Some(done), ..Change::new(Action::Finish) };
    store.act(first.id, finish).wait().unwrap();
    store.call_next("Bureau 1".into(), None).wait().unwrap();
    clock.advance(-24 * 60 * MINUTE);
    let third = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((third.number.as_str(), third.service_day.as_str()), ("C-003", "2026-11-23"));
    assert!(third.service_ms.iter().all(|ms| *ms >= 0), "service times {:?}", third.service_ms);
    let visits = store.reader().with(|c| report::visits(c, day(23), day(23), &|_| 12)).unwrap();
    assert_eq!(visits.len(), 3);
    for v in &visits {
        assert!(v.wait_s.is_none_or(|s| s >= 0) && v.service_s.is_none_or(|s| s >= 0), "{v:?}");
    }
    assert_eq!(row(&store, second.id).status, Status::Called);
}}

both! {
/// Seen on the booted appliance: the kiosk restarted with its clock in 1970, then the clock
/// was set while it ran. Yesterday's tickets, issued on time by the kiosk before the
/// restart, were taken for tickets of the behind clock (their times are after the 1970
/// reading the process started with), so they moved the shift's reference: the carried 1970
/// tickets kept times of 1970 plus a few hours.
fn a_kiosk_started_in_1970_then_set_carries_only_what_it_issued_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite");
    let yesterday = {
        let on_time = Arc::new(ManualClock::new(day(22)));
        let store = open(&path, &on_time);
        store.issue(request('C', false)).wait().unwrap()
    };
    // The next morning, a new process whose clock starts in 1970.
    let clock = Arc::new(ManualClock::start_at(8 * 3_600_000));
    let store = open(&path, &clock);
    let early = store.issue(request('C', false)).wait().unwrap();
    clock.advance(20 * MINUTE);
    let later = store.issue(request('C', false)).wait().unwrap();
    assert_eq!(early.service_day, "2026-11-22", "the day does not go back to 1970");
    // Set while the kiosk runs.
    clock.jump_to(at(day(23), 8) + 30 * MINUTE);
    let after = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((after.number.as_str(), after.service_day.as_str()), ("C-004", "2026-11-23"));
    for ticket in [&early, &later] {
        let now = row(&store, ticket.id);
        assert_eq!((now.status, now.service_day.as_str()), (Status::Waiting, "2026-11-23"), "{}", now.number);
        let waited = clock.now_ms() - now.issued_at;
        assert!((0..=60 * MINUTE).contains(&waited), "{}: waited {waited} ms", now.number);
    }
    assert!(row(&store, early.id).issued_at < row(&store, later.id).issued_at, "their order is kept");
    assert_eq!(row(&store, yesterday.id).status, Status::NotSeen, "yesterday's ticket, issued on time, is closed");
}}
