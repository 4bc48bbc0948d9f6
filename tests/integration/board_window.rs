//! `guichet board` in a real window (Xvfb): started on a data directory, or following a
//! kiosk over the network, it shows the calls desks make while it runs, one after the
//! other, and ends up drawing exactly what the headless render of the same calls draws
//! (`guichet screenshot --screen board`).

use crate::x11::{wait_until, window_geometry, xvfb, Reaped};
use crate::xwd::{capture, differing, read_png, Capture};
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::queue::Action;
use guichet::store::{Change, Store};
use std::process::{Command, Stdio};
use std::time::Duration;

const CONFIG: &str = "site_name = \"France Services\"\n[speech]\nenabled = false\n";

/// Issues tickets in `queue` until one numbered `number`; its id.
fn ticket_numbered(store: &Store, queue: char, number: &str) -> i64 {
    loop {
        let request = TicketRequest {
            theme: "papiers".into(),
            procedure: "carte-identite".into(),
            queue,
            lang: Lang::Uk,
            have: Vec::new(),
            priority: None,
        };
        let t = store.issue(request).wait().unwrap();
        if t.number == number {
            return t.id;
        }
    }
}

/// The calls of the headless render's example, made for real in `store`, while `guichet
/// board` started with `board_args` runs in a real window: it ends up drawing exactly
/// what the headless render of the same calls draws.
fn the_window_shows_the_calls(dir: &std::path::Path, config: &std::path::Path, store: &Store, board_args: &[&str]) {
    let calls = [
        (ticket_numbered(store, 'A', "A-012"), "Bureau 1"),
        (ticket_numbered(store, 'C', "C-004"), "Salle Marianne"),
        (ticket_numbered(store, 'A', "A-013"), "Bureau 2"),
    ];
    let (_x, display) = xvfb();
    let bin = env!("CARGO_BIN_EXE_guichet");
    let board = Command::new(bin)
        .arg("--config")
        .arg(config)
        .args(board_args)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let _board = Reaped(board);
    let (x, y, width, height) = window_geometry(&display, "^guichet .* tableau$");
    assert!(width >= 640 && height >= 400, "a board window of {width}x{height}");
    let window = || capture(&display).crop(x.max(0) as u32, y.max(0) as u32, width as u32, height as u32);
    // Nothing called yet: no number on the board.
    assert!(wait_until(Duration::from_secs(20), || window().pixels.iter().any(|p| p != &[0, 0, 0])));
    let empty = window();
    // A board following over the network connects in its own time: the calls are made once
    // it shows its first frame, and it must hear them all the same.
    for (id, desk) in calls {
        store.act(id, Change { desk: Some(desk.into()), ..Change::new(Action::Call) }).wait().unwrap();
    }
    let out = dir.join("board.png");
    let size = format!("{width}x{height}");
    let args = ["--screen", "board", "--size", size.as_str()];
    crate::shots::screenshot(&dir.join("shot-data"), Some(config), &args, &out);
    let expected = read_png(&out);
    // Silent, each call stays 4 s before the next: the third shows after about 8 s.
    let mut last = Capture { width: 0, height: 0, pixels: Vec::new() };
    let same = wait_until(Duration::from_secs(30), || {
        last = window();
        differing(&last, &expected) < 0.001
    });
    if !same {
        let kept = std::env::temp_dir().join("guichet-board-window.png");
        last.save_png(&kept);
        panic!(
            "the board window does not draw the three calls as the headless render does: {:.2} % of pixels differ (window: {})",
            differing(&last, &expected) * 100.0,
            kept.display()
        );
    }
    assert!(differing(&empty, &expected) > 0.01, "the calls changed nothing on the board");
}

fn site() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let config = dir.path().join("guichet.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let store = Store::open(&data.join("guichet.sqlite")).unwrap();
    (dir, config, store)
}

#[test]
fn the_board_window_shows_calls_made_while_it_runs_like_its_headless_render() {
    let (dir, config, store) = site();
    let data = dir.path().join("data");
    let args = ["--data-dir", data.to_str().unwrap(), "board", "--silent"];
    the_window_shows_the_calls(dir.path(), &config, &store, &args);
}

/// A second Pi by the TV: `guichet board --follow` the kiosk's board address over HTTPS,
/// pinned to the kiosk's certificate.
#[test]
fn a_board_window_following_a_kiosk_over_the_network_shows_its_calls() {
    let (dir, config, store) = site();
    let (server, fingerprint) = crate::board_remote::kiosk_console(&dir.path().join("data"), &store);
    let key = store.new_board_key().wait().unwrap();
    let url = format!("https://localhost:{}/board?key={key}", server.addr.port());
    let own = dir.path().join("board-data");
    let args = [
        "--data-dir",
        own.to_str().unwrap(),
        "board",
        "--silent",
        "--follow",
        url.as_str(),
        "--fingerprint",
        &fingerprint,
    ];
    the_window_shows_the_calls(dir.path(), &config, &store, &args);
    drop(server);
}
