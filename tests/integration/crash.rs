//! Crash safety: a child process issues tickets and performs staff actions on the real
//! store and file (`crash_child.rs`); this test kills it with SIGKILL at random moments,
//! then checks the file: SQLite's integrity check, every ticket the child saw confirmed is
//! there with its number, no number repeats within the service day (also across the
//! restarts, which continue the numbering), and no staff action half-applied (a ticket's
//! revision, calls, times, board calls and audit entries agree). Then the child starts
//! again on the same file.
//!
//! `GUICHET_CRASH_KILLS` (default 40; `scripts/soak.sh` runs 500) and `GUICHET_CRASH_SEED`
//! (printed at the start: a failure is replayed with it).

use crate::crash_child::{DB, MARK, SEED};
use guichet::core::queue::Action;
use guichet::staff::action_slug as verb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

fn setting(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// What the child printed as confirmed, over all its runs.
#[derive(Default)]
struct Confirmed {
    /// Ticket id → (number, service day).
    issued: HashMap<i64, (String, String)>,
    /// (service day, number) → ticket id: a number seen twice is a repeat.
    numbers: HashMap<(String, String), i64>,
    /// Ticket id → the highest revision a staff action was confirmed at.
    acted: HashMap<i64, i64>,
    actions: usize,
}

impl Confirmed {
    fn read(&mut self, line: &str) -> Result<(), String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["issued", id, number, day] => {
                let id: i64 = id.parse().map_err(|_| format!("bad line {line:?}"))?;
                let key = (day.to_string(), number.to_string());
                if let Some(other) = self.numbers.insert(key, id) {
                    return Err(format!("{number} was given twice on {day}: tickets {other} and {id}"));
                }
                self.issued.insert(id, (number.to_string(), day.to_string()));
            }
            ["acted", id, rev] => {
                let (id, rev): (i64, i64) = (id.parse().unwrap_or(-1), rev.parse().unwrap_or(-1));
                let seen = self.acted.entry(id).or_default();
                *seen = (*seen).max(rev);
                self.actions += 1;
            }
            ["ready"] => {}
            _ => return Err(format!("the child printed {line:?}")),
        }
        Ok(())
    }
}

/// The child: this binary again, running only `crash_child::child`.
fn start(db: &Path, seed: u64) -> (Child, mpsc::Receiver<String>) {
    let db = db.to_string_lossy();
    crate::child::start("crash_child::child", &[(DB, &db), (SEED, &seed.to_string())], MARK)
}

#[test]
fn killed_at_random_moments_the_store_loses_nothing_confirmed_and_half_applies_nothing() {
    let kills = setting("GUICHET_CRASH_KILLS").unwrap_or(40);
    let seed = setting(SEED).unwrap_or_else(|| rand::rng().random());
    println!("crash harness: {kills} kills, {SEED}={seed}");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("guichet.sqlite");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut confirmed = Confirmed::default();
    let mut early = 0;
    for kill in 0..kills {
        let (mut child, lines) = start(&db, rng.random());
        // One kill in eight lands while the child opens the file (migration, WAL switch);
        // the others while it works.
        if rng.random_ratio(1, 8) {
            early += 1;
            std::thread::sleep(Duration::from_millis(rng.random_range(0..60)));
        } else {
            let ready = lines.recv_timeout(Duration::from_secs(30));
            if ready.as_deref() != Ok("ready") {
                panic!("kill {kill} (seed {seed}): the child did not start: {ready:?}\n{}", stderr(&mut child));
            }
            std::thread::sleep(Duration::from_millis(rng.random_range(0..200)));
        }
        let killed = child.kill();
        let status = child.wait().expect("the child's end");
        assert!(
            killed.is_ok() && status.code().is_none(),
            "kill {kill}: the child ended by itself: {status}\n{}",
            stderr(&mut child)
        );
        for line in lines.iter() {
            if let Err(e) = confirmed.read(&line) {
                panic!("kill {kill} (seed {seed}): {e}");
            }
        }
        if let Err(e) = check(&db, &confirmed) {
            panic!("after kill {kill} (seed {seed}): {e}");
        }
    }
    println!(
        "crash harness: {kills} kills ({early} while opening), {} tickets and {} staff actions confirmed, all there",
        confirmed.issued.len(),
        confirmed.actions
    );
    assert!(confirmed.issued.len() > kills as usize, "the child did work between the kills");
}

/// What the child said on stderr (it is stopped first, if it still runs).
fn stderr(child: &mut Child) -> String {
    let _ = child.kill();
    let mut text = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut text);
    }
    text
}

/// Rows of one query as strings, for the messages.
fn rows(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect::<Result<Vec<_>, _>>()
    })
    .and_then(|rows| rows.map(|r| r.map(|cols| cols.join(" "))).collect())
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn none(conn: &Connection, what: &str, sql: &str) -> Result<(), String> {
    let found = rows(conn, sql);
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("{what}: {found:?}"))
    }
}

/// The file after a kill, opened as the next start opens it (the WAL is replayed).
fn check(db: &Path, confirmed: &Confirmed) -> Result<(), String> {
    let conn = Connection::open(db).map_err(|e| format!("cannot open: {e}"))?;
    let integrity = rows(&conn, "PRAGMA integrity_check");
    if integrity != ["Text(\"ok\")"] {
        return Err(format!("integrity check: {integrity:?}"));
    }
    if rows(&conn, "SELECT 1 FROM sqlite_schema WHERE name = 'tickets'").is_empty() {
        // Killed before the first migration committed: nothing can have been confirmed.
        return match confirmed.issued.len() {
            0 => Ok(()),
            n => Err(format!("the tickets table is gone with {n} confirmed tickets")),
        };
    }
    for (id, (number, day)) in &confirmed.issued {
        let found = rows(&conn, &format!("SELECT number, service_day FROM tickets WHERE id = {id}"));
        if found != [format!("Text({number:?}) Text({day:?})")] {
            return Err(format!("ticket {id} {number} was confirmed; the file has {found:?}"));
        }
    }
    for (id, rev) in &confirmed.acted {
        let found = rows(&conn, &format!("SELECT rev FROM tickets WHERE id = {id} AND rev >= {rev}"));
        if found.is_empty() {
            return Err(format!("ticket {id}: an action was confirmed at revision {rev}; the file has less"));
        }
    }
    none(&conn, "numbers given twice", "SELECT service_day, number FROM tickets GROUP BY 1, 2 HAVING count(*) > 1")?;
    none(
        &conn,
        "counters behind their tickets (the next start would repeat a number)",
        "SELECT t.queue, t.service_day, max(t.seq), c.last_seq FROM tickets t
         LEFT JOIN counters c ON c.queue = t.queue AND c.service_day = t.service_day
         GROUP BY t.queue, t.service_day HAVING c.last_seq IS NULL OR c.last_seq <> max(t.seq)",
    )?;
    half_applied(&conn)
}

/// What one staff action writes together: the ticket (status, revision, times, calls,
/// desk, ending), the board's call for a call, and its audit entry.
fn half_applied(conn: &Connection) -> Result<(), String> {
    none(
        conn,
        "a ticket's status and its times disagree",
        "SELECT number, status, called_at, started_at, finished_at, outcome FROM tickets WHERE
            (status IN ('done', 'no_show', 'cancelled', 'not_seen')) <> (finished_at IS NOT NULL)
         OR (status = 'in_service' AND started_at IS NULL)
         OR (status = 'done' AND outcome IS NULL)
         OR (calls > 0) <> (first_called_at IS NOT NULL)
         OR (calls > 0) <> (called_at IS NOT NULL)
         OR (status IN ('called', 'in_service') AND desk IS NULL)",
    )?;
    none(
        conn,
        "a ticket's calls and the board's calls disagree",
        "SELECT number, calls, (SELECT count(*) FROM calls c WHERE c.ticket = t.id) AS board
         FROM tickets t WHERE calls <> board",
    )?;
    let ticket_verbs = [Action::Call, Action::Start, Action::Finish, Action::NoShow, Action::Cancel]
        .into_iter()
        .chain([Action::Requeue, Action::Transfer])
        .map(|a| format!("'{}'", verb(a)))
        .chain(["'call-next'".to_string()])
        .collect::<Vec<_>>()
        .join(", ");
    none(
        conn,
        "a ticket's changes (revision) and its audit entries disagree",
        &format!(
            "SELECT number, rev, (SELECT count(*) FROM audit a WHERE a.detail = t.number
                                  AND a.action IN ({ticket_verbs})) AS audited
             FROM tickets t WHERE rev <> audited"
        ),
    )?;
    none(
        conn,
        "a ticket's calls and its audited calls disagree",
        "SELECT number, calls, (SELECT count(*) FROM audit a WHERE a.detail = t.number
                                AND a.action IN ('call', 'call-next')) AS audited
         FROM tickets t WHERE calls <> audited",
    )
}
