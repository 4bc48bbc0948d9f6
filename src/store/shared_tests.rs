//! One site, several kiosks and desks, one queue: stores with their own connections (as
//! separate processes have) working the same PostgreSQL database at once keep the
//! guarantees a lone kiosk's SQLite gives.

use super::site_tests::{on_site, open_store};
use super::tests::{day, request};
use super::*;
use crate::clock::ManualClock;
use std::collections::HashSet;

fn site(n: usize, path: &Path) -> Vec<Store> {
    on_site();
    let clock = Arc::new(ManualClock::new(day(23)));
    (0..n).map(|_| open_store(path, clock.clone())).collect()
}

#[test]
fn kiosks_issuing_at_once_never_give_a_number_twice() {
    let dir = tempfile::tempdir().unwrap();
    let kiosks = site(4, &dir.path().join("site"));
    let issued: Vec<IssuedTicket> = std::thread::scope(|s| {
        let each: Vec<_> = kiosks
            .iter()
            .map(|k| s.spawn(move || (0..40).map(|_| k.issue(request('A', false)).wait().unwrap()).collect::<Vec<_>>()))
            .collect();
        each.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let numbers: HashSet<&str> = issued.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers.len(), 160, "a number was given twice");
    let expected: HashSet<String> = (1..=160).map(|n| format!("A-{n:03}")).collect();
    assert_eq!(numbers, expected.iter().map(String::as_str).collect(), "numbers are 1..160 with no gap");
    // Each kiosk's own tickets come in its order.
    for k in 0..4 {
        let mine: Vec<u32> = issued[k * 40..(k + 1) * 40].iter().map(|t| t.number[2..].parse().unwrap()).collect();
        assert!(mine.windows(2).all(|w| w[0] < w[1]), "kiosk {k}: {mine:?}");
    }
}

#[test]
fn desks_calling_at_once_never_call_a_visitor_twice_and_the_board_sees_every_call_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site");
    let stores = site(7, &path);
    let (kiosk, desks) = stores.split_first().unwrap();
    for i in 0..60 {
        kiosk.issue(request(if i % 2 == 0 { 'A' } else { 'C' }, i % 7 == 0)).wait().unwrap();
    }
    let called: Vec<TicketRow> = std::thread::scope(|s| {
        let each: Vec<_> = desks
            .iter()
            .enumerate()
            .map(|(d, desk)| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        match desk.call_next(format!("Bureau {d}"), None).wait() {
                            Ok(row) => mine.push(row),
                            Err(StoreError::NobodyWaiting) => return mine,
                            Err(e) => panic!("desk {d}: {e}"),
                        }
                    }
                })
            })
            .collect();
        each.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let ids: HashSet<i64> = called.iter().map(|t| t.id).collect();
    assert_eq!((called.len(), ids.len()), (60, 60), "every visitor called, none twice");
    assert!(called.iter().all(|t| t.calls == 1 && t.status == Status::Called));
    // The board reads the calls by id: each call once, ids in the order they were made.
    let board = kiosk.reader().with(|db| calls_after(db, 0, 1000)).unwrap();
    assert_eq!(board.len(), 60);
    assert!(board.windows(2).all(|w| w[0].id < w[1].id && w[0].at <= w[1].at));
    let on_board: HashSet<&str> = board.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(on_board.len(), 60);
}

/// Waits (a little) for the next event another process announced.
fn next_event(rx: &mut tokio::sync::broadcast::Receiver<DomainEvent>) -> DomainEvent {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match rx.try_recv() {
            Ok(e) => return e,
            Err(_) if std::time::Instant::now() < deadline => std::thread::sleep(std::time::Duration::from_millis(5)),
            Err(e) => panic!("no event from the other process: {e:?}"),
        }
    }
}

#[test]
fn a_console_hears_every_kiosk_and_desk_of_the_site_through_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let stores = site(3, &dir.path().join("site"));
    let (kiosk, desk, console) = (&stores[0], &stores[1], &stores[2]);
    let mut heard = console.subscribe();
    let mut kiosk_heard = kiosk.subscribe();
    // The listener connects in the background: wait until it hears an announcement.
    let t = kiosk.issue(request('A', false)).wait().unwrap();
    assert_eq!(next_event(&mut heard), DomainEvent::TicketIssued { id: t.id, number: "A-001".into() });
    assert_eq!(next_event(&mut kiosk_heard), DomainEvent::TicketIssued { id: t.id, number: "A-001".into() });
    let called = desk.call_next("Bureau 3".into(), None).wait().unwrap();
    let changed = next_event(&mut heard);
    assert_eq!(
        changed,
        DomainEvent::TicketChanged {
            id: t.id,
            number: "A-001".into(),
            status: Status::Called,
            desk: Some("Bureau 3".into())
        }
    );
    assert!(matches!(next_event(&mut heard), DomainEvent::Called(c) if c.number == "A-001" && c.desk == "Bureau 3"));
    assert_eq!(called.id, t.id);
    // A change rolled back is never announced: a second call of the same page's revision.
    let stale = Change { seen: Some(0), ..Change::new(crate::core::queue::Action::Start) };
    assert!(matches!(desk.act(t.id, stale).wait(), Err(StoreError::Changed)));
    desk.flush().wait().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(heard.try_recv().is_err(), "nothing was announced for the refused change");
    // The kiosk heard the desk's call too, once each (its own ticket it published itself).
    assert!(matches!(next_event(&mut kiosk_heard), DomainEvent::TicketChanged { .. }));
    assert!(matches!(next_event(&mut kiosk_heard), DomainEvent::Called(_)));
    assert!(kiosk_heard.try_recv().is_err());
}

/// The rights the technician's guide gives a kiosk (firmware-config/site/grant-kiosk.sql)
/// are enough for everything a kiosk and its console do, and no more.
#[test]
fn a_kiosk_role_with_the_guide_s_rights_works_the_queue_and_cannot_change_the_tables() {
    use super::site_tests::{as_user, site_database};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site");
    on_site();
    let clock = Arc::new(ManualClock::new(day(23)));
    drop(open_store(&path, clock.clone())); // the owner makes the tables
    let owner = site_database(&path);
    let mut admin = postgres::Client::connect(&owner, postgres::NoTls).unwrap();
    admin.batch_execute("CREATE ROLE kiosk_a LOGIN").unwrap();
    let grants = include_str!("../../firmware-config/site/grant-kiosk.sql").replace(":\"role\"", "kiosk_a");
    admin.batch_execute(&grants).unwrap();
    let kiosk = Store::open_postgres(&as_user(&owner, "kiosk_a"), &path, clock.clone()).expect("opens as the kiosk");
    let t = kiosk.issue(request('A', false)).wait().unwrap();
    kiosk.call_next("Bureau 1".into(), None).wait().unwrap();
    kiosk.act(t.id, Change::new(crate::core::queue::Action::Start)).wait().unwrap();
    let done = crate::core::outcome::Ending::new(crate::core::outcome::Outcome::Done, None, None).unwrap();
    kiosk.act(t.id, Change { ending: Some(done), ..Change::new(crate::core::queue::Action::Finish) }).wait().unwrap();
    kiosk.add_staff("agent".into(), "hash".into(), Role::Admin).wait().unwrap();
    kiosk.add_staff("other".into(), "hash".into(), Role::Agent).wait().unwrap();
    assert!(kiosk.remove_staff("other".into()).wait().unwrap());
    kiosk.audit("agent", "login", "", "10.0.0.9");
    kiosk.new_board_key().wait().unwrap();
    clock.set_day(day(25));
    kiosk.open_day().wait().unwrap();
    kiosk.purge_details(0).wait().unwrap();
    kiosk.purge_audit(0).wait().unwrap();
    let read = kiosk.reader().with(|db| report::visits(db, day(1), day(30), &|_| 9)).unwrap();
    assert_eq!(read.len(), 1);
    let mut as_kiosk = postgres::Client::connect(&as_user(&owner, "kiosk_a"), postgres::NoTls).unwrap();
    for ddl in
        ["DROP TABLE tickets", "ALTER TABLE tickets ADD COLUMN x TEXT", "CREATE TABLE mine (a INT)", "TRUNCATE audit"]
    {
        let e = as_kiosk.batch_execute(ddl).expect_err(ddl);
        assert!(
            e.to_string().contains("denied") || e.as_db_error().is_some_and(|d| d.code().code() == "42501"),
            "{ddl}: {e}"
        );
    }
}

#[test]
fn a_kiosk_s_call_for_help_reaches_every_console_and_their_answer_the_kiosk() {
    let dir = tempfile::tempdir().unwrap();
    let stores = site(3, &dir.path().join("site"));
    let (kiosk, console, other) = (&stores[0], &stores[1], &stores[2]);
    let (mut heard, mut other_heard, mut kiosk_heard) = (console.subscribe(), other.subscribe(), kiosk.subscribe());
    // The listeners connect in the background: wait until they hear an announcement.
    let t = kiosk.issue(request('A', false)).wait().unwrap();
    for rx in [&mut heard, &mut other_heard] {
        assert_eq!(next_event(rx), DomainEvent::TicketIssued { id: t.id, number: t.number.clone() });
    }
    assert!(matches!(next_event(&mut kiosk_heard), DomainEvent::TicketIssued { .. }));

    let call = kiosk.call_help("Entrée".into(), "Vos papiers".into()).wait().unwrap();
    assert!(matches!(next_event(&mut kiosk_heard), DomainEvent::HelpCalled { .. }));
    for rx in [&mut heard, &mut other_heard] {
        assert_eq!(next_event(rx), DomainEvent::HelpCalled { id: call.id, kiosk: "Entrée".into() });
    }
    assert_eq!(console.open_help().wait().unwrap(), std::slice::from_ref(&call), "the console lists the kiosk's call");

    // "J'y vais" on one console: the kiosk is told someone comes, the other console's list empties.
    let answered = console.answer_help(call.id).wait().unwrap();
    assert_eq!(answered.kiosk, "Entrée");
    let coming = DomainEvent::HelpAnswered { id: call.id, kiosk: "Entrée".into() };
    assert_eq!(next_event(&mut kiosk_heard), coming);
    assert_eq!(next_event(&mut other_heard), coming);
    assert_eq!(next_event(&mut heard), coming, "the answering console published it too");
    assert!(kiosk.open_help().wait().unwrap().is_empty() && other.open_help().wait().unwrap().is_empty());
    assert!(matches!(other.answer_help(call.id).wait(), Err(StoreError::Help(_))), "a second answer: gone");

    // A visit that ends before anyone came takes its call off every console.
    let again = kiosk.call_help("Entrée".into(), "Votre ticket".into()).wait().unwrap();
    assert_ne!(again.id, call.id);
    assert!(matches!(next_event(&mut heard), DomainEvent::HelpCalled { .. }));
    kiosk.cancel_help("Entrée".into());
    assert!(matches!(next_event(&mut heard), DomainEvent::HelpCancelled { .. }));
    assert!(console.open_help().wait().unwrap().is_empty());
}

/// A console's server stops inside its tokio runtime; when the console's read pool was
/// the last, its idle site connections closed there and the process aborted ("Cannot
/// start a runtime from within a runtime", a panic in a destructor): found by the site's
/// bench, whose consoles had stores of their own.
#[test]
fn a_site_read_pool_dropped_inside_a_runtime_closes_its_connections_without_aborting() {
    let dir = tempfile::tempdir().unwrap();
    let mut stores = site(1, &dir.path().join("site"));
    let store = stores.remove(0);
    store.issue(request('A', false)).wait().unwrap();
    let pool = store.reader();
    assert_eq!(pool.with(|c| read::waiting(c, None)).unwrap().len(), 1);
    drop(store);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    runtime.block_on(async move { drop(pool) });
}
