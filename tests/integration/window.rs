//! The real binary in a real window: `guichet kiosk` on a virtual X display (Xvfb, the
//! desktop backend), a visit made of real pointer clicks (xdotool), the ticket found in
//! SQLite and on the staff console, and the window's pixels compared with the headless
//! render of the same screen (same fonts, same layout).
//!
//! Where to click comes from the same UI laid out in-process on the testing backend at
//! the same display size: if the window drew its buttons anywhere else, the clicks miss.

use crate::common::{rig_at, Rig};
use crate::x11::{wait_until, window_geometry, xdotool, xvfb, Reaped};
use crate::xwd::{capture, differing, Capture};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const PASSWORD: &str = "essai-fenetre-2026";

/// 1280 × 800 on a 217 × 136 mm panel, as in the example configuration.
const CONFIG: &str = r#"
site_name = "Essai"
[display]
width_px = 1280
height_px = 800
width_mm = 217.0
height_mm = 136.0
[console]
bind = "127.0.0.1:0"
public_url = "http://127.0.0.1:1"
[printer]
kind = "folder"
[speech]
enabled = false
"#;

/// The window's top-left corner on the display.
fn window_origin(display: &str) -> (i32, i32) {
    let (x, y, width, height) = window_geometry(display, "^guichet$");
    assert_eq!((width, height), (1280, 800), "the kiosk window is not 1280x800");
    (x, y)
}

/// Waits until the display stops changing (the window has drawn what the click did).
fn settled(display: &str, before: &Capture) -> Capture {
    let mut last = capture(display);
    let changed = wait_until(Duration::from_secs(15), || {
        last = capture(display);
        last.pixels != before.pixels
    });
    assert!(changed, "the window did not change after the click");
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(250));
        let now = capture(display);
        if now.pixels == last.pixels {
            return now;
        }
        last = now;
    }
    panic!("the window keeps changing 10 s after the click");
}

/// Clicks in the real window where the in-process layout has `label`, then presses it
/// there too, so both stay on the same screen.
fn click(display: &str, origin: (i32, i32), rig: &Rig, label: &str) -> Capture {
    let before = capture(display);
    let centre = rig.centre_of(label).unwrap_or_else(|| panic!("{label:?} is not on screen: {:?}", rig.buttons()));
    let (x, y) = (origin.0 + centre.x.round() as i32, origin.1 + centre.y.round() as i32);
    xdotool(display, &["mousemove", "--sync", &x.to_string(), &y.to_string(), "click", "1"]);
    rig.press_at(centre);
    settled(display, &before)
}

fn headless(dir: &Path, config: &Path, screen: &str, extra: &[&str]) -> Capture {
    let out = dir.join(format!("{screen}.png"));
    let mut args = vec!["--screen", screen, "--lang", "fr", "--size", "1280x800"];
    args.extend(extra);
    crate::shots::screenshot(dir, Some(config), &args, &out);
    crate::xwd::read_png(&out)
}

/// One HTTP/1.1 exchange, with what a same-origin browser form sends (Origin, cookies).
pub(crate) fn http(addr: &str, method: &str, path: &str, cookie: &str, form: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nSec-Fetch-Site: same-origin\r\n\
         Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    text
}

/// `name=value` of a cookie the answer sets.
fn set_cookie(answer: &str, name: &str) -> String {
    let line = answer.lines().find(|l| l.to_ascii_lowercase().starts_with(&format!("set-cookie: {name}=")));
    line.and_then(|l| l.split_once(": "))
        .map(|(_, v)| v.split(';').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Logs in on the console as the login form would; returns the session cookie.
pub(crate) fn login(addr: &str, name: &str, password: &str) -> String {
    let page = http(addr, "GET", "/login", "", "");
    let form_cookie = set_cookie(&page, "guichet_csrf");
    let marker = r#"name="csrf" value=""#;
    let start = page.find(marker).expect("a login form") + marker.len();
    let csrf = page[start..].split('"').next().unwrap_or_default();
    let body = format!("name={name}&password={password}&csrf={csrf}&next=");
    let answer = http(addr, "POST", "/login", &form_cookie, &body);
    let session = set_cookie(&answer, "guichet_session");
    assert!(!session.is_empty(), "login refused: {answer}");
    session
}

#[test]
fn the_real_window_takes_clicks_draws_like_the_headless_render_and_issues_a_ticket() {
    guichet::kiosk::fonts::install();
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("guichet.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let (_x, display) = xvfb();
    let bin = env!("CARGO_BIN_EXE_guichet");
    let mut add = Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .args(["staff", "add", "agent", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(PASSWORD.as_bytes()).unwrap();
    assert!(add.wait().unwrap().success());
    let mut kiosk = Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .arg("kiosk")
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = kiosk.stdout.take().unwrap();
    let pid = kiosk.id();
    let _kiosk = Reaped(kiosk);
    let mut lines = BufReader::new(stdout);
    // The kiosk says where its sound goes, then where its console listens.
    let mut console = String::new();
    while console.is_empty() {
        let mut line = String::new();
        assert!(lines.read_line(&mut line).unwrap() > 0, "the kiosk stopped before saying its console address");
        console = line.trim().strip_prefix("staff console: http://").unwrap_or_default().to_string();
    }
    // Keep reading: a closed pipe would make the kiosk's next line fail.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));

    let origin = window_origin(&display);
    let rig = rig_at(guichet::config::Display::default().px_per_mm());
    // The attract screen, drawn.
    assert!(wait_until(Duration::from_secs(20), || capture(&display).pixels.iter().any(|p| p != &[0, 0, 0])));
    // Left still, the attract screen has the kiosk hand back its clean pages (kiosk/rest.rs);
    // the visit below then runs on code mapped again.
    let drawn = crate::rest::code_rss_kib(pid);
    let rested = wait_until(Duration::from_secs(15), || crate::rest::code_rss_kib(pid) * 4 < drawn);
    assert!(
        rested,
        "the kiosk still maps {} KiB of code ({drawn} KiB when first drawn)",
        crate::rest::code_rss_kib(pid)
    );
    let start = capture(&display);
    std::thread::sleep(Duration::from_millis(500));

    // Keys first, as a visitor who cannot see: the first key only says how the keys work,
    // the second (Enter on "Commencer", where each screen's focus starts) starts; the
    // language screen shows its focus ring on its first choice.
    let id = xdotool(&display, &["search", "--sync", "--onlyvisible", "--name", "^guichet$"]);
    xdotool(&display, &["windowfocus", "--sync", id.lines().next().unwrap_or_default()]);
    xdotool(&display, &["key", "Return"]);
    let ringed = settled(&display, &start);
    let off = differing(&ringed, &headless(dir.path(), &config, "attract", &["--keys"]));
    assert!(off < 0.002, "after the first key the window is not the start screen with its focus ring ({off})");
    xdotool(&display, &["key", "Return"]);
    let language = settled(&display, &ringed);
    rig.press_at(rig.centre_of("Commencer").expect("Commencer"));
    let reference = headless(dir.path(), &config, "language", &["--keys"]);
    let off = differing(&language, &reference);
    if off > 0.002 {
        language.save_png(&dir.path().join("window-language.png"));
        let keep = std::env::var("GUICHET_WINDOW_SHOTS").map(PathBuf::from).unwrap_or(dir.keep());
        panic!(
            "the window draws the language screen unlike the headless render: {:.2} % of pixels differ (see {})",
            off * 100.0,
            keep.display()
        );
    }
    assert_ne!(language.pixels, start.pixels);

    click(&display, origin, &rig, "Français");
    let cat = rig.catalogue.clone();
    let theme = &cat.themes[0];
    click(&display, origin, &rig, &theme.title);
    click(&display, origin, &rig, &theme.procedures[0].title);
    click(&display, origin, &rig, &cat.have[0].label);
    click(&display, origin, &rig, "Continuer");
    click(&display, origin, &rig, &cat.priority[0].label);
    // The summary shows "Prendre mon ticket" once every page has been read.
    for _ in 0..8 {
        if rig.centre_of("Prendre mon ticket").is_some() {
            break;
        }
        click(&display, origin, &rig, "Lire la suite");
    }
    click(&display, origin, &rig, "Prendre mon ticket");

    // In SQLite, by a reader of its own.
    let db =
        rusqlite::Connection::open_with_flags(data.join("guichet.sqlite"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut found = None;
    assert!(wait_until(Duration::from_secs(10), || {
        found = db
            .query_row("SELECT number, token, have FROM tickets", [], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .ok();
        found.is_some()
    }));
    let (number, token, have) = found.unwrap();
    assert_eq!(number, format!("{}-001", theme.queue));
    assert!(have.contains(&cat.have[0].id), "the ticked item is on the ticket: {have}");
    // On the staff console: in the queue, and on the page its QR opens.
    let session = login(&console, "agent", PASSWORD);
    let queue = http(&console, "GET", "/", &session, "");
    assert!(queue.contains(&number), "the queue does not show {number}: {queue}");
    let page = http(&console, "GET", &format!("/t/{token}"), &session, "");
    assert!(page.starts_with("HTTP/1.1 200") && page.contains(&number), "{page}");
    // Printed by the simulated printer.
    assert!(wait_until(Duration::from_secs(10), || data.join(format!("printer/{number}.escpos")).exists()));
}
