//! `./scripts/demo.sh --site` as a newcomer runs it (scripts/demo-site.sh, given the
//! test's build): a throwaway PostgreSQL, two kiosks in virtual displays and their
//! consoles on one shared queue (the staff account made through the entrance is the
//! upstairs kiosk's too), and nothing left of the server once the demo is stopped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A port free here, and the one two above it (the upstairs console's).
fn two_free_ports() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap();
        if port < 65000 && TcpListener::bind(("127.0.0.1", port + 2)).is_ok() {
            return port;
        }
    }
}

/// The status line of `GET /login` on the console at `port`, if it answers.
fn login_status(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream.write_all(b"GET /login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().map(str::to_string)
}

fn eventually(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what} (after {limit:?})");
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn the_site_demo_runs_two_kiosks_and_their_consoles_on_one_queue() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let port = two_free_ports();
    let bin = env!("CARGO_BIN_EXE_guichet");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/demo-site.sh");
    let demo = Command::new(&script)
        .env("GUICHET_BIN", bin)
        .env("GUICHET_SITE_DIR", &root)
        .env("GUICHET_SITE_PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("scripts/demo-site.sh");
    let pid = nix::unistd::Pid::from_raw(demo.id() as i32);
    let stop = |mut demo: std::process::Child| {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = demo.wait();
    };
    for p in [port, port + 2] {
        let up = || login_status(p).is_some_and(|s| s.contains(" 200"));
        let started = Instant::now();
        while !up() && started.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(250));
        }
        if !up() {
            stop(demo);
            panic!("the console on :{p} did not answer 200 within 120 s");
        }
    }
    let listed = Command::new(bin).arg("--data-dir").arg(root.join("etage")).args(["staff", "list"]).output().unwrap();
    let accounts = String::from_utf8_lossy(&listed.stdout).to_string();
    stop(demo);
    assert!(
        accounts.lines().any(|l| l.starts_with("demo")),
        "the upstairs kiosk's queue lacks the account: {accounts}"
    );
    eventually("the demo's server folder is removed", Duration::from_secs(30), || !root.join("pg").exists());
    eventually("no kiosk of the demo is left", Duration::from_secs(10), || {
        let left = Command::new("pgrep").arg("-f").arg(root.to_string_lossy().as_ref()).output().unwrap();
        left.stdout.is_empty()
    });
}
