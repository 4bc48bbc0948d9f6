use super::site_tests::both;
use super::*;
use crate::clock::ManualClock;
use crate::core::lang::Lang;
use crate::core::queue::Action;
use chrono::NaiveDate;
use rusqlite::Connection;

pub(super) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

pub(crate) fn request(queue: char, priority: bool) -> TicketRequest {
    TicketRequest {
        theme: "papiers".into(),
        procedure: "cni".into(),
        queue,
        lang: Lang::Fr,
        have: vec!["email".into()],
        priority: priority.then(|| "mobility".into()),
    }
}

/// The store the test names by its file (on SQLite, or on PostgreSQL in `both!` tests).
pub(super) fn open(path: &Path, clock: &Arc<ManualClock>) -> Store {
    super::site_tests::open_store(path, clock.clone())
}

both! {
fn numbering_survives_restart_and_restarts_next_day() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite");
    let clock = Arc::new(ManualClock::new(day(23)));
    let store = open(&path, &clock);
    let a = store.issue(request('C', false)).wait().unwrap();
    let b = store.issue(request('C', false)).wait().unwrap();
    let other = store.issue(request('A', false)).wait().unwrap();
    assert_eq!((a.number.as_str(), b.number.as_str(), other.number.as_str()), ("C-001", "C-002", "A-001"));
    assert_ne!(a.token, b.token);
    assert_eq!(a.token.len(), 32, "128 bits in hex");
    drop(store);
    let store = open(&path, &clock);
    assert_eq!(store.issue(request('C', false)).wait().unwrap().number, "C-003", "after restart");
    clock.set_day(day(24));
    assert_eq!(store.issue(request('C', false)).wait().unwrap().number, "C-001", "new service day");
    clock.set_day(day(22));
    let back = store.issue(request('C', false)).wait().unwrap();
    assert_eq!((back.number.as_str(), back.service_day.as_str()), ("C-002", "2026-11-24"), "clock jumped back");
}}

#[test]
fn newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", schema::VERSION + 1).unwrap();
    drop(conn);
    match Store::open(&path) {
        Err(StoreError::NewerSchema { found, known }) => {
            assert_eq!((found, known), (schema::VERSION + 1, schema::VERSION))
        }
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    let conn = Connection::open(&path).unwrap();
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, schema::VERSION + 1);
}

#[test]
fn wal_and_full_sync_are_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite");
    let _store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

both! {
fn call_next_takes_priority_first_and_publishes_events() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("g.sqlite"), &Arc::new(ManualClock::new(day(23))));
    let mut events = store.subscribe();
    let first = store.issue(request('C', false)).wait().unwrap();
    let urgent = store.issue(request('C', true)).wait().unwrap();
    assert_eq!(urgent.ahead, 0, "a priority ticket has nobody ahead");
    let later = store.issue(request('C', false)).wait().unwrap();
    assert_eq!(later.ahead, 2);
    let called = store.call_next("Bureau 2".into(), None).wait().unwrap();
    assert_eq!((called.id, called.status, called.desk.as_deref()), (urgent.id, Status::Called, Some("Bureau 2")));
    assert_eq!(store.call_next("Bureau 1".into(), Some('C')).wait().unwrap().id, first.id);
    let done = store.act(first.id, Change::new(Action::Finish)).wait().unwrap();
    assert_eq!(done.status, Status::Done);
    assert!(matches!(store.act(first.id, Change::new(Action::Call)).wait(), Err(StoreError::Transition(_))));
    assert!(matches!(store.call_next("B".into(), Some('A')).wait(), Err(StoreError::NobodyWaiting)));
    let mut seen = Vec::new();
    while let Ok(e) = events.try_recv() {
        seen.push(e);
    }
    assert_eq!(seen.len(), 8, "{seen:?}");
    assert_eq!(seen[0], DomainEvent::TicketIssued { id: first.id, number: "C-001".into() });
    // Each call is published for the board too, right after the ticket's change.
    let board: Vec<(i64, &str)> = seen
        .iter()
        .filter_map(|e| match e {
            DomainEvent::Called(c) => Some((c.id, c.desk.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(board, [(1, "Bureau 2"), (2, "Bureau 1")]);
    assert!(matches!(&seen[4], DomainEvent::Called(c) if c.number == "C-002"));
    let open = store.reader().with(read::open_tickets).unwrap();
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), vec![urgent.id, later.id]);
    let by_token = store.reader().with(|c| read::ticket_by_token(c, &later.token)).unwrap().unwrap();
    assert_eq!(by_token.have, vec!["email".to_string()]);
}}

both! {
fn staff_accounts_are_unique_and_an_administrator_always_remains() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("g.sqlite"), &Arc::new(ManualClock::new(day(23))));
    store.add_staff("marie".into(), "h".into(), Role::Admin).wait().unwrap();
    let again = store.add_staff("marie".into(), "h".into(), Role::Agent).wait();
    assert!(matches!(again, Err(StoreError::DuplicateStaff(_))));
    store.add_staff("paul".into(), "h".into(), Role::Agent).wait().unwrap();
    assert_eq!(store.reader().with(staff_names).unwrap(), vec!["marie".to_string(), "paul".to_string()]);
    assert!(matches!(store.remove_staff("marie".into()).wait(), Err(StoreError::LastAdmin(_))));
    assert!(matches!(store.set_role("marie".into(), Role::Agent).wait(), Err(StoreError::LastAdmin(_))));
    assert!(store.set_role("paul".into(), Role::Admin).wait().unwrap());
    assert!(store.remove_staff("marie".into()).wait().unwrap(), "paul is an administrator now");
    assert!(!store.remove_staff("marie".into()).wait().unwrap());
    assert!(!store.set_password("marie".into(), "h2".into()).wait().unwrap(), "no such account");
}}

both! {
fn a_new_password_moves_the_generation_and_an_unlock_is_dated() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("g.sqlite"), &Arc::new(ManualClock::new(day(23))));
    store.add_staff("marie".into(), "h1".into(), Role::Agent).wait().unwrap();
    let before = store.reader().with(|c| staff(c, "marie")).unwrap().unwrap();
    assert_eq!((before.role, before.unlocked_at), (Role::Agent, None));
    assert!(store.set_password("marie".into(), "h2".into()).wait().unwrap());
    assert!(store.unlock_staff("marie".into()).wait().unwrap());
    let after = store.reader().with(|c| staff(c, "marie")).unwrap().unwrap();
    assert_eq!(after.password_hash, "h2");
    assert_eq!(after.generation, before.generation + 1);
    assert!(after.unlocked_at.is_some());
}}

both! {
fn the_audit_log_is_read_newest_first_and_purged_by_age() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(1)));
    let store = open(&dir.path().join("g.sqlite"), &clock);
    store.audit("marie", "login", "", "192.168.1.7");
    store.purge_audit(365).wait().unwrap(); // written before this answer
    clock.set_day(day(20));
    store.audit("marie", "call", "A-001", "192.168.1.7");
    store.flush().wait().unwrap();
    let log = store.reader().with(|c| audit_log(c, 10)).unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["call", "login"]);
    assert_eq!(log[0].detail, "A-001");
    assert_eq!(store.purge_audit(10).wait().unwrap(), 1, "the login 19 days ago goes");
    assert_eq!(store.reader().with(|c| audit_log(c, 10)).unwrap().len(), 1);
}}

both! {
fn the_audit_log_is_paged_by_id_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(day(1)));
    let store = open(&dir.path().join("g.sqlite"), &clock);
    let page = |place| store.reader().with(|c| audit_page(c, place, 2)).unwrap();
    let empty = page(AuditPlace::Newest);
    assert_eq!((empty.entries.len(), empty.older, empty.newer), (0, None, None));
    for i in 1..=5 {
        store.audit("marie", "call", &format!("A-00{i}"), "");
    }
    store.flush().wait().unwrap();
    let details = |p: &AuditPage| p.entries.iter().map(|e| e.detail.clone()).collect::<Vec<_>>();
    let newest = page(AuditPlace::Newest);
    assert_eq!((details(&newest), newest.newer), (vec!["A-005".into(), "A-004".into()], None));
    let middle = page(newest.older.unwrap());
    assert_eq!(details(&middle), ["A-003", "A-002"]);
    let oldest = page(middle.older.unwrap());
    assert_eq!((details(&oldest), oldest.older), (vec!["A-001".into()], None));
    let up = page(oldest.newer.unwrap());
    assert_eq!(details(&up), ["A-003", "A-002"], "back up: the same page");
    let top = page(up.newer.unwrap());
    assert_eq!((details(&top), top.newer), (vec!["A-005".into(), "A-004".into()], None));
}}

#[test]
fn accounts_from_before_roles_become_administrators() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(schema::FIRST).unwrap();
    conn.execute("INSERT INTO staff (name, password_hash, created_at) VALUES ('marie', 'h', 0)", []).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let marie = store.reader().with(|c| staff(c, "marie")).unwrap().unwrap();
    assert_eq!((marie.role, marie.generation, marie.password_hash.as_str()), (Role::Admin, 0, "h"));
    assert_eq!(marie.id, 1, "ids are kept when the table is made again");
}

both! {
fn an_account_id_is_never_given_again_even_to_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("g.sqlite"), &Arc::new(ManualClock::new(day(23))));
    store.add_staff("marie".into(), "h".into(), Role::Admin).wait().unwrap();
    store.add_staff("paul".into(), "h".into(), Role::Agent).wait().unwrap();
    let first = store.reader().with(|c| staff(c, "paul")).unwrap().unwrap();
    // paul has the highest id: plain SQLite rowids would give it again.
    assert!(store.remove_staff("paul".into()).wait().unwrap());
    store.add_staff("paul".into(), "h".into(), Role::Agent).wait().unwrap();
    let again = store.reader().with(|c| staff(c, "paul")).unwrap().unwrap();
    assert_ne!(again.id, first.id);
    assert_eq!(again.generation, first.generation, "the generation alone cannot tell them apart");
    assert_eq!(store.reader().with(|c| staff_by_id(c, first.id)).unwrap(), None);
    assert_eq!(store.reader().with(|c| staff_by_id(c, again.id)).unwrap().map(|a| a.name), Some("paul".into()));
}}

#[test]
fn a_backup_holding_password_hashes_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("g.sqlite"), &Arc::new(ManualClock::new(day(23))));
    store.add_staff("marie".into(), "$argon2id$h".into(), Role::Admin).wait().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let fresh = dir.path().join("backup.sqlite");
    store.backup_to(&fresh).unwrap();
    assert_eq!(mode(&fresh), 0o600, "whatever the umask");
    // A copy written over an older one readable by all, and over a partial one left behind.
    let old = dir.path().join("old.sqlite");
    std::fs::write(&old, b"old").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(old.with_extension("partial"), b"half").unwrap();
    store.backup_to(&old).unwrap();
    assert_eq!(mode(&old), 0o600);
    let copy = Connection::open(&old).unwrap();
    let names: i64 = copy.query_row("SELECT count(*) FROM staff", [], |r| r.get(0)).unwrap();
    assert_eq!(names, 1, "a whole copy");
    assert!(!old.with_extension("partial").exists());
}
