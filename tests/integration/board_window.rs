//! `guichet board` in a real window (Xvfb): started on a data directory, it shows the calls
//! desks make while it runs, one after the other, and ends up drawing exactly what the
//! headless render of the same calls draws (`guichet screenshot --screen board`).

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

#[test]
fn the_board_window_shows_calls_made_while_it_runs_like_its_headless_render() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let config = dir.path().join("guichet.toml");
    std::fs::write(&config, CONFIG).unwrap();
    // The calls of the headless render's example, made for real.
    let store = Store::open(&data.join("guichet.sqlite")).unwrap();
    let calls = [
        (ticket_numbered(&store, 'A', "A-012"), "Bureau 1"),
        (ticket_numbered(&store, 'C', "C-004"), "Salle Marianne"),
        (ticket_numbered(&store, 'A', "A-013"), "Bureau 2"),
    ];
    let (_x, display) = xvfb();
    let bin = env!("CARGO_BIN_EXE_guichet");
    let board = Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .args(["board", "--silent"])
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
    for (id, desk) in calls {
        store.act(id, Change { desk: Some(desk.into()), ..Change::new(Action::Call) }).wait().unwrap();
    }
    let out = dir.path().join("board.png");
    let size = format!("{width}x{height}");
    let args = ["--screen", "board", "--size", size.as_str()];
    crate::shots::screenshot(&dir.path().join("shot-data"), Some(&config), &args, &out);
    let expected = read_png(&out);
    // Silent, each call stays 4 s before the next: the third shows after about 8 s.
    let mut last = Capture { width: 0, height: 0, pixels: Vec::new() };
    let same = wait_until(Duration::from_secs(30), || {
        last = window();
        differing(&last, &expected) < 0.001
    });
    if !same {
        last.save_png(&dir.path().join("window.png"));
        let kept = std::env::temp_dir().join("guichet-board-window.png");
        let _ = std::fs::copy(dir.path().join("window.png"), &kept);
        panic!(
            "the board window does not draw the three calls as the headless render does: {:.2} % of pixels differ (window: {})",
            differing(&last, &expected) * 100.0,
            kept.display()
        );
    }
    assert!(differing(&empty, &expected) > 0.01, "the calls changed nothing on the board");
}
