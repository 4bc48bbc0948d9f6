//! Soak (`scripts/soak.sh`, ignored in the suite): `GUICHET_SOAK_SESSIONS` staff sessions
//! (10,000) through the console on its real socket, each as a person works: the kiosk
//! issues a ticket; log in, the queue page, "call next", the ticket's page, "finished"
//! with an outcome, log out. Memory, open files, threads and the time of a session are
//! sampled (`common::soak`) and must level off.

use crate::common::soak::{count, Curve};
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{Role, Store};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

const PASSWORD: &str = "Tournesol 42 !";

/// One browser: its cookies, one connection per request.
struct Browser {
    addr: SocketAddr,
    cookies: Vec<String>,
}

/// An answer: the status, its `Location`, the page.
struct Answer {
    status: u16,
    location: String,
    page: String,
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    text[from..].find(end).map(|to| &text[from..from + to])
}

impl Browser {
    fn send(&mut self, method: &str, path: &str, form: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = form.iter().map(|(k, v)| format!("{k}={}", v.replace(' ', "+"))).collect();
        let body = body.join("&");
        let mut stream = TcpStream::connect(self.addr).expect("connect to the console");
        let cookie = self.cookies.join("; ");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: soak\r\nCookie: {cookie}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(format!("{head}{body}").as_bytes()).expect("send");
        let mut raw = String::new();
        stream.read_to_string(&mut raw).expect("read the answer");
        let (head, page) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let mut location = String::new();
        for line in head.lines() {
            let (name, value) = line.split_once(": ").unwrap_or_default();
            match name.to_ascii_lowercase().as_str() {
                "location" => location = value.to_string(),
                "set-cookie" => {
                    let pair = value.split(';').next().unwrap_or_default();
                    let name = pair.split('=').next().unwrap_or_default();
                    self.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
                    self.cookies.push(pair.to_string());
                }
                _ => {}
            }
        }
        let status = between(head, " ", " ").and_then(|s| s.parse().ok()).unwrap_or(0);
        Answer { status, location, page: page.to_string() }
    }

    fn get(&mut self, path: &str) -> Answer {
        self.send("GET", path, &[])
    }
}

/// The CSRF token a page's forms carry.
fn csrf(page: &str) -> String {
    between(page, r#"name="csrf" value=""#, "\"").expect("a form with its CSRF token").to_string()
}

/// One staff session around one visitor; the pages' own links and fields lead the way.
fn session(addr: SocketAddr, store: &Store, n: usize) {
    let issued = store.issue(request()).wait().expect("the kiosk issues a ticket");
    let mut b = Browser { addr, cookies: Vec::new() };
    let login = b.get("/login");
    let token = csrf(&login.page);
    let name = format!("agent{}", n % 3);
    let logged = b.send("POST", "/login", &[("name", &name), ("password", PASSWORD), ("csrf", &token), ("next", "")]);
    assert_eq!((logged.status, logged.location.as_str()), (303, "/"), "session {n}: login");
    let queue = b.get("/");
    assert!(queue.page.contains(&issued.number), "session {n}: the queue page shows {}", issued.number);
    let token = csrf(&queue.page);
    let called = b.send("POST", "/call-next", &[("csrf", &token), ("desk", "Bureau 1"), ("queue", "")]);
    assert_eq!(called.status, 303, "session {n}: call next");
    let back = format!("/t/{}", issued.token);
    let ticket = b.get(&back);
    let rev = between(&ticket.page, r#"name="rev" value=""#, "\"").expect("the ticket's form").to_string();
    let finish = format!("/tickets/{}/finish", issued.id);
    let form = [("csrf", token.as_str()), ("rev", &rev), ("back", &back), ("outcome", "done"), ("first_visit", "yes")];
    let finished = b.send("POST", &finish, &form);
    assert_eq!((finished.status, finished.location.as_str()), (303, back.as_str()), "session {n}: finish");
    let out = b.send("POST", "/logout", &[("csrf", &token)]);
    assert_eq!(out.status, 303, "session {n}: logout");
}

fn request() -> TicketRequest {
    TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue: 'A',
        lang: Lang::Fr,
        have: vec!["email".into()],
        priority: None,
    }
}

#[test]
#[ignore = "a soak run: scripts/soak.sh"]
fn soak_staff_sessions() {
    let total = count("SESSIONS", 10_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.sqlite")).unwrap();
    let hash = staff::hash_password(PASSWORD).unwrap();
    for i in 0..3 {
        store.add_staff(format!("agent{i}"), hash.clone(), Role::Agent).wait().unwrap();
    }
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).unwrap());
    let server =
        staff::spawn(Console::new(store.clone(), catalogue, ConsoleConfig::default()), "127.0.0.1:0".parse().unwrap())
            .expect("the console listens");
    let mut curve = Curve::new("staff");
    curve.sample(0);
    for n in 0..total {
        session(server.addr, &store, n);
        if (n + 1) % (total / 40).max(1) == 0 {
            curve.sample(n + 1);
        }
    }
    let finished: i64 = store
        .reader()
        .with(|c| Ok(c.query_one("SELECT count(*) FROM tickets WHERE status = 'done'", &[])?.int(0)?))
        .unwrap();
    assert_eq!(finished, total as i64, "every session finished its visitor");
    if let Err(e) = curve.levelled() {
        panic!("{e}");
    }
}
