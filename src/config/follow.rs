//! `[follow]`: the visitors' page to follow their turn on their own phone ("Suivre mon
//! tour"), served in plain HTTP on a port of its own (phones open it without a
//! certificate warning; nothing secret is on it), and the address phones use.

use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct FollowSection {
    /// Serve the page, and give each ticket its "Suivre mon tour" link.
    pub enabled: bool,
    /// Where the page listens (the visitors' Wi-Fi must reach it).
    pub bind: String,
    /// Address visitors' phones use to reach it (put in the ticket's second QR code).
    pub public_url: String,
}

impl Default for FollowSection {
    fn default() -> Self {
        FollowSection { enabled: false, bind: "0.0.0.0:8081".into(), public_url: "http://192.168.1.20:8081".into() }
    }
}

impl FollowSection {
    /// The address phones open, without a trailing `/`, when the page is on.
    pub fn base_url(&self) -> Option<String> {
        self.enabled.then(|| self.public_url.trim_end_matches('/').to_string())
    }
}

/// A mistake in `[follow]`: (the key, what is wrong, what to write instead). `console_bind`
/// is `[console] bind`: both cannot listen on one port.
pub fn check_follow(follow: &FollowSection, console_bind: &str) -> Result<(), (&'static str, String, String)> {
    let Ok(bind) = follow.bind.parse::<SocketAddr>() else {
        return Err((
            "bind",
            format!("[follow] bind = \"{}\" is not an address and port", follow.bind),
            "write bind = \"0.0.0.0:8081\" (every network of the kiosk) or the address on the visitors' Wi-Fi".into(),
        ));
    };
    let console = console_bind.parse::<SocketAddr>().ok();
    let same_place = console.is_some_and(|c| {
        c.port() == bind.port() && (c.ip() == bind.ip() || c.ip().is_unspecified() || bind.ip().is_unspecified())
    });
    if bind.port() != 0 && same_place {
        return Err((
            "bind",
            format!("[follow] bind = \"{}\" takes the staff console's port {}", follow.bind, bind.port()),
            "give the follow page a port of its own, e.g. bind = \"0.0.0.0:8081\"".into(),
        ));
    }
    let Some(rest) = follow.public_url.strip_prefix("http://") else {
        return Err((
            "public_url",
            format!("[follow] public_url = \"{}\" must start with http://", follow.public_url),
            "the page is served in plain HTTP (phones open it without a certificate warning): write \
             public_url = \"http://192.168.1.20:8081\", this kiosk's address on the visitors' Wi-Fi and the port of bind"
                .into(),
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) || rest.contains(['?', '#']) {
        return Err((
            "public_url",
            format!("[follow] public_url = \"{}\" has no host, or has spaces or a query", follow.public_url),
            "write the address phones open, e.g. public_url = \"http://192.168.1.20:8081\"".into(),
        ));
    }
    Ok(())
}

/// The line of `key` inside `[section]` (0 if not found): `bind` is a key of several
/// sections.
pub fn line_in_section(text: &str, section: &str, key: &str) -> usize {
    let header = format!("[{section}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with('[') {
            inside = line.split('#').next().is_some_and(|h| h.trim() == header);
            continue;
        }
        if inside && line.starts_with(key) && line[key.len()..].trim_start().starts_with('=') {
            return i + 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    fn error(text: &str) -> super::super::ConfigError {
        Config::parse(text, "g.toml").unwrap_err()
    }

    #[test]
    fn off_by_default_and_on_with_its_address() {
        assert_eq!(Config::parse("", "g.toml").unwrap().follow.base_url(), None);
        let text = "[follow]\nenabled = true\nbind = \"0.0.0.0:8081\"\npublic_url = \"http://10.0.0.5:8081/\"\n";
        let c = Config::parse(text, "g.toml").unwrap();
        assert_eq!(c.follow.base_url().as_deref(), Some("http://10.0.0.5:8081"));
    }

    #[test]
    fn mistakes_name_the_line_in_the_follow_section_and_the_fix() {
        let console = "[console]\nbind = \"0.0.0.0:8080\"\npublic_url = \"https://10.0.0.5:8080\"\n";
        let e = error(&format!("{console}[follow]\nenabled = true\nbind = \"8081\"\n"));
        assert_eq!((e.file.as_str(), e.line), ("g.toml", 6), "{e}");
        assert!(e.fix.contains("0.0.0.0:8081"), "{e}");
        let e = error(&format!("{console}[follow]\nbind = \"10.0.0.5:8080\"\n"));
        assert_eq!(e.line, 5, "{e}");
        assert!(e.problem.contains("console's port 8080"), "{e}");
        let e = error(&format!("{console}[follow]\npublic_url = \"https://10.0.0.5:8081\"\n"));
        assert_eq!(e.line, 5, "{e}");
        assert!(e.fix.contains("certificate"), "{e}");
        let e = error("[follow]\n# the page\npublic_url = \"http:// 10.0.0.5\"\n");
        assert_eq!(e.line, 3, "{e}");
        let e = error("[follow]\nenable = true\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.problem.contains("enable"), "{e}");
    }
}
