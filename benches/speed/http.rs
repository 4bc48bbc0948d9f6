//! What the staff-side measurements share: a tiny HTTP/1.1 client over a real socket, the
//! staff login as a browser does it, and the ticket the kiosk issues.

use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

pub const PASSWORD: &str = "Tournesol 42 !";

/// A ticket as a visitor takes it: papers, identity card, queue A.
pub fn request(lang: Lang) -> TicketRequest {
    TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue: 'A',
        lang,
        have: vec!["email".into()],
        priority: None,
    }
}

/// One HTTP/1.1 exchange (connection closed after): the status line and headers, the body.
pub fn http(addr: SocketAddr, request: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    (head.to_string(), body.to_string())
}

pub fn get(addr: SocketAddr, path: &str, cookie: &str) -> (String, String) {
    http(addr, &format!("GET {path} HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"))
}

fn cookie(head: &str, name: &str) -> String {
    head.lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .find(|c| c.starts_with(name))
        .and_then(|c| c.split(';').next())
        .expect("cookie")
        .to_string()
}

/// Logs `name` in (password [`PASSWORD`]) through the login form; the session cookie.
pub fn login(addr: SocketAddr, name: &str) -> String {
    let (head, page) = get(addr, "/login", "");
    let csrf_cookie = cookie(&head, "guichet_csrf");
    let (_, after) = page.split_once(r#"name="csrf" value=""#).expect("csrf field");
    let csrf: String = after.chars().take_while(|c| *c != '"').collect();
    let body = format!("name={name}&password=Tournesol+42+%21&csrf={csrf}&next=");
    let (head, _) = http(
        addr,
        &format!(
            "POST /login HTTP/1.1\r\nHost: bench\r\nCookie: {csrf_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    cookie(&head, "guichet_session")
}
