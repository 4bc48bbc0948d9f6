//! Tells systemd the kiosk is up and alive (`Type=notify` with `WatchdogSec=`): READY=1
//! once the first frame is on screen, then WATCHDOG=1 from a timer of the UI thread, so a
//! frozen screen stops the pings and systemd restarts the kiosk. Outside systemd (no
//! `NOTIFY_SOCKET`) nothing is sent. The kiosk and the board windows both use
//! `keep_systemd_told`.

use std::os::unix::net::UnixDatagram;
use std::rc::Rc;
use std::time::Duration;

/// The service manager's socket, if the process runs under one.
pub struct Notifier {
    socket: UnixDatagram,
    target: std::os::unix::net::SocketAddr,
    /// How often to ping: half the watchdog period systemd asked for.
    pub ping_every: Option<Duration>,
}

impl Notifier {
    /// From `NOTIFY_SOCKET` and `WATCHDOG_USEC` (ignored when `WATCHDOG_PID` names
    /// another process); `None` when not started by systemd or the socket is unusable.
    pub fn from_env() -> Option<Notifier> {
        let path = std::env::var_os("NOTIFY_SOCKET")?;
        let usec = std::env::var("WATCHDOG_USEC").ok().and_then(|v| v.parse::<u64>().ok());
        let ours = std::env::var("WATCHDOG_PID")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .is_none_or(|p| p == std::process::id());
        let period = usec.filter(|u| *u > 0 && ours).map(Duration::from_micros);
        Notifier::new(&path.to_string_lossy(), period)
    }

    /// A notifier for this socket path (`@name` for an abstract socket).
    pub fn new(path: &str, watchdog: Option<Duration>) -> Option<Notifier> {
        let target = match path.strip_prefix('@') {
            Some(name) => {
                use std::os::linux::net::SocketAddrExt;
                std::os::unix::net::SocketAddr::from_abstract_name(name).ok()?
            }
            None => std::os::unix::net::SocketAddr::from_pathname(path).ok()?,
        };
        let socket = UnixDatagram::unbound().ok()?;
        Some(Notifier { socket, target, ping_every: watchdog.map(|p| p / 2) })
    }

    fn send(&self, message: &str) {
        if let Err(e) = self.socket.send_to_addr(message.as_bytes(), &self.target) {
            eprintln!("guichet: cannot notify systemd: {e}");
        }
    }

    /// Startup is over: the first frame is drawn.
    pub fn ready(&self, status: &str) {
        self.send(&format!("READY=1\nSTATUS={status}"));
    }

    /// Still alive.
    pub fn ping(&self) {
        self.send("WATCHDOG=1");
    }
}

/// Under systemd: READY=1 (with `status`) once the window's event loop runs, the first
/// frame being up, then WATCHDOG=1 from the UI thread every `ping_every`, so that a frozen
/// window gets the service restarted. Call it on the UI thread before the window runs, and
/// keep the timer it returns for as long as the window runs.
pub fn keep_systemd_told(status: &'static str) -> Option<slint::Timer> {
    tell_from_ui_thread(Notifier::from_env()?, status)
}

/// `keep_systemd_told` with a given notifier: `None` when systemd asked for no watchdog
/// (READY=1 is still sent).
pub fn tell_from_ui_thread(notifier: Notifier, status: &'static str) -> Option<slint::Timer> {
    let notifier = Rc::new(notifier);
    let ready = Rc::clone(&notifier);
    slint::Timer::single_shot(Duration::ZERO, move || ready.ready(status));
    let every = notifier.ping_every?;
    let timer = slint::Timer::default();
    timer.start(slint::TimerMode::Repeated, every, move || notifier.ping());
    Some(timer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use i_slint_backend_testing::mock_elapsed_time;

    /// What the service manager received since last asked.
    fn received(manager: &UnixDatagram) -> Vec<String> {
        let mut got = Vec::new();
        let mut buf = [0u8; 256];
        while let Ok(n) = manager.recv(&mut buf) {
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        got
    }

    /// Runs `test` on a thread of its own: Slint's timers and mock clock are per thread,
    /// and with `--test-threads=1` every test would share the main thread's.
    fn on_fresh_thread(test: impl FnOnce() + Send + 'static) {
        std::thread::spawn(test).join().unwrap();
    }

    #[test]
    fn the_ui_thread_says_ready_then_pings_every_half_period() {
        on_fresh_thread(ready_then_pings);
    }

    fn ready_then_pings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let manager = UnixDatagram::bind(&path).unwrap();
        manager.set_nonblocking(true).unwrap();
        let n = Notifier::new(path.to_str().unwrap(), Some(Duration::from_secs(30))).unwrap();
        // Slint's timers on this test's thread, on mock time (no window, no platform).
        let timer = tell_from_ui_thread(n, "board on screen");
        assert!(timer.is_some());
        assert!(received(&manager).is_empty(), "nothing before the event loop runs");
        mock_elapsed_time(Duration::ZERO);
        assert_eq!(received(&manager), ["READY=1\nSTATUS=board on screen"]);
        mock_elapsed_time(Duration::from_secs(14));
        assert!(received(&manager).is_empty(), "no ping before half the period");
        mock_elapsed_time(Duration::from_secs(1));
        assert_eq!(received(&manager), ["WATCHDOG=1"]);
        mock_elapsed_time(Duration::from_secs(15));
        assert_eq!(received(&manager), ["WATCHDOG=1"]);
        // The window gone (its timer dropped): no more pings, systemd restarts the service.
        drop(timer);
        mock_elapsed_time(Duration::from_secs(15));
        assert!(received(&manager).is_empty());
    }

    #[test]
    fn without_a_watchdog_only_ready_is_sent() {
        on_fresh_thread(ready_only);
    }

    fn ready_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let manager = UnixDatagram::bind(&path).unwrap();
        manager.set_nonblocking(true).unwrap();
        let n = Notifier::new(path.to_str().unwrap(), None).unwrap();
        assert!(tell_from_ui_thread(n, "kiosk on screen").is_none());
        mock_elapsed_time(Duration::ZERO);
        mock_elapsed_time(Duration::from_secs(60));
        assert_eq!(received(&manager), ["READY=1\nSTATUS=kiosk on screen"]);
    }

    #[test]
    fn ready_and_pings_reach_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let manager = UnixDatagram::bind(&path).unwrap();
        let n = Notifier::new(path.to_str().unwrap(), Some(Duration::from_secs(30))).unwrap();
        assert_eq!(n.ping_every, Some(Duration::from_secs(15)));
        n.ready("kiosk on screen");
        n.ping();
        let mut buf = [0u8; 256];
        let got = manager.recv(&mut buf).unwrap();
        assert_eq!(&buf[..got], b"READY=1\nSTATUS=kiosk on screen");
        let got = manager.recv(&mut buf).unwrap();
        assert_eq!(&buf[..got], b"WATCHDOG=1");
    }

    #[test]
    fn abstract_sockets_work_too() {
        let name = format!("guichet-test-{}", std::process::id());
        use std::os::linux::net::SocketAddrExt;
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(&name).unwrap();
        let manager = UnixDatagram::bind_addr(&addr).unwrap();
        let n = Notifier::new(&format!("@{name}"), None).unwrap();
        assert_eq!(n.ping_every, None);
        n.ping();
        let mut buf = [0u8; 64];
        let got = manager.recv(&mut buf).unwrap();
        assert_eq!(&buf[..got], b"WATCHDOG=1");
    }
}
