//! A virtual X display for the tests that run the real binary in a real window: Xvfb,
//! xdotool, and child processes that die with the test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when the test ends, whatever happens.
pub(crate) struct Reaped(pub(crate) Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A virtual X display of its own.
pub(crate) fn xvfb() -> (Reaped, String) {
    for n in 140..240 {
        if held(&format!("/tmp/.X{n}-lock")) {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([&format!(":{n}"), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is needed (package xvfb; scripts/setup-debian.sh installs it)");
        let mut child = Reaped(child);
        // Ours once the display's lock names our server and its socket is there. Two
        // tests may start a server on the same free number at once: the one that loses
        // exits ("server already active"), and the socket it would see is the winner's,
        // which dies with the other test; so the lock's pid decides, and the loser moves on.
        let (pid, lock) = (child.0.id(), format!("/tmp/.X{n}-lock"));
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let mut exited = false;
        let ours = wait_until(Duration::from_secs(10), || {
            exited = !matches!(child.0.try_wait(), Ok(None));
            let owner = std::fs::read_to_string(&lock).ok().and_then(|t| t.trim().parse::<u32>().ok());
            exited || (owner == Some(pid) && socket.exists())
        });
        if ours && !exited {
            return (child, format!(":{n}"));
        }
    }
    panic!("no free X display number");
}

/// A display's lock file names a live X server. One left by a server that was killed
/// (a test run stopped mid-way) names a dead process: Xvfb takes such a display over, and
/// a machine that ran the suites many times had a hundred of them, so no display was free.
fn held(lock: &str) -> bool {
    match std::fs::read_to_string(lock) {
        Ok(text) => text.trim().parse::<u32>().map_or(true, |pid| Path::new(&format!("/proc/{pid}")).exists()),
        Err(_) => Path::new(lock).exists(),
    }
}

pub(crate) fn wait_until(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

pub(crate) fn xdotool(display: &str, args: &[&str]) -> String {
    // `search --sync` waits for ever for a window that never comes: bounded.
    let out = Command::new("timeout")
        .arg("60")
        .arg("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool is needed (package xdotool; scripts/setup-debian.sh installs it)");
    assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Where the visible window whose title matches `pattern` is, and its size: (x, y, width,
/// height). xdotool's patterns see titles byte by byte: keep them ASCII.
pub(crate) fn window_geometry(display: &str, pattern: &str) -> (i32, i32, i32, i32) {
    let id = xdotool(display, &["search", "--sync", "--onlyvisible", "--name", pattern]);
    let id = id.lines().next().unwrap_or_default().to_string();
    let shell = xdotool(display, &["getwindowgeometry", "--shell", &id]);
    let field = |k: &str| -> i32 {
        shell.lines().find_map(|l| l.strip_prefix(&format!("{k}="))).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    (field("X"), field("Y"), field("WIDTH"), field("HEIGHT"))
}
