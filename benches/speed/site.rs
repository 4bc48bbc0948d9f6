//! A site's shared queue on PostgreSQL (a throwaway cluster of Debian's server, on a
//! Unix socket, fsync off): kiosks issuing at once, desks calling at once, and a change
//! heard by every other process's store (LISTEN/NOTIFY), each store with its own
//! connections as separate processes have; then the same path to what staff see: a kiosk's
//! ticket to the queue pages of two consoles, and a desk's call to the boards, each of
//! kiosk, desk and consoles with its own store on the site's database.

use super::http::request;
use super::table::{p50_p99, Table};
use super::{board, console};
use guichet::clock::SystemClock;
use guichet::core::lang::Lang;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{Cluster, DomainEvent, Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

const KIOSKS: usize = 4;
const PER_KIOSK: usize = 150;
const DESKS: usize = 10;
const CONSOLES: usize = 5;
const HEARD: usize = 200;

pub fn run(t: &mut Table) {
    let dir = match tempfile::Builder::new().prefix("guichet-bench-pg-").tempdir() {
        Ok(d) => d.keep(),
        Err(e) => return t.missing("site on PostgreSQL", e.to_string()),
    };
    let cluster = match Cluster::start(&dir) {
        Ok(c) => c,
        Err(e) => return t.missing("site on PostgreSQL", e),
    };
    let local = dir.join("local");
    let open = |db: &str| {
        let (site, local) = (cluster.create_database(db).expect("a database"), local.clone());
        move || Store::open_postgres(&site, &local, Arc::new(SystemClock)).expect("store")
    };
    issuing(t, open("issue"));
    calling(t, open("call"));
    hearing(t, open("hear"));
    live(t, open("live"));
}

fn issuing(t: &mut Table, open: impl Fn() -> Store) {
    let kiosks: Vec<Store> = (0..KIOSKS).map(|_| open()).collect();
    let results: Vec<(String, Duration)> = std::thread::scope(|s| {
        let each: Vec<_> = kiosks
            .iter()
            .map(|k| {
                s.spawn(move || {
                    (0..PER_KIOSK)
                        .map(|_| {
                            let start = Instant::now();
                            let ticket = k.issue(request(Lang::Fr)).wait().expect("issued");
                            (ticket.number, start.elapsed())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        each.into_iter().flat_map(|h| h.join().expect("kiosk")).collect()
    });
    let distinct: HashSet<&str> = results.iter().map(|(n, _)| n.as_str()).collect();
    let (line, p99) = p50_p99(results.iter().map(|(_, d)| *d).collect());
    let twice = results.len() - distinct.len();
    t.at_most(
        format!("site: {KIOSKS} kiosks issuing at once, {} tickets: issue (commit on PostgreSQL)", results.len()),
        format!("{line}; numbers given twice: {twice}"),
        if twice == 0 { p99 } else { f64::INFINITY },
        50.0,
        "p99 ≤ 50 ms, none twice",
    );
}

fn calling(t: &mut Table, open: impl Fn() -> Store) {
    let kiosk = open();
    let total = DESKS * 40;
    for _ in 0..total {
        kiosk.issue(request(Lang::Fr)).wait().expect("issued");
    }
    let desks: Vec<Store> = (0..DESKS).map(|_| open()).collect();
    let calls: Vec<(i64, Duration)> = std::thread::scope(|s| {
        let each: Vec<_> = desks
            .iter()
            .enumerate()
            .map(|(d, desk)| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let start = Instant::now();
                        match desk.call_next(format!("Bureau {d}"), None).wait() {
                            Ok(row) => mine.push((row.id, start.elapsed())),
                            Err(StoreError::NobodyWaiting) => return mine,
                            Err(e) => panic!("desk {d}: {e}"),
                        }
                    }
                })
            })
            .collect();
        each.into_iter().flat_map(|h| h.join().expect("desk")).collect()
    });
    let distinct: HashSet<i64> = calls.iter().map(|(id, _)| *id).collect();
    let twice = calls.len() - distinct.len();
    let (line, p99) = p50_p99(calls.iter().map(|(_, d)| *d).collect());
    t.at_most(
        format!("site: {DESKS} desks calling at once, {total} visitors: call next"),
        format!("{line}; called: {}, called twice: {twice}", distinct.len()),
        if twice == 0 && distinct.len() == total { p99 } else { f64::INFINITY },
        50.0,
        "none twice (p99 ≤ 50 ms)",
    );
}

fn hearing(t: &mut Table, open: impl Fn() -> Store) {
    let kiosk = open();
    let consoles: Vec<Store> = (0..CONSOLES).map(|_| open()).collect();
    let (tx, rx) = std::sync::mpsc::channel::<(i64, Instant)>();
    for console in &consoles {
        let (mut events, tx) = (console.subscribe(), tx.clone());
        std::thread::spawn(move || {
            while let Ok(e) = events.blocking_recv() {
                if let DomainEvent::TicketIssued { id, .. } = e {
                    if tx.send((id, Instant::now())).is_err() {
                        return;
                    }
                }
            }
        });
    }
    drop(tx);
    let mut started = HashMap::new();
    for _ in 0..HEARD {
        let start = Instant::now();
        let ticket = kiosk.issue(request(Lang::Fr)).wait().expect("issued");
        started.insert(ticket.id, start);
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut heard = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while heard.len() < HEARD * CONSOLES && Instant::now() < deadline {
        if let Ok((id, at)) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(start) = started.get(&id) {
                heard.push(at - *start);
            }
        }
    }
    let missed = HEARD * CONSOLES - heard.len();
    let (line, p99) = p50_p99(heard);
    t.at_most(
        format!("site: a kiosk's ticket → heard by {CONSOLES} other processes' stores (LISTEN/NOTIFY)"),
        format!("{line}; missed: {missed}"),
        if missed == 0 { p99 } else { f64::INFINITY },
        100.0,
        "p99 ≤ 100 ms",
    );
    drop(consoles);
}

/// Two consoles, each its own store on the site's database (as on two Pis), five queue pages
/// spread over them and four boards on the second; the kiosk and the desk are stores of
/// their own too. From the kiosk's issue to every page showing the number, and from the
/// desk's "call next" to every board reading the call.
fn live(t: &mut Table, open: impl Fn() -> Store) {
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("catalogue"));
    let servers: Vec<_> = (0..2)
        .map(|_| {
            let console = Console::new(open(), catalogue.clone(), ConsoleConfig::default());
            staff::spawn(console, "127.0.0.1:0".parse().expect("addr")).expect("console")
        })
        .collect();
    let (kiosk, desk) = (open(), open());
    let addrs: Vec<_> = servers.iter().map(|s| s.addr).collect();
    let (text, p99) = p50_p99(console::pages_hear(&kiosk, &addrs));
    t.at_most(
        format!("site: a kiosk's ticket → {} queue pages on 2 other consoles", console::STAFF),
        text,
        p99,
        100.0,
        "p99 ≤ 100 ms",
    );
    let key = kiosk.new_board_key().wait().expect("key");
    let (_, heard) = board::boards_hear(&desk, &kiosk, addrs[1], &key);
    let (text, p99) = p50_p99(heard);
    t.at_most(
        format!("site: a desk's call → {} boards on another console", board::BOARDS),
        text,
        p99,
        100.0,
        "p99 ≤ 100 ms",
    );
    for server in servers {
        server.stop();
    }
}
