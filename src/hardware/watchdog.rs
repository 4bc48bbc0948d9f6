//! Tells systemd the kiosk is up and alive (`Type=notify` with `WatchdogSec=`): READY=1
//! once the first frame is on screen, then WATCHDOG=1 from a timer of the UI thread, so a
//! frozen screen stops the pings and systemd restarts the kiosk. Outside systemd (no
//! `NOTIFY_SOCKET`) nothing is sent.

use std::os::unix::net::UnixDatagram;
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

#[cfg(test)]
mod tests {
    use super::*;

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
