//! Login throttling. Wrong passwords are counted per (client address, name) and per
//! client address: a name is locked only for the address that tried it, so nobody can
//! lock a colleague out from another machine, and one address that tries many names is
//! locked as a whole.
//!
//! An attempt is counted *before* its password is checked (a reservation, undone when
//! the password was right), under one lock: a burst of concurrent attempts gets exactly
//! as many checks as the limit allows, never more.
//!
//! Time is passed in (`now`) so the rules are tested without waiting.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// One address may get this many times the per-name limit wrong, across all names.
pub(super) const ADDRESS_FACTOR: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair { address: String, name: String },
    Address(String),
}

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// An attempt that may go on to the password check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reserved {
    address: String,
    name: String,
    /// This attempt was the last one allowed: if it fails, the lock holds.
    last_allowed: bool,
    locked_address: bool,
}

impl Reserved {
    /// Whether a wrong password now means a lock (and for how long it then is).
    pub fn locks(&self) -> bool {
        self.last_allowed || self.locked_address
    }
}

#[derive(Debug)]
pub(super) struct Throttle {
    counts: HashMap<Key, Count>,
    /// The last unlock applied per name (ms since the epoch, as the store dates them).
    unlocks_seen: HashMap<String, i64>,
    max_per_name: u32,
    lock: Duration,
}

impl Throttle {
    pub fn new(max_per_name: u32, lock: Duration) -> Throttle {
        Throttle { counts: HashMap::new(), unlocks_seen: HashMap::new(), max_per_name: max_per_name.max(1), lock }
    }

    pub fn lock_duration(&self) -> Duration {
        self.lock
    }

    fn limit(&self, key: &Key) -> u32 {
        match key {
            Key::Pair { .. } => self.max_per_name,
            Key::Address(_) => self.max_per_name.saturating_mul(ADDRESS_FACTOR),
        }
    }

    fn locked_for(&self, key: &Key, now: Instant) -> Option<Duration> {
        let until = self.counts.get(key)?.locked_until?;
        Some(until.saturating_duration_since(now)).filter(|d| !d.is_zero())
    }

    /// Counts one more attempt on `key`; true if that reaches its limit (it locks now).
    fn count(&mut self, key: Key, now: Instant) -> bool {
        let limit = self.limit(&key);
        let lock = self.lock;
        let count = self.counts.entry(key).or_insert(Count { failures: 0, last: now, locked_until: None });
        count.failures += 1;
        count.last = now;
        if count.failures < limit || lock.is_zero() {
            return false;
        }
        count.failures = 0;
        count.locked_until = Some(now + lock);
        true
    }

    /// Applies an unlock made by an administrator (in this process or another one) since
    /// the last attempt on `name`: every address may try it again.
    fn apply_unlock(&mut self, name: &str, unlocked_at: Option<i64>) {
        let Some(at) = unlocked_at else { return };
        if self.unlocks_seen.get(name).is_some_and(|seen| *seen >= at) {
            return;
        }
        self.unlocks_seen.insert(name.to_string(), at);
        self.counts.retain(|key, _| !matches!(key, Key::Pair { name: n, .. } if n == name));
    }

    /// Reserves an attempt, or says how long the address (or this name from it) stays locked.
    pub fn begin(
        &mut self,
        address: &str,
        name: &str,
        unlocked_at: Option<i64>,
        now: Instant,
    ) -> Result<Reserved, Duration> {
        self.forget_old(now);
        self.apply_unlock(name, unlocked_at);
        let pair = Key::Pair { address: address.to_string(), name: name.to_string() };
        let whole = Key::Address(address.to_string());
        if let Some(left) = self.locked_for(&whole, now).or_else(|| self.locked_for(&pair, now)) {
            return Err(left);
        }
        let last_allowed = self.count(pair, now);
        let locked_address = self.count(whole, now);
        Ok(Reserved { address: address.to_string(), name: name.to_string(), last_allowed, locked_address })
    }

    /// The password was right: the name is free again from this address, and this attempt
    /// no longer counts against the address.
    pub fn succeeded(&mut self, attempt: &Reserved) {
        self.counts.remove(&Key::Pair { address: attempt.address.clone(), name: attempt.name.clone() });
        if let Some(count) = self.counts.get_mut(&Key::Address(attempt.address.clone())) {
            count.failures = count.failures.saturating_sub(1);
            if attempt.locked_address {
                count.locked_until = None;
            }
        }
    }

    /// Forgets counts whose last failure is older than the lock duration and ended locks:
    /// memory stays bounded, as each attempt costs a slow password check.
    fn forget_old(&mut self, now: Instant) {
        let window = self.lock;
        self.counts.retain(|_, c| {
            c.locked_until.is_some_and(|until| until > now) || now.saturating_duration_since(c.last) < window
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: Duration = Duration::from_secs(15 * 60);

    fn fail(t: &mut Throttle, address: &str, name: &str, now: Instant) -> Result<bool, Duration> {
        t.begin(address, name, None, now).map(|r| r.locks())
    }

    #[test]
    fn the_last_allowed_attempt_locks_the_name_from_that_address_only() {
        let mut t = Throttle::new(3, LOCK);
        let now = Instant::now();
        assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Ok(false));
        assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Ok(false));
        assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Ok(true), "the third is the last allowed");
        assert_eq!(
            fail(&mut t, "10.0.0.9", "marie", now + Duration::from_secs(60)),
            Err(LOCK - Duration::from_secs(60))
        );
        assert_eq!(fail(&mut t, "10.0.0.2", "marie", now), Ok(false), "marie's own desk is not locked out");
        assert_eq!(fail(&mut t, "10.0.0.9", "paul", now), Ok(false), "other names are not locked");
        assert_eq!(fail(&mut t, "10.0.0.9", "marie", now + LOCK), Ok(false), "the lock ends");
    }

    #[test]
    fn an_address_trying_many_names_is_locked_as_a_whole() {
        let mut t = Throttle::new(3, LOCK);
        let now = Instant::now();
        for i in 0..(3 * ADDRESS_FACTOR - 1) {
            assert!(fail(&mut t, "10.0.0.9", &format!("name{i}"), now).is_ok(), "attempt {i}");
        }
        assert_eq!(fail(&mut t, "10.0.0.9", "another", now), Ok(true));
        assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Err(LOCK));
        assert!(fail(&mut t, "10.0.0.2", "marie", now).is_ok());
    }

    #[test]
    fn a_right_password_frees_the_name_and_does_not_count() {
        let mut t = Throttle::new(3, LOCK);
        let now = Instant::now();
        fail(&mut t, "a", "marie", now).unwrap();
        fail(&mut t, "a", "marie", now).unwrap();
        let right = t.begin("a", "marie", None, now).unwrap();
        t.succeeded(&right);
        assert_eq!(fail(&mut t, "a", "marie", now), Ok(false), "the count starts again");
        assert_eq!(fail(&mut t, "a", "marie", now), Ok(false));
    }

    #[test]
    fn old_failures_are_forgotten() {
        let mut t = Throttle::new(3, LOCK);
        let now = Instant::now();
        fail(&mut t, "a", "marie", now).unwrap();
        fail(&mut t, "a", "marie", now).unwrap();
        let later = now + LOCK + Duration::from_secs(1);
        assert_eq!(fail(&mut t, "a", "marie", later), Ok(false));
        assert_eq!(fail(&mut t, "a", "marie", later), Ok(false));
        assert!(t.counts.len() <= 2);
    }

    #[test]
    fn an_unlock_frees_the_name_from_every_address_once() {
        let mut t = Throttle::new(2, LOCK);
        let now = Instant::now();
        for address in ["a", "b"] {
            fail(&mut t, address, "marie", now).unwrap();
            fail(&mut t, address, "marie", now).unwrap();
            assert!(fail(&mut t, address, "marie", now).is_err());
        }
        assert_eq!(t.begin("a", "marie", Some(1000), now).map(|r| r.locks()), Ok(false), "unlocked");
        assert_eq!(t.begin("b", "marie", Some(1000), now).map(|r| r.locks()), Ok(false), "for b too");
        assert_eq!(t.begin("b", "marie", Some(1000), now).map(|r| r.locks()), Ok(true), "the same unlock once");
        assert!(t.begin("b", "marie", Some(1000), now).is_err());
    }
}
