//! `guichet kiosk` itself (the real binary in a virtual X display) started with parts
//! wrong: a speech-dispatcher that accepts the connection and never answers, a site
//! catalogue with a mistake, the console's port held by another program. Each time the
//! window comes up and answers, and staff are told what is wrong and what to do.

use crate::degraded_speech::{stand_in, Ssip};
use crate::window::{http, login};
use crate::x11::{wait_until, window_geometry, xdotool, xvfb, Reaped};
use crate::xwd::capture;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "essai-degrade-2026";

fn config(dir: &Path, extra: &str) -> std::path::PathBuf {
    let path = dir.join("guichet.toml");
    let text = format!(
        "site_name = \"Essai\"\n{extra}\n[display]\nwidth_px = 1280\nheight_px = 800\nwidth_mm = 217.0\n\
         height_mm = 136.0\n[printer]\nkind = \"folder\"\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// `guichet kiosk` on `display`, its stdout and stderr piped.
fn kiosk(dir: &Path, config: &Path, display: &str, env: &[(&str, String)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guichet"));
    command
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--config")
        .arg(config)
        .arg("kiosk")
        .env("DISPLAY", display)
        .env("HOME", dir)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

fn add_staff(dir: &Path, config: &Path) {
    let mut add = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--config")
        .arg(config)
        .args(["staff", "add", "agent", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(PASSWORD.as_bytes()).unwrap();
    assert!(add.wait().unwrap().success());
}

/// The window is up and still answers: a key press changes what it draws.
fn answers(display: &str) {
    let (_, _, width, height) = window_geometry(display, "^guichet$");
    assert_eq!((width, height), (1280, 800));
    assert!(wait_until(Duration::from_secs(20), || capture(display).pixels.iter().any(|p| p != &[0, 0, 0])));
    std::thread::sleep(Duration::from_millis(500));
    let before = capture(display);
    let id = xdotool(display, &["search", "--sync", "--onlyvisible", "--name", "^guichet$"]);
    xdotool(display, &["windowfocus", "--sync", id.lines().next().unwrap_or_default()]);
    xdotool(display, &["key", "Return"]);
    let started = Instant::now();
    assert!(wait_until(Duration::from_secs(10), || capture(display).pixels != before.pixels), "the window froze");
    println!("the window answered a key in {} ms", started.elapsed().as_millis());
}

#[test]
fn a_silent_speech_dispatcher_and_a_broken_catalogue_leave_the_kiosk_serving_and_staff_told() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("catalogue");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("catalogue.toml"), "# Notre catalogue\n[[queues]\nid = \"A\"\n").unwrap();
    let extra = format!(
        "catalogue_dir = \"{}\"\n[console]\nbind = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1:1\"\n[speech]\nenabled = true",
        folder.display()
    );
    let config = config(dir.path(), &extra);
    add_staff(dir.path(), &config);
    let socket = stand_in(dir.path(), Ssip::Silent);
    let (_x, display) = xvfb();
    let started = Instant::now();
    let mut child =
        kiosk(dir.path(), &config, &display, &[("SPEECHD_ADDRESS", format!("unix_socket:{}", socket.display()))]);
    let mut stderr = child.stderr.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let _kiosk = Reaped(child);
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut lines = BufReader::new(stdout);
    let mut console = String::new();
    while console.is_empty() {
        let mut line = String::new();
        assert!(lines.read_line(&mut line).unwrap() > 0, "the kiosk stopped before its console started");
        console = line.trim().strip_prefix("staff console: http://").unwrap_or_default().to_string();
    }
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    // The speech thread is stuck on the silent server, the window is not.
    answers(&display);
    let cookie = login(&console, "agent", PASSWORD);
    let mut page = String::new();
    let lost = wait_until(Duration::from_secs(30), || {
        page = http(&console, "GET", "/borne", &cookie, "");
        page.contains("Perdue")
    });
    assert!(lost, "speech never declared lost: {page}");
    let took = started.elapsed();
    assert!(page.contains("accepte la connexion mais ne répond pas en 10 s"), "{page}");
    assert!(page.contains("catalogue.toml:2") && page.contains("catalogue intégré"), "{page}");
    let queue = http(&console, "GET", "/", &cookie, "");
    assert!(queue.contains("Catalogue des démarches"), "no banner over the queue: {queue}");
    println!("speech declared lost {} s after the start", took.as_secs());
    drop(_kiosk);
    let errors = errors.join().unwrap();
    assert!(errors.contains("speech unavailable, text only") && errors.contains("catalogue.toml:2"), "{errors}");
}

#[test]
fn a_console_port_held_by_another_program_leaves_the_kiosk_serving() {
    let dir = tempfile::tempdir().unwrap();
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let extra = format!(
        "[console]\nbind = \"127.0.0.1:{port}\"\npublic_url = \"http://127.0.0.1:{port}\"\n[speech]\nenabled = false"
    );
    let config = config(dir.path(), &extra);
    let (_x, display) = xvfb();
    let mut child = kiosk(dir.path(), &config, &display, &[]);
    let stderr = child.stderr.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || std::io::copy(&mut BufReader::new(stdout), &mut std::io::sink()));
    let mut kiosk = Reaped(child);
    let mut lines = BufReader::new(stderr);
    let mut said = String::new();
    while !said.contains("the staff console did not start") {
        said.clear();
        assert!(lines.read_line(&mut said).unwrap() > 0, "the kiosk stopped without saying why");
    }
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    assert!(said.contains(&format!("port {port}")) && said.contains("[console] bind"), "{said}");
    answers(&display);
    assert!(kiosk.0.try_wait().unwrap().is_none(), "the kiosk stopped");
    drop(holder);
}
