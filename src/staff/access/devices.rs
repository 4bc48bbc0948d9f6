//! Browsers staff have logged in from, so that a name slowed down by guesses from many
//! addresses (see `throttle`) does not keep its owner out: a right password sets a
//! random token in a cookie that only the login page receives; a browser that brings
//! back a token its name logged in with is not kept waiting (the per-address locks still
//! hold). After `max_failures` wrong passwords with it, a token is dropped. This is
//! OWASP's "device cookie" answer to password guessing, which avoids locking the owner out.
//!
//! Tokens live in memory only: after a restart every browser starts as a stranger.
//! Time is passed in (`now`) so the rules are tested without waiting.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a browser stays known after its last login (the cookie's `Max-Age` too).
pub(crate) const LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);
/// Browsers remembered at once (the ones unused for longest are forgotten first).
const MAX_DEVICES: usize = 256;
/// Names one browser is known for (a shared desk computer).
const MAX_NAMES: usize = 16;

#[derive(Debug)]
struct Device {
    names: Vec<String>,
    /// Wrong passwords with this token since its last right one.
    failures: u32,
    expires: Instant,
}

#[derive(Debug, Default)]
pub(crate) struct Devices {
    by_token: HashMap<String, Device>,
}

impl Devices {
    /// Whether `token` is a browser `name` logged in from, and still may: if so, this
    /// attempt is counted against it now (before its password is checked), and the token
    /// is forgotten when that reaches `max_failures`.
    pub fn reserve(&mut self, token: Option<&str>, name: &str, max_failures: u32, now: Instant) -> bool {
        self.by_token.retain(|_, d| d.expires > now);
        let Some(token) = token else { return false };
        let Some(device) = self.by_token.get_mut(token) else { return false };
        if !device.names.iter().any(|n| n == name) {
            return false;
        }
        device.failures += 1;
        if device.failures >= max_failures {
            self.by_token.remove(token);
        }
        true
    }

    /// A right password for `name`: the browser's token (the one it brought, or a new
    /// one from `new_token`) is known for `name` for [`LIFETIME`] from now.
    pub fn trust(
        &mut self,
        token: Option<&str>,
        name: &str,
        now: Instant,
        new_token: impl FnOnce() -> String,
    ) -> String {
        let known = token.filter(|t| self.by_token.contains_key(*t)).map(str::to_string);
        let token = known.unwrap_or_else(new_token);
        if !self.by_token.contains_key(&token) && self.by_token.len() >= MAX_DEVICES {
            let oldest = self.by_token.iter().min_by_key(|(_, d)| d.expires).map(|(t, _)| t.clone());
            if let Some(oldest) = oldest {
                self.by_token.remove(&oldest);
            }
        }
        let device =
            self.by_token.entry(token.clone()).or_insert(Device { names: Vec::new(), failures: 0, expires: now });
        device.failures = 0;
        device.expires = now + LIFETIME;
        device.names.retain(|n| n != name);
        device.names.push(name.to_string());
        if device.names.len() > MAX_NAMES {
            device.names.remove(0);
        }
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: &str) -> impl FnOnce() -> String + '_ {
        move || text.to_string()
    }

    #[test]
    fn a_browser_is_known_for_the_names_that_logged_in_from_it() {
        let mut d = Devices::default();
        let now = Instant::now();
        assert!(!d.reserve(None, "marie", 3, now));
        assert!(!d.reserve(Some("made-up"), "marie", 3, now), "a token never given");
        let t = d.trust(None, "marie", now, token("t1"));
        assert_eq!(t, "t1");
        assert!(d.reserve(Some("t1"), "marie", 3, now));
        assert!(!d.reserve(Some("t1"), "paul", 3, now), "only for marie");
        assert_eq!(d.trust(Some("t1"), "paul", now, token("t2")), "t1", "a shared desk keeps one token");
        assert!(d.reserve(Some("t1"), "paul", 3, now));
        assert!(!d.reserve(Some("t1"), "marie", 3, now + LIFETIME), "it ends");
    }

    #[test]
    fn wrong_passwords_with_a_token_drop_it_and_a_right_one_starts_the_count_again() {
        let mut d = Devices::default();
        let now = Instant::now();
        d.trust(None, "marie", now, token("t1"));
        assert!(d.reserve(Some("t1"), "marie", 3, now));
        assert!(d.reserve(Some("t1"), "marie", 3, now));
        d.trust(Some("t1"), "marie", now, token("unused"));
        assert!(d.reserve(Some("t1"), "marie", 3, now));
        assert!(d.reserve(Some("t1"), "marie", 3, now));
        assert!(d.reserve(Some("t1"), "marie", 3, now), "the third is still trusted");
        assert!(!d.reserve(Some("t1"), "marie", 3, now), "then the token is gone");
        assert_eq!(d.trust(Some("t1"), "marie", now, token("t2")), "t2", "a right password gives a new one");
    }

    #[test]
    fn memory_stays_bounded() {
        let mut d = Devices::default();
        let now = Instant::now();
        for i in 0..(MAX_DEVICES as u64 + 10) {
            d.trust(None, "marie", now + Duration::from_secs(i), || format!("t{i}"));
        }
        assert_eq!(d.by_token.len(), MAX_DEVICES);
        assert!(!d.by_token.contains_key("t0"), "the oldest went first");
        for i in 0..(MAX_NAMES + 4) {
            d.trust(Some("t265"), &format!("name{i}"), now, token("unused"));
        }
        assert_eq!(d.by_token["t265"].names.len(), MAX_NAMES);
    }
}
