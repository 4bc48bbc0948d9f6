//! The waiting-room board's live path.
//! Over a real socket: a desk calls (from "call next" to the store's commit) → the `call`
//! event read by each of several boards listening at once; and → heard by a board on
//! another Pi (`guichet board --follow`: HTTPS pinned to the kiosk's certificate).

use super::http::request;
use super::table::{p50_p99, Table};
use guichet::board::remote::{self, Heard, Source};
use guichet::core::lang::Lang;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::Store;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const BOARDS: usize = 4;
const CALLS: usize = 200;

/// A board: reads its stream and sends (call id, when read) for each call.
fn board(addr: SocketAddr, key: String, seen: mpsc::Sender<(i64, Instant)>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET /board/events?key={key} HTTP/1.1\r\nHost: bench\r\n\r\n").expect("request");
    let reader = BufReader::new(stream);
    let mut in_call = false;
    for line in reader.lines() {
        let Ok(line) = line else { return };
        if line.starts_with("event: call") {
            in_call = true;
        } else if in_call && line.starts_with("id: ") {
            let id = line[4..].trim().parse().unwrap_or(0);
            if seen.send((id, Instant::now())).is_err() {
                return;
            }
            in_call = false;
        }
    }
}

pub fn run(t: &mut Table) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("bench.sqlite")).expect("store");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("catalogue"));
    let console = Console::new(store.clone(), catalogue, ConsoleConfig::default());
    let server = staff::spawn(console, "127.0.0.1:0".parse().expect("addr")).expect("console");
    let key = store.new_board_key().wait().expect("key");
    let (commits, latencies) = boards_hear(&store, &store, server.addr, &key);
    let (text, _) = p50_p99(commits);
    t.track("desk: call next committed", text);
    let (text, p99) = p50_p99(latencies);
    t.at_most(format!("call → {BOARDS} boards' live streams"), text, p99, 100.0, "p99 ≤ 100 ms");
    server.stop();
    follower(t, &store, dir.path(), &key);
}

/// `BOARDS` boards listen on `console` with `key`; `issuer` issues and `desk` calls, `CALLS`
/// times: the desk's commits, and from each "call next" to each board reading the call.
pub fn boards_hear(desk: &Store, issuer: &Store, console: SocketAddr, key: &str) -> (Vec<Duration>, Vec<Duration>) {
    let (tx, rx) = mpsc::channel();
    for _ in 0..BOARDS {
        let (tx, key) = (tx.clone(), key.to_string());
        std::thread::spawn(move || board(console, key, tx));
    }
    std::thread::sleep(Duration::from_millis(500)); // every board listening
    let request = request(Lang::Fr);
    let mut latencies = Vec::with_capacity(CALLS * BOARDS);
    let mut commits = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        issuer.issue(request.clone()).wait().expect("issue");
        let started = Instant::now();
        desk.call_next(format!("Bureau {}", i % 3), None).wait().expect("call");
        commits.push(started.elapsed());
        let id = (i + 1) as i64;
        let mut heard = 0;
        while heard < BOARDS {
            let (got, at) = rx.recv_timeout(Duration::from_secs(10)).expect("a board hears the call");
            assert_eq!(got, id, "calls arrive in order");
            latencies.push(at - started);
            heard += 1;
        }
    }
    (commits, latencies)
}

/// A board on a second Pi: the same calls over HTTPS, through `guichet board --follow`'s
/// client, from "call next" to the call handed to the announcer.
fn follower(t: &mut Table, store: &Store, dir: &std::path::Path, key: &str) {
    let identity = staff::tls::load_or_create(None, dir, &["localhost".to_string()]).expect("certificate");
    let fingerprint = identity.fingerprint.clone();
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("catalogue"));
    let console = Console::new(store.clone(), catalogue, ConsoleConfig::default()).with_tls(identity);
    let server = staff::spawn(console, "127.0.0.1:0".parse().expect("addr")).expect("console");
    let url = format!("https://localhost:{}/board?key={key}", server.addr.port());
    let (tx, rx) = mpsc::channel();
    let source = Source::parse(&url, Some(&fingerprint)).expect("board address");
    remote::follow(source, move |heard| {
        if let Heard::Call(call) = heard {
            let _ = tx.send((call.id, Instant::now()));
        }
    })
    .expect("follower");
    std::thread::sleep(Duration::from_millis(500)); // connected, the last calls shown
    let request = request(Lang::Fr);
    let mut latencies = Vec::with_capacity(CALLS);
    let mut last = 0;
    for i in 0..CALLS {
        store.issue(request.clone()).wait().expect("issue");
        let started = Instant::now();
        store.call_next(format!("Bureau {}", i % 3), None).wait().expect("call");
        let (got, at) = rx.recv_timeout(Duration::from_secs(10)).expect("the follower hears the call");
        assert!(got > last, "calls arrive in order, once");
        last = got;
        latencies.push(at - started);
    }
    let (text, p99) = p50_p99(latencies);
    t.at_most("call → a board on another Pi (HTTPS, --follow)", text, p99, 100.0, "p99 ≤ 100 ms");
    server.stop();
}
