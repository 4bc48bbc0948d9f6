//! The console's live path with several staff at once, measured (not asserted):
//! Five staff members have the queue page open (each its
//! own session and live stream, over a real socket). The kiosk issues a ticket; each page
//! hears the event and reloads the queue fragment, as its script does; measured: from the
//! issue to the fragment that shows the new ticket's number, for each page. The site's
//! section measures the same with the kiosk and the consoles on one PostgreSQL.

use super::http::{get, login, request, PASSWORD};
use super::table::{p50_p99, Table};
use guichet::core::lang::Lang;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{Role, Store};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

pub const STAFF: usize = 5;
const TICKETS: usize = 60;

/// One open queue page: on every event of its stream it fetches `/queue` and reports the
/// ticket numbers it sees for the first time, with when it saw them.
fn page(addr: SocketAddr, session: String, seen: mpsc::Sender<(String, Instant)>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET /events HTTP/1.1\r\nHost: bench\r\nCookie: {session}\r\n\r\n").expect("request");
    let mut known = HashSet::new();
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { return };
        if !line.starts_with("data:") {
            continue;
        }
        let (_, fragment) = get(addr, "/queue", &session);
        let now = Instant::now();
        for number in fragment.split("A-").skip(1).filter_map(|rest| rest.get(..3)) {
            let new = number.chars().all(|c| c.is_ascii_digit()) && known.insert(number.to_string());
            if new && seen.send((format!("A-{number}"), now)).is_err() {
                return;
            }
        }
    }
}

pub fn run(t: &mut Table) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("bench.sqlite")).expect("store");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("catalogue"));
    let console = Console::new(store.clone(), catalogue, ConsoleConfig::default());
    let server = staff::spawn(console, "127.0.0.1:0".parse().expect("addr")).expect("console");
    let (text, p99) = p50_p99(pages_hear(&store, &[server.addr]));
    t.at_most(format!("kiosk → console: new ticket on {STAFF} open queue pages"), text, p99, 100.0, "p99 ≤ 100 ms");
}

/// `STAFF` staff members (accounts made through `issuer`'s database) open the queue page,
/// spread over the `consoles`; `issuer` issues `TICKETS` tickets, one at a time: from each
/// issue to each page showing its number.
pub fn pages_hear(issuer: &Store, consoles: &[SocketAddr]) -> Vec<Duration> {
    let hash = staff::hash_password(PASSWORD).expect("hash");
    let (tx, rx) = mpsc::channel();
    for i in 0..STAFF {
        let name = format!("agent{i}");
        issuer.add_staff(name.clone(), hash.clone(), Role::Agent).wait().expect("account");
        let addr = consoles[i % consoles.len()];
        let (session, tx) = (login(addr, &name), tx.clone());
        std::thread::spawn(move || page(addr, session, tx));
    }
    std::thread::sleep(Duration::from_millis(500)); // every page listening
    let request = request(Lang::Fr);
    let mut latencies = Vec::new();
    for _ in 0..TICKETS {
        let began = Instant::now();
        let number = issuer.issue(request.clone()).wait().expect("ticket").number;
        let mut pages = 0;
        while pages < STAFF {
            let (seen, at) = rx.recv_timeout(Duration::from_secs(10)).expect("every page shows the ticket within 10 s");
            if seen == number {
                latencies.push(at - began);
                pages += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    latencies
}
