//! A site under fire: 3 kiosks and 6 desks, each its own process on one PostgreSQL (a
//! throwaway cluster of Debian's server), issuing, calling and ending visits at once, while
//! this test kills one of them with SIGKILL at random moments and starts it again. Then the
//! site's database must hold every ticket a kiosk saw confirmed with its number, no number
//! twice in the day, no ticket called by two desks, every confirmed call at its desk, and
//! counters at their tickets (the next number never repeats one).
//!
//! `GUICHET_SITE_KILLS` (default 16) and `GUICHET_SITE_SEED` (printed at the start).

use crate::site_kill_child::{DB, MARK, ROLE};
use guichet::store::Cluster;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

/// What the children printed as confirmed, over all their runs.
#[derive(Default)]
struct Confirmed {
    /// Ticket id → (number, service day).
    issued: HashMap<i64, (String, String)>,
    /// Ticket id → the desk that called it.
    called: HashMap<i64, String>,
    finished: usize,
}

impl Confirmed {
    fn read(&mut self, line: &str) -> Result<(), String> {
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["issued", id, number, day] => {
                let id = id.parse().map_err(|_| format!("bad line {line:?}"))?;
                if self.issued.values().any(|(n, d)| n == number && d == day) {
                    return Err(format!("{number} confirmed twice on {day}"));
                }
                self.issued.insert(id, (number.to_string(), day.to_string()));
            }
            ["called", id, desk] => {
                let id = id.parse().map_err(|_| format!("bad line {line:?}"))?;
                let desk = desk.replace('_', " ");
                if let Some(other) = self.called.insert(id, desk.clone()) {
                    return Err(format!("ticket {id} called by {other} and by {desk}"));
                }
            }
            ["finished", _] => self.finished += 1,
            ["ready"] => {}
            _ => return Err(format!("a child printed {line:?}")),
        }
        Ok(())
    }
}

struct Member {
    role: String,
    child: Child,
    lines: mpsc::Receiver<String>,
}

fn start(db: &str, role: &str) -> Member {
    let (child, lines) = crate::child::start("site_kill_child::child", &[(DB, db), (ROLE, role)], MARK);
    Member { role: role.into(), child, lines }
}

/// Kills the member and reads all it confirmed.
fn kill(member: &mut Member, confirmed: &mut Confirmed) {
    let _ = member.child.kill();
    let _ = member.child.wait();
    for line in member.lines.iter() {
        if let Err(e) = confirmed.read(&line) {
            panic!("{} : {e}", member.role);
        }
    }
}

#[test]
fn three_kiosks_and_six_desks_killed_at_random_lose_nothing_and_call_no_one_twice() {
    let setting = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let kills = setting("GUICHET_SITE_KILLS").unwrap_or(16);
    let seed = setting("GUICHET_SITE_SEED").unwrap_or_else(|| rand::rng().random());
    println!("site kill harness: {kills} kills, GUICHET_SITE_SEED={seed}");
    let dir = tempfile::Builder::new().prefix("guichet-site-kill-").tempdir().unwrap().keep();
    let cluster = Cluster::start(&dir).expect("a PostgreSQL cluster (Debian's postgresql)");
    let db = cluster.create_database("site").unwrap();
    // The tables once, before the members race to make them.
    drop(guichet::store::Store::open_postgres(
        &db,
        &dir.join("setup"),
        std::sync::Arc::new(guichet::clock::SystemClock),
    ));
    let roles = (1..=3).map(|n| format!("kiosk {n}")).chain((1..=6).map(|n| format!("desk {n}")));
    let mut members: Vec<Member> = roles.map(|role| start(&db, &role)).collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut confirmed = Confirmed::default();
    for _ in 0..kills {
        std::thread::sleep(Duration::from_millis(rng.random_range(100..600)));
        let at = rng.random_range(0..members.len());
        let role = members[at].role.clone();
        kill(&mut members[at], &mut confirmed);
        members[at] = start(&db, &role);
    }
    std::thread::sleep(Duration::from_millis(500));
    for member in &mut members {
        kill(member, &mut confirmed);
    }
    let problems = check(&db, &confirmed);
    assert!(problems.is_empty(), "seed {seed}: {problems:#?}");
    println!(
        "site kill harness: {kills} kills, {} tickets issued, {} called, {} finished, all there",
        confirmed.issued.len(),
        confirmed.called.len(),
        confirmed.finished
    );
    assert!(confirmed.issued.len() > 20 && !confirmed.called.is_empty(), "the members did work between the kills");
}

/// The site's database after the kills: what is wrong, if anything.
fn check(db: &str, confirmed: &Confirmed) -> Vec<String> {
    let mut client = postgres::Client::connect(db, postgres::NoTls).expect("connect to the site");
    let mut problems = Vec::new();
    let rows = client.query("SELECT id, number, service_day, desk FROM tickets", &[]).expect("tickets");
    let tickets: HashMap<i64, (String, String, Option<String>)> =
        rows.iter().map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3)))).collect();
    for (id, (number, day)) in &confirmed.issued {
        match tickets.get(id) {
            Some((n, d, _)) if n == number && d == day => {}
            found => problems.push(format!("ticket {id} {number} confirmed; the site has {found:?}")),
        }
    }
    for (id, desk) in &confirmed.called {
        match tickets.get(id) {
            Some((_, _, Some(d))) if d == desk => {}
            found => problems.push(format!("ticket {id} confirmed called at {desk}; the site has {found:?}")),
        }
    }
    let queries = [
        ("numbers given twice", "SELECT service_day, number FROM tickets GROUP BY 1, 2 HAVING count(*) > 1"),
        ("tickets called by two desks", "SELECT ticket FROM calls GROUP BY ticket HAVING count(DISTINCT desk) > 1"),
        ("tickets called twice", "SELECT ticket FROM calls GROUP BY ticket HAVING count(*) > 1"),
        (
            "counters behind their tickets",
            "SELECT t.queue FROM tickets t LEFT JOIN counters c ON c.queue = t.queue AND c.service_day = t.service_day
             WHERE t.seq >= 0 GROUP BY t.queue, t.service_day, c.last_seq
             HAVING c.last_seq IS NULL OR c.last_seq <> max(t.seq)",
        ),
    ];
    for (what, sql) in queries {
        let found = client.query(sql, &[]).expect(sql).len();
        if found > 0 {
            problems.push(format!("{what}: {found}"));
        }
    }
    problems
}
