//! The real binaries, from outside: the release `guichet` against Debian's Chromium showing
//! the same welcome screen as a static page (welcome.html). Start: from the process's
//! start to its screenshot written and the process gone (`guichet screenshot` against
//! `chromium --headless --screenshot`), and the real kiosk in Xvfb from its start to
//! READY=1 (what systemd waits for). Idle: the whole kiosk (window and console) and every
//! Chromium process left 10 s on the welcome screen: PSS and CPU time.

use super::procs::{cpu_time, exists, median_run, tree_pss_mib};
use super::table::{ms, Table};
use super::x11::{xvfb, Reaped};
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// As the window test's kiosk: 1280 × 800, a folder printer, speech off (speech-dispatcher
/// is a service of its own, outside both figures).
const CONFIG: &str = r#"
site_name = "Banc"
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

const RUNS: usize = 10;

pub fn run(t: &mut Table) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("guichet.toml");
    std::fs::write(&config, CONFIG).expect("config");
    let guichet = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_guichet"));
        c.arg("--data-dir").arg(dir.path().join("data")).arg("--config").arg(&config).args(args);
        c
    };
    let shot = dir.path().join("attract.png");
    let shot_args = ["screenshot", "--screen", "attract", "--out", shot.to_str().unwrap_or("attract.png")];
    // The first start makes the database: a kiosk starts on its own, already made.
    let _ = guichet(&shot_args).output();
    let kiosk_start = median_run(RUNS, || guichet(&shot_args)).map(ms);
    let chromium = exists("chromium").then(Chromium::new);
    let chromium_start = match &chromium {
        Some(c) => c.start(dir.path()),
        None => Err("chromium is not installed".into()),
    };
    ratio_rows(t, "start → screenshot written, process gone (median of 10)", kiosk_start, chromium_start, |v| {
        (format!("{v:.0} ms"), v)
    });
    let idle = if exists("Xvfb") { kiosk_in_xvfb(t, guichet(&["kiosk"])) } else { Err("Xvfb is not installed".into()) };
    let chromium_idle = match &chromium {
        Some(c) => c.idle(dir.path()),
        None => Err("chromium is not installed".into()),
    };
    ratio_rows(t, "idle 10 s on the welcome screen: PSS of every process", idle, chromium_idle, |m| {
        (format!("{m:.1} MiB"), m)
    });
}

/// The kiosk's row, Chromium's, and how many times the kiosk is smaller (target 25×).
fn ratio_rows<T: Copy>(
    t: &mut Table,
    what: &str,
    kiosk: Result<T, String>,
    chromium: Result<T, String>,
    show: impl Fn(T) -> (String, f64),
) {
    match &kiosk {
        Ok(k) => t.track(format!("kiosk: {what}"), show(*k).0),
        Err(why) => t.missing(format!("kiosk: {what}"), why.clone()),
    }
    match &chromium {
        Ok(c) => t.track(format!("Chromium: {what}"), show(*c).0),
        Err(why) => t.missing(format!("Chromium: {what}"), why.clone()),
    }
    if let (Ok(k), Ok(c)) = (kiosk, chromium) {
        let ratio = show(c).1 / show(k).1.max(f64::EPSILON);
        t.at_least(format!("ratio Chromium ÷ kiosk: {what}"), format!("{ratio:.1}×"), ratio, 25.0, "≥ 25×");
    }
}

/// The real kiosk in a virtual display of its own, started as systemd starts it (a notify
/// socket): its start to READY=1 (median of 5), then, left alone 10 s, its CPU time and PSS.
fn kiosk_in_xvfb(t: &mut Table, mut kiosk: Command) -> Result<f64, String> {
    let (_xvfb, display) = xvfb();
    let sockets = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut starts = Vec::new();
    let mut last = None;
    for i in 0..5 {
        let path = sockets.path().join(format!("notify{i}"));
        let socket = UnixDatagram::bind(&path).map_err(|e| e.to_string())?;
        socket.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
        let began = Instant::now();
        let child = kiosk
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("NOTIFY_SOCKET", &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let child = Reaped(child);
        let mut buf = [0u8; 512];
        loop {
            let n = socket.recv(&mut buf).map_err(|e| format!("no READY=1 from the kiosk: {e}"))?;
            if String::from_utf8_lossy(&buf[..n]).contains("READY=1") {
                break;
            }
        }
        starts.push(began.elapsed());
        last = Some(child);
    }
    let start = super::table::quantile(&mut starts, 0.5);
    t.at_most(
        "kiosk in Xvfb: start → READY=1 (median of 5)",
        format!("{:.0} ms", ms(start)),
        ms(start),
        300.0,
        "≤ 300 ms",
    );
    let kiosk = last.ok_or("no kiosk")?;
    let pid = kiosk.0.id();
    // Before the attract screen has stayed 3 s, the kiosk has not rested (kiosk/rest.rs).
    std::thread::sleep(Duration::from_secs(1));
    let busy = tree_pss_mib(pid);
    t.track("kiosk: 1 s after start, before it rests: PSS of every process", format!("{busy:.1} MiB"));
    std::thread::sleep(Duration::from_secs(1));
    let before = cpu_time(pid);
    std::thread::sleep(Duration::from_secs(10));
    let used = cpu_time(pid).saturating_sub(before);
    t.at_most("kiosk in Xvfb: CPU time used in 10 s idle", format!("{:.0} ms", ms(used)), ms(used), 10.0, "≈ 0");
    Ok(tree_pss_mib(pid))
}

/// Debian's Chromium, headless, on welcome.html.
struct Chromium {
    page: String,
}

impl Chromium {
    fn new() -> Chromium {
        Chromium { page: format!("file://{}/benches/speed/welcome.html", env!("CARGO_MANIFEST_DIR")) }
    }

    fn command(&self, profile: &Path) -> Command {
        let mut c = Command::new("chromium");
        c.args(["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,800", "--no-first-run"])
            .arg(format!("--user-data-dir={}", profile.display()));
        c
    }

    /// Start to the screenshot written and the process gone (median of 10, a warm profile).
    fn start(&self, dir: &Path) -> Result<f64, String> {
        let profile = dir.join("chromium-start");
        let out = dir.join("welcome.png");
        let run = || {
            let mut c = self.command(&profile);
            c.arg(format!("--screenshot={}", out.display())).arg(&self.page);
            c
        };
        let _ = run().output();
        median_run(RUNS, run).map(ms)
    }

    /// Every Chromium process's PSS after 10 s on the page, and their CPU time meanwhile.
    fn idle(&self, dir: &Path) -> Result<f64, String> {
        let mut c = self.command(&dir.join("chromium-idle"));
        c.arg("--remote-debugging-port=0").arg(&self.page).stdout(Stdio::null()).stderr(Stdio::null());
        let browser = Reaped(c.spawn().map_err(|e| e.to_string())?);
        let pid = browser.0.id();
        std::thread::sleep(Duration::from_secs(12));
        Ok(tree_pss_mib(pid))
    }
}
