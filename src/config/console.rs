//! `[console]`: where the staff console listens, how phones reach it, the desks staff
//! call visitors to, and the login rules.

use serde::Deserialize;
use std::path::PathBuf;

/// Whether the console serves HTTPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// HTTPS, except on a loopback address (nothing crosses the network there).
    Auto,
    /// HTTPS always.
    On,
    /// Plain HTTP, even on the office network: passwords cross it readable.
    Off,
}
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleSection {
    pub bind: String,
    /// Address phones on the office network use to reach the console (put in QR codes).
    pub public_url: String,
    pub session_minutes: u32,
    /// Wrong passwords for one name from one address before it is locked there.
    pub max_failures: u32,
    pub lockout_minutes: u32,
    /// How long the audit log of staff actions and logins is kept.
    pub audit_days: u32,
    /// The places staff call visitors to ("Bureau 2", "Guichet 3", "Salle Marianne"):
    /// each staff member picks theirs in a list. Empty: they type it.
    pub desks: Vec<String>,
    pub tls: TlsMode,
    /// The site's certificate and key (PEM); without them the kiosk makes its own.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl ConsoleSection {
    /// Whether the console serves HTTPS with this configuration.
    pub fn serves_https(&self) -> bool {
        let loopback = self.bind.parse::<std::net::SocketAddr>().is_ok_and(|a| a.ip().is_loopback());
        match self.tls {
            TlsMode::On => true,
            TlsMode::Off => false,
            TlsMode::Auto => self.cert.is_some() || !loopback,
        }
    }
}

impl Default for ConsoleSection {
    fn default() -> Self {
        ConsoleSection {
            bind: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            session_minutes: 480,
            max_failures: 5,
            lockout_minutes: 15,
            audit_days: 365,
            desks: Vec::new(),
            tls: TlsMode::Auto,
            cert: None,
            key: None,
        }
    }
}

/// Longest desk name (what the board and the paper say: keep it short).
pub const MAX_DESK: usize = 40;

/// A mistake in `[console]`: (the key, what is wrong, what to write instead).
pub fn check_console(console: &ConsoleSection) -> Result<(), (&'static str, String, String)> {
    if console.bind.parse::<std::net::SocketAddr>().is_err() {
        return Err((
            "bind",
            format!("bind = \"{}\" is not an address and port", console.bind),
            "write bind = \"0.0.0.0:8080\"".into(),
        ));
    }
    if !console.public_url.starts_with("http://") && !console.public_url.starts_with("https://") {
        return Err((
            "public_url",
            "public_url must start with http:// or https://".into(),
            "write the address phones use, e.g. public_url = \"http://192.168.1.20:8080\"".into(),
        ));
    }
    // A certificate needs its key: both given, or neither (the kiosk makes its own).
    let alone = match (&console.cert, &console.key) {
        (Some(_), None) => Some(("cert", "cert is given without key")),
        (None, Some(_)) => Some(("key", "key is given without cert")),
        _ => None,
    };
    if let Some((key, problem)) = alone {
        return Err((
            key,
            problem.into(),
            "give both, e.g. cert = \"/etc/guichet/console.pem\" and key = \"/etc/guichet/console.key\", \
             or neither (the kiosk makes its own certificate)"
                .into(),
        ));
    }
    if console.serves_https() && console.public_url.starts_with("http://") {
        return Err((
            "public_url",
            format!("the console serves HTTPS here, but public_url = \"{}\" says http://", console.public_url),
            "write public_url = \"https://…\" (what staff phones open), or tls = \"off\" to serve plain HTTP \
             on a network you trust (passwords then cross it in clear)"
                .into(),
        ));
    }
    let fix = || {
        "write each place once, 1 to 40 characters, e.g. desks = [\"Bureau 1\", \"Bureau 2\", \"Salle Marianne\"]"
            .to_string()
    };
    for (i, desk) in console.desks.iter().enumerate() {
        let length = desk.trim().chars().count();
        if length == 0 || length > MAX_DESK || desk.chars().any(char::is_control) {
            return Err(("desks", format!("desk \"{desk}\" is empty, too long or has control characters"), fix()));
        }
        if console.desks[..i].iter().any(|d| d.trim() == desk.trim()) {
            return Err(("desks", format!("desk \"{desk}\" is given twice"), fix()));
        }
    }
    Ok(())
}
