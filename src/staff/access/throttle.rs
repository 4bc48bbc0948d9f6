//! Login throttling. Wrong passwords are counted per (client address, name) and per
//! client address: a name is locked only for the address that tried it, so nobody can
//! lock a colleague out from another machine, and one address that tries many names is
//! locked as a whole.
//!
//! Guesses spread over many addresses are counted per name too: past [`NAME_FACTOR`]
//! times the per-name limit (more than one address may make alone), each further
//! attempt on the name waits, 1 s after the last wrong password was answered, then twice
//! as long after each one, at most [`MAX_WAIT`]: an attempt that comes sooner is refused
//! unchecked, and so is one that comes while another is being checked. The wait is
//! short, so nobody is locked out for long, and a browser the name logged in from is not
//! kept waiting at all (see `devices`).
//!
//! An attempt is counted *before* its password is checked (a reservation, undone when
//! the password was right), under one lock: a burst of concurrent attempts gets exactly
//! as many checks as the limit allows, never more. Its end is told (`failed` or
//! `succeeded`): the name's wait starts from there.
//!
//! An address here is a client's network (`server_thread::places::client_net`: an IPv6 /64).
//! Time is passed in (`now`) so the rules are tested without waiting.

use super::devices::Devices;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// One address may get this many times the per-name limit wrong, across all names.
pub(crate) const ADDRESS_FACTOR: u32 = 4;
/// All addresses together may get a name wrong this many times the per-name limit before
/// each attempt on it waits.
pub(crate) const NAME_FACTOR: u32 = 2;
/// The longest wait between two attempts on a name: at most 60 wrong passwords an hour
/// on one name, from however many addresses (OWASP ASVS 2.2.1 asks for no more than 100).
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair { address: String, name: String },
    Address(String),
    Name(String),
}

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    last: Instant,
    /// The end of a lock, or for a name, of its wait.
    locked_until: Option<Instant>,
    /// For a name whose attempt is being checked: the wait after a wrong password (what
    /// the others are told, rather than the placeholder end in `locked_until`).
    then_wait: Option<Duration>,
}

/// Why an attempt is refused before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The address, or this name from it, is locked for this long.
    Locked(Duration),
    /// The name was guessed too often from everywhere: try again in this long.
    Wait(Duration),
}

/// How long the name's attempts wait while one past its limit is being checked, at
/// most: the check ends well before (the request's time limit), and its end sets the wait.
const CHECKING: Duration = Duration::from_secs(30);

/// An attempt that may go on to the password check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reserved {
    address: String,
    name: String,
    /// This attempt was the last one allowed: if it fails, the lock holds.
    last_allowed: bool,
    locked_address: bool,
    /// The token the browser brought, if any.
    device: Option<String>,
    /// Counted on the name (`None`: the browser's token is one `name` logged in with).
    on_name: Option<OnName>,
    /// This attempt reached the name's limit: if it fails, the name's attempts wait.
    slows: bool,
}

impl Reserved {
    /// Whether a wrong password now means a lock (and for how long it then is).
    pub fn locks(&self) -> bool {
        self.last_allowed || self.locked_address
    }

    /// Whether a wrong password now starts the name's wait (from every address).
    pub fn slows(&self) -> bool {
        self.slows
    }
}

/// What an attempt counted on the name did to its wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OnName {
    /// The wait before (restored if the password is right).
    before: Option<Instant>,
    /// While the password is checked: attempts wait until then, or until its end.
    checking: Option<Instant>,
    /// The wait once the check ends with a wrong password.
    wait: Duration,
}

/// The wait after the `extra`th wrong password past the name's limit (0: the first).
fn wait_after(extra: u32) -> Duration {
    Duration::from_secs(1u64 << extra.min(16)).min(MAX_WAIT)
}

#[derive(Debug)]
pub(crate) struct Throttle {
    counts: HashMap<Key, Count>,
    /// The last unlock applied per name (ms since the epoch, as the store dates them).
    unlocks_seen: HashMap<String, i64>,
    devices: Devices,
    max_per_name: u32,
    lock: Duration,
}

impl Throttle {
    pub fn new(max_per_name: u32, lock: Duration) -> Throttle {
        Throttle {
            counts: HashMap::new(),
            unlocks_seen: HashMap::new(),
            devices: Devices::default(),
            max_per_name: max_per_name.max(1),
            lock,
        }
    }

    pub fn lock_duration(&self) -> Duration {
        self.lock
    }

    fn limit(&self, key: &Key) -> u32 {
        match key {
            Key::Pair { .. } => self.max_per_name,
            Key::Address(_) => self.max_per_name.saturating_mul(ADDRESS_FACTOR),
            Key::Name(_) => self.max_per_name.saturating_mul(NAME_FACTOR),
        }
    }

    fn locked_for(&self, key: &Key, now: Instant) -> Option<Duration> {
        let until = self.counts.get(key)?.locked_until?;
        Some(until.saturating_duration_since(now)).filter(|d| !d.is_zero())
    }

    fn entry(&mut self, key: Key, now: Instant) -> &mut Count {
        self.counts.entry(key).or_insert(Count { failures: 0, last: now, locked_until: None, then_wait: None })
    }

    /// Counts one more attempt on `key`; true if that reaches its limit (it locks now).
    fn count(&mut self, key: Key, now: Instant) -> bool {
        let limit = self.limit(&key);
        let lock = self.lock;
        let count = self.entry(key, now);
        count.failures += 1;
        count.last = now;
        if count.failures < limit || lock.is_zero() {
            return false;
        }
        count.failures = 0;
        count.locked_until = Some(now + lock);
        true
    }

    /// Counts one more attempt on the name from anywhere; past its limit, the others
    /// wait while it is checked. Also says whether this one starts the wait.
    fn count_name(&mut self, name: &str, now: Instant) -> (OnName, bool) {
        let key = Key::Name(name.to_string());
        let limit = self.limit(&key);
        let lock = self.lock;
        let count = self.entry(key, now);
        let mut on_name = OnName { before: count.locked_until, checking: None, wait: Duration::ZERO };
        count.failures += 1;
        count.last = now;
        if count.failures < limit || lock.is_zero() {
            return (on_name, false);
        }
        on_name.checking = Some(now + CHECKING);
        on_name.wait = wait_after(count.failures - limit);
        count.locked_until = on_name.checking;
        count.then_wait = Some(on_name.wait);
        (on_name, count.failures == limit)
    }

    /// The name's count, if this attempt changed its wait and nothing changed it since:
    /// its check is over.
    fn own_wait(&mut self, attempt: &Reserved) -> Option<(&mut Count, OnName)> {
        let on_name = attempt.on_name.filter(|o| o.checking.is_some())?;
        let count = self.counts.get_mut(&Key::Name(attempt.name.clone()))?;
        if count.locked_until != on_name.checking {
            return None;
        }
        count.then_wait = None;
        Some((count, on_name))
    }

    /// Applies an unlock made by an administrator (in this process or another one) since
    /// the last attempt on `name`: every address may try it again, at once.
    fn apply_unlock(&mut self, name: &str, unlocked_at: Option<i64>) {
        let Some(at) = unlocked_at else { return };
        // Any other date is a new unlock: a later one may bear an earlier date when the
        // wall clock was set back in between.
        if self.unlocks_seen.get(name).is_some_and(|seen| *seen == at) {
            return;
        }
        self.unlocks_seen.insert(name.to_string(), at);
        self.counts.retain(|key, _| match key {
            Key::Pair { name: n, .. } | Key::Name(n) => n != name,
            Key::Address(_) => true,
        });
    }

    /// Reserves an attempt, or says how long the address (or this name from it) stays
    /// locked, or how long the name's attempts wait. `device`: the browser's token.
    pub fn begin(
        &mut self,
        address: &str,
        name: &str,
        device: Option<&str>,
        unlocked_at: Option<i64>,
        now: Instant,
    ) -> Result<Reserved, Refused> {
        self.forget_old(now);
        self.apply_unlock(name, unlocked_at);
        let pair = Key::Pair { address: address.to_string(), name: name.to_string() };
        let whole = Key::Address(address.to_string());
        if let Some(left) = self.locked_for(&whole, now).or_else(|| self.locked_for(&pair, now)) {
            return Err(Refused::Locked(left));
        }
        let known = self.devices.reserve(device, name, self.max_per_name, now);
        let by_name = Key::Name(name.to_string());
        if let Some(left) = self.locked_for(&by_name, now).filter(|_| !known) {
            let checking = self.counts.get(&by_name).and_then(|c| c.then_wait);
            return Err(Refused::Wait(checking.unwrap_or(left)));
        }
        let last_allowed = self.count(pair, now);
        let locked_address = self.count(whole, now);
        let (on_name, slows) = if known {
            (None, false)
        } else {
            let (on_name, slows) = self.count_name(name, now);
            (Some(on_name), slows)
        };
        Ok(Reserved {
            address: address.to_string(),
            name: name.to_string(),
            last_allowed,
            locked_address,
            device: device.map(str::to_string),
            on_name,
            slows,
        })
    }

    /// The password was right: the name is free again from this address, and this attempt
    /// no longer counts against the address or the name. Returns the browser's token
    /// (the one it brought, or one from `new_token`), now known for this name.
    pub fn succeeded(&mut self, attempt: &Reserved, now: Instant, new_token: impl FnOnce() -> String) -> String {
        self.counts.remove(&Key::Pair { address: attempt.address.clone(), name: attempt.name.clone() });
        if let Some(count) = self.counts.get_mut(&Key::Address(attempt.address.clone())) {
            count.failures = count.failures.saturating_sub(1);
            if attempt.locked_address {
                count.locked_until = None;
            }
        }
        if let Some((count, on_name)) = self.own_wait(attempt) {
            count.locked_until = on_name.before;
        }
        if attempt.on_name.is_some() {
            if let Some(count) = self.counts.get_mut(&Key::Name(attempt.name.clone())) {
                count.failures = count.failures.saturating_sub(1);
            }
        }
        self.devices.trust(attempt.device.as_deref(), &attempt.name, now, new_token)
    }

    /// The password was wrong (or the attempt ended unchecked): past the name's limit,
    /// its next attempt waits from now.
    pub fn failed(&mut self, attempt: &Reserved, now: Instant) {
        if let Some((count, on_name)) = self.own_wait(attempt) {
            count.locked_until = Some(now + on_name.wait);
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
#[path = "throttle_tests.rs"]
mod tests;
