//! Opening the database at start: a file in a state no guichet leaves it in is refused
//! with a message naming it and what to do, never a panic; many processes opening a new
//! data directory at once all succeed.

use super::tests::request;
use super::*;
use rusqlite::Connection;

/// Opens `path`, which must be refused: the message shown to the technician.
fn refusal(path: &Path) -> String {
    match Store::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e.to_string(),
    }
}

/// The message names the file and says to restore a backup or move the file away.
fn assert_names_file_and_backups(message: &str, path: &Path) {
    let backups = path.with_file_name("backups");
    assert!(message.contains(&path.display().to_string()), "the file is not named: {message}");
    assert!(message.contains(&backups.display().to_string()), "the backups are not named: {message}");
    assert!(message.contains("move"), "moving the file away is not said: {message}");
}

#[test]
fn an_impossible_schema_version_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.sqlite");
    drop(Store::open(&path).unwrap());
    // user_version is a signed 32-bit number in the file's header: anything may be there.
    for version in [-1, i64::from(i32::MIN)] {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", version).unwrap();
        drop(conn);
        let message = refusal(&path);
        assert!(message.contains(&version.to_string()), "{message}");
        assert_names_file_and_backups(&message, &path);
        let conn = Connection::open(&path).unwrap();
        let kept: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(kept, version, "the file is left as it was");
    }
    // Version 0 is a new, empty file: with tables in it, it is someone else's database.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 0).unwrap();
    drop(conn);
    let message = refusal(&path);
    assert!(message.contains("not a guichet database"), "{message}");
    assert_names_file_and_backups(&message, &path);
}

#[test]
fn a_damaged_database_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // Bytes that are no database at all (a copy gone wrong, another file put there).
    let noise = dir.path().join("noise.sqlite");
    let bytes: Vec<u8> = (0..16_384u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&noise, &bytes).unwrap();
    assert_names_file_and_backups(&refusal(&noise), &noise);

    // A real database cut short (a copy interrupted, a card that lost its end).
    let cut = dir.path().join("guichet.sqlite");
    let store = Store::open(&cut).unwrap();
    for _ in 0..300 {
        store.issue(request('C', false)).wait().unwrap();
    }
    drop(store);
    // The store thread closes its connection soon after: everything is then in the file
    // itself, and the WAL is gone.
    let wal = cut.with_extension("sqlite-wal");
    let closing = std::time::Instant::now();
    while wal.exists() && closing.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!wal.exists(), "the store did not close");
    let len = std::fs::metadata(&cut).unwrap().len();
    assert!(len > 64 * 1024, "{len} bytes: too small to cut");
    std::fs::OpenOptions::new().write(true).open(&cut).unwrap().set_len(len / 2).unwrap();
    assert_names_file_and_backups(&refusal(&cut), &cut);
}

/// The kiosk, `guichet staff add` and the doctor may start together on a new card.
#[test]
fn many_open_a_new_data_directory_at_once() {
    const OPENERS: usize = 8;
    for round in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guichet.sqlite");
        let start = Arc::new(std::sync::Barrier::new(OPENERS));
        let openers: Vec<_> = (0..OPENERS)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).map(drop).map_err(|e| e.to_string())
                })
            })
            .collect();
        for (i, opener) in openers.into_iter().enumerate() {
            if let Err(e) = opener.join().unwrap() {
                panic!("round {round}, opener {i}: {e}");
            }
        }
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, schema::VERSION, "round {round}");
    }
}

#[test]
fn an_opener_waits_while_another_makes_the_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.sqlite");
    // The first opener (another process, or as here another connection: SQLite locks
    // them alike), in the middle of switching the brand-new file to WAL: that is a write
    // transaction on its first page, still in the file's first journal mode.
    let first = Connection::open(&path).unwrap();
    first.execute_batch("BEGIN IMMEDIATE").unwrap();
    let second = std::thread::spawn(move || Store::open(&path).map(drop).map_err(|e| e.to_string()));
    std::thread::sleep(std::time::Duration::from_millis(300));
    first.execute_batch("ROLLBACK").unwrap();
    if let Err(e) = second.join().unwrap() {
        panic!("the second opener gave up: {e}");
    }
}
