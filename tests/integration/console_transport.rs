//! The console over real sockets: plain HTTP (answers, a clean stop that ends the live
//! streams, a busy port), HTTPS with the certificate a kiosk makes for itself
//! (secure, prefixed cookies; plain HTTP to that port gets nothing), and the cap on
//! connections from one address (an IPv4 address, or an IPv6 /64).

use crate::console::{cookie_pair, csrf_field, Site, PASSWORD};
use guichet::staff::{self, tls, Console, ConsoleConfig};
use guichet::store::{Role, Store};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn console(dir: &std::path::Path) -> Console {
    let store = Store::open(&dir.join("guichet.sqlite")).unwrap();
    let hash = staff::hash_password(PASSWORD).unwrap();
    store.add_staff("marie".into(), hash, Role::Agent).wait().unwrap();
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).unwrap());
    Console::new(store, catalogue, ConsoleConfig::default())
}

/// A TLS client that trusts only the kiosk's own certificate.
fn client(cert: &std::path::Path) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for der in CertificateDer::pem_file_iter(cert).unwrap() {
        roots.add(der.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// One HTTPS exchange (the connection closes after the answer).
fn https(config: &Arc<rustls::ClientConfig>, addr: SocketAddr, request: &str) -> String {
    let name = ServerName::try_from("localhost").unwrap();
    let connection = rustls::ClientConnection::new(config.clone(), name).unwrap();
    let socket = TcpStream::connect(addr).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut tls = rustls::StreamOwned::new(connection, socket);
    tls.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    // The server may close without a TLS close_notify once it has answered.
    let _ = tls.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn header<'a>(answer: &'a str, name: &str) -> Vec<&'a str> {
    let prefix = format!("{}: ", name.to_ascii_lowercase());
    answer.lines().filter(|l| l.to_ascii_lowercase().starts_with(&prefix)).map(|l| &l[prefix.len()..]).collect()
}

#[test]
fn the_console_serves_https_with_its_own_certificate_and_secure_cookies() {
    let dir = tempfile::tempdir().unwrap();
    let names = vec!["localhost".to_string()];
    let identity = tls::load_or_create(None, dir.path(), &names).unwrap();
    let fingerprint = identity.fingerprint.clone();
    let server = staff::spawn(console(dir.path()).with_tls(identity), "127.0.0.1:0".parse().unwrap()).unwrap();
    let client = client(&dir.path().join(tls::SELF_CERT));

    let page = https(&client, server.addr, "GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let form_cookie =
        header(&page, "set-cookie").into_iter().find(|c| c.starts_with("__Secure-guichet_csrf=")).unwrap();
    assert!(form_cookie.ends_with("; Secure"), "{form_cookie}");

    let body =
        format!("name=marie&password={}&csrf={}", PASSWORD.replace(' ', "+").replace('!', "%21"), csrf_field(&page));
    let login = format!(
        "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        form_cookie.split(';').next().unwrap(),
        body.len()
    );
    let answer = https(&client, server.addr, &login);
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let session = header(&answer, "set-cookie").into_iter().find(|c| c.starts_with("__Host-guichet_session=")).unwrap();
    assert!(session.contains("Path=/") && session.ends_with("; Secure") && !session.contains("Domain"), "{session}");
    let queue = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {}\r\n\r\n",
        session.split(';').next().unwrap()
    );
    assert!(https(&client, server.addr, &queue).starts_with("HTTP/1.1 200"));

    // Plain HTTP to the HTTPS port: no page, nothing readable.
    let mut plain = TcpStream::connect(server.addr).unwrap();
    plain.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    plain.write_all(b"GET /login HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(!String::from_utf8_lossy(&answer).contains("Se connecter"));

    let pem = std::fs::read(dir.path().join(tls::SELF_CERT)).unwrap();
    let der = CertificateDer::from_pem_slice(&pem).unwrap();
    assert_eq!(tls::fingerprint(&der), fingerprint, "the fingerprint shown is the certificate's");
}

#[test]
fn one_address_cannot_hold_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let server = staff::spawn(console(dir.path()), "127.0.0.1:0".parse().unwrap()).unwrap();
    let held: Vec<TcpStream> = (0..24).map(|_| TcpStream::connect(server.addr).unwrap()).collect();
    let ask = || {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = stream.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    // Connections are counted as the server accepts them: wait until all 24 are.
    let began = Instant::now();
    loop {
        let answer = ask();
        if answer.is_empty() {
            break;
        }
        assert!(began.elapsed() < Duration::from_secs(5), "the 25th connection is still served: {answer}");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(held);
    let began = Instant::now();
    while !ask().starts_with("HTTP/1.1 200") {
        assert!(began.elapsed() < Duration::from_secs(5), "closed connections give their place back");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A connection to `addr` from the local address `from` (any of 127.0.0.0/8 is this machine).
fn connect_from(from: &str, addr: SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
        socket.connect(addr).await.unwrap()
    });
    let stream = stream.into_std().unwrap();
    stream.set_nonblocking(false).unwrap();
    stream
}

/// Whether `/health` answers a new connection from `from` (within 5 s).
fn served(from: &str, addr: SocketAddr) -> bool {
    let mut stream = connect_from(from, addr);
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = stream.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

#[test]
fn on_a_dual_stack_listener_ipv4_clients_are_still_capped_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    // Listening on every IPv6 and IPv4 address: IPv4 clients come as ::ffff:a.b.c.d.
    let Ok(server) = staff::spawn(console(dir.path()), "[::]:0".parse().unwrap()) else {
        eprintln!("no IPv6 on this machine: skipped");
        return;
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], server.addr.port()));
    let held: Vec<TcpStream> = (0..24).map(|_| connect_from("127.0.0.1", addr)).collect();
    let began = Instant::now();
    while served("127.0.0.1", addr) {
        assert!(began.elapsed() < Duration::from_secs(5), "the 25th connection from 127.0.0.1 is still served");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(served("127.0.0.2", addr), "another IPv4 address has places of its own (not one ::ffff:0:0/64)");
    drop(held);
}

/// Reads until the server closes `stream`; how long that took, and what came.
fn wait_for_close(mut stream: TcpStream) -> (Duration, String) {
    let began = Instant::now();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    (began.elapsed(), String::from_utf8_lossy(&answer).into_owned())
}

#[test]
fn a_stalled_request_and_an_idle_connection_are_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = staff::spawn(console(dir.path()), "127.0.0.1:0".parse().unwrap()).unwrap();
    // A request head that never ends (one line, then nothing).
    let mut stalled = TcpStream::connect(server.addr).unwrap();
    stalled.write_all(b"GET /login HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    // A kept-alive connection: one answer, then left idle.
    let mut idle = TcpStream::connect(server.addr).unwrap();
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let stalled = std::thread::spawn(move || wait_for_close(stalled));
    let (idle_time, idle_answer) = wait_for_close(idle);
    let (stalled_time, stalled_answer) = stalled.join().unwrap();

    assert!(idle_answer.starts_with("HTTP/1.1 200"), "{idle_answer}");
    assert!(!stalled_answer.contains("Se connecter"), "{stalled_answer}");
    for (what, time) in [("stalled request", stalled_time), ("idle connection", idle_time)] {
        assert!(time >= Duration::from_secs(9) && time < Duration::from_secs(20), "{what} closed after {time:?}");
    }
}

// The console over plain HTTP on a real socket.

/// One raw HTTP/1.1 exchange; the connection closes after the answer.
fn raw_http(addr: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[tokio::test]
async fn the_server_answers_over_a_real_socket_and_stops_cleanly() {
    let site = Site::open().await;
    let server = staff::spawn(site.console(), "127.0.0.1:0".parse().unwrap()).unwrap();
    assert_ne!(server.addr.port(), 0, "the real port is reported");
    let health = raw_http(server.addr, "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.ends_with("ok"));
    let login = raw_http(server.addr, "GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert!(login.starts_with("HTTP/1.1 200"));
    assert!(login.contains("Se connecter"));
    let addr = server.addr;
    server.stop();
    assert!(TcpStream::connect(addr).is_err(), "the port is released");
}

/// `name=value` of a cookie set in a raw HTTP answer.
fn raw_cookie(answer: &str, name: &str) -> String {
    let line = answer.lines().find(|l| l.to_ascii_lowercase().starts_with(&format!("set-cookie: {name}="))).unwrap();
    cookie_pair(&line["set-cookie: ".len()..])
}

/// Logs in over the socket, as a browser would; returns the session cookie.
fn raw_login(addr: SocketAddr) -> String {
    let page = raw_http(addr, "GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let body = crate::console::form(&[("name", "marie"), ("password", PASSWORD), ("csrf", &csrf_field(&page))]);
    let request = format!(
        "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        raw_cookie(&page, "guichet_csrf"),
        body.len()
    );
    raw_cookie(&raw_http(addr, &request), "guichet_session")
}

#[tokio::test]
async fn stopping_the_server_ends_open_live_streams_promptly() {
    let site = Site::open().await;
    let server = staff::spawn(site.console(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let cookie = raw_login(server.addr);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET /events HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\n\r\n").unwrap();
    let mut start = [0u8; 64];
    let n = stream.read(&mut start).unwrap();
    assert!(String::from_utf8_lossy(&start[..n]).starts_with("HTTP/1.1 200"));
    let began = std::time::Instant::now();
    server.stop();
    assert!(began.elapsed() < Duration::from_secs(3), "stopped by the signal, not by the grace timeout");
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).expect("the stream is closed, not left hanging");
}

#[tokio::test]
async fn binding_a_busy_address_reports_the_error() {
    let site = Site::open().await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let result = staff::spawn(site.console(), taken.local_addr().unwrap());
    assert!(result.is_err());
}
