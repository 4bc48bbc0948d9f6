//! Schema migrations: applied in order, all in one transaction; a database written by a
//! newer guichet, or with a version none writes, is refused rather than damaged.

use rusqlite::Connection;
use std::path::Path;

use super::StoreError;

/// Each entry moves the schema one version up. Never edit a published entry: add one.
const MIGRATIONS: &[&str] = &[
    // 1: tickets, per-day counters, settings and staff accounts.
    r#"
    CREATE TABLE tickets (
        id          INTEGER PRIMARY KEY,
        number      TEXT    NOT NULL,
        queue       TEXT    NOT NULL,
        seq         INTEGER NOT NULL,
        service_day TEXT    NOT NULL,
        token       TEXT    NOT NULL UNIQUE,
        lang        TEXT    NOT NULL,
        theme       TEXT    NOT NULL,
        procedure   TEXT    NOT NULL,
        have        TEXT    NOT NULL,
        priority    TEXT,
        status      TEXT    NOT NULL,
        desk        TEXT,
        outcome     TEXT,
        issued_at   INTEGER NOT NULL,
        called_at   INTEGER,
        started_at  INTEGER,
        finished_at INTEGER,
        UNIQUE (service_day, queue, seq)
    );
    CREATE INDEX tickets_open ON tickets (status, priority, id)
        WHERE status IN ('waiting', 'called', 'in_service');
    CREATE INDEX tickets_day ON tickets (service_day);
    CREATE TABLE counters (
        queue       TEXT    NOT NULL,
        service_day TEXT    NOT NULL,
        last_seq    INTEGER NOT NULL,
        PRIMARY KEY (queue, service_day)
    ) WITHOUT ROWID;
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE staff (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL UNIQUE,
        password_hash TEXT    NOT NULL,
        created_at    INTEGER NOT NULL
    );
    "#,
    // 2: roles (accounts made before roles existed become administrators, as they could
    // already do everything), a generation that ends sessions on a password change, the
    // time of the last unlock, and the audit log.
    r#"
    ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
    ALTER TABLE staff ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE staff ADD COLUMN unlocked_at INTEGER;
    CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        actor   TEXT    NOT NULL,
        action  TEXT    NOT NULL,
        detail  TEXT    NOT NULL,
        address TEXT    NOT NULL
    );
    CREATE INDEX audit_at ON audit (at);
    "#,
    // 3: the queue workflow: a revision number that every change raises (a page acts only
    // on the state it showed), how many times a ticket was called, the queue it was moved
    // to (its number keeps the queue it was issued in), where a visitor was sent and how
    // much they did themselves.
    r#"
    ALTER TABLE tickets ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tickets ADD COLUMN moved_to TEXT;
    ALTER TABLE tickets ADD COLUMN calls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tickets ADD COLUMN redirect_to TEXT;
    ALTER TABLE tickets ADD COLUMN autonomy TEXT;
    "#,
    // 4: the waiting-room board: every call of a ticket to a desk, in the order made (the
    // id), so that a board announces each one, in order, even when two desks call at once.
    // Only today's are kept: a new service day empties it.
    r#"
    CREATE TABLE calls (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        service_day TEXT    NOT NULL,
        ticket      INTEGER NOT NULL,
        number      TEXT    NOT NULL,
        desk        TEXT    NOT NULL,
        lang        TEXT    NOT NULL
    );
    "#,
    // 5: the activity report and the retention of visitor-level details. The first call's
    // time (recalls move `called_at`), whether it was the visitor's first visit (staff
    // say so at the end, if they know), a mark on tickets whose details were purged, and
    // what the purge keeps of them: how many visits of a day had each language and each
    // priority reason ("" for none), nothing about any one visitor.
    r#"
    ALTER TABLE tickets ADD COLUMN first_called_at INTEGER;
    ALTER TABLE tickets ADD COLUMN first_visit INTEGER;
    ALTER TABLE tickets ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;
    UPDATE tickets SET first_called_at = called_at;
    CREATE TABLE kept (
        service_day TEXT    NOT NULL,
        kind        TEXT    NOT NULL,
        value       TEXT    NOT NULL,
        count       INTEGER NOT NULL,
        PRIMARY KEY (service_day, kind, value)
    ) WITHOUT ROWID;
    "#,
    // 6: an account's id is never given again (AUTOINCREMENT): console sessions belong to
    // the id, so a removed account made again under the same name gets a new one and the
    // old account's sessions stay out. SQLite cannot add AUTOINCREMENT to a table: the
    // table is made again, ids kept.
    r#"
    CREATE TABLE staff_new (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        name          TEXT    NOT NULL UNIQUE,
        password_hash TEXT    NOT NULL,
        created_at    INTEGER NOT NULL,
        role          TEXT    NOT NULL DEFAULT 'admin',
        generation    INTEGER NOT NULL DEFAULT 0,
        unlocked_at   INTEGER
    );
    INSERT INTO staff_new (id, name, password_hash, created_at, role, generation, unlocked_at)
        SELECT id, name, password_hash, created_at, role, generation, unlocked_at FROM staff;
    DROP TABLE staff;
    ALTER TABLE staff_new RENAME TO staff;
    "#,
    // 7: the visitor's own link to follow their turn ("Suivre mon tour"): the SHA-256 of
    // a token given only to the visitor; tickets made before have none.
    r#"
    ALTER TABLE tickets ADD COLUMN follow_hash TEXT;
    CREATE UNIQUE INDEX tickets_follow ON tickets (follow_hash) WHERE follow_hash IS NOT NULL;
    "#,
];

/// The first schema, for the tests of the migrations that follow it.
#[cfg(test)]
pub(super) const FIRST: &str = MIGRATIONS[0];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// How long opening waits for another process that holds the database (creating it,
/// migrating it, switching it to WAL) before it gives up.
const WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Sets the durability pragmas every connection of ours uses.
pub fn configure(conn: &Connection) -> Result<(), StoreError> {
    // First, so that a second process opening the same file waits instead of failing.
    conn.busy_timeout(WAIT)?;
    // Switching a new file to WAL starts as a read and then writes its first page: SQLite
    // does not wait on the busy timeout there (the wait could deadlock two openers), it
    // answers "database is locked" at once while another process is doing the same. Both
    // can go on when that one is done: try again until the same time limit.
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e) if is_busy(&e) && started.elapsed() < WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(10))
            }
            done => break done?,
        }
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted and overwritten content is zeroed, not left in free space: the retention
    // purge must really erase what it wipes (health data among it).
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

/// Brings the schema to [`VERSION`], or refuses a newer one or one no guichet writes
/// (named as `path`, untouched). The version is read under the write lock (another
/// process may be migrating the same file), and written again even when it is current:
/// every start proves that the database can be written.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > VERSION {
        return Err(StoreError::NewerSchema { found, known: VERSION });
    }
    let Ok(from) = usize::try_from(found) else {
        let problem = format!("its schema version is {found}, which no guichet writes: it was changed or damaged");
        return Err(super::open::damaged(path, problem));
    };
    if from == 0 {
        // A new file has no tables yet; one with tables and no version is not ours.
        let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            let problem = "it has tables but no schema version: it is not a guichet database".to_string();
            return Err(super::open::damaged(path, problem));
        }
    }
    for sql in MIGRATIONS.iter().skip(from) {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(())
}
