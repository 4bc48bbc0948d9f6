//! Who may use the console: argon2id passwords, in-memory sessions with an expiry,
//! the lockout after repeated wrong passwords, and random secrets (session ids, CSRF).
//! Time is passed in (`now`) so the rules are tested without waiting.

use super::ConsoleConfig;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// The password could not be hashed (an argon2 parameter or salt problem).
#[derive(Debug, thiserror::Error)]
#[error("the password could not be hashed: {0}")]
pub struct HashError(argon2::password_hash::Error);

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes) into a PHC string.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(HashError)?;
    let hash = Argon2::default().hash_password(password.as_bytes(), &salt).map_err(HashError)?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `hash`; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash that matches no typed password: checked for unknown names so that a wrong
/// name takes as long as a wrong password.
pub(super) fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&new_secret()).unwrap_or_default())
}

/// 256 random bits as 64 hex characters (session ids, CSRF tokens, CSP nonces).
pub(super) fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in a time that does not depend on where they differ.
pub(super) fn same_secret(given: &str, expected: &str) -> bool {
    !expected.is_empty()
        && given.len() == expected.len()
        && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A one-time message shown on the next page (after an action and its redirect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Notice {
    pub text: String,
    /// A problem (shown in red) rather than a confirmation.
    pub problem: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), problem: false }
    }

    pub fn problem(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), problem: true }
    }
}

/// A logged-in member of staff.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub name: String,
    pub csrf: String,
    pub expires: Instant,
    /// The desk this person calls visitors to, remembered after the first call.
    pub desk: Option<String>,
    /// The queue "Appeler le suivant" takes from (`None`: all queues).
    pub queue: Option<char>,
    pub notice: Option<Notice>,
}

/// Wrong passwords in a row for one name, and when the last one was typed.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Failures per name, and the names locked until some instant. A failure older than
/// the lockout duration is forgotten; memory stays bounded because each failure costs
/// a slow password check.
#[derive(Debug, Default)]
struct Lockouts {
    failures: HashMap<String, Failures>,
    locked: HashMap<String, Instant>,
}

impl Lockouts {
    fn locked_for(&self, name: &str, now: Instant) -> Option<Duration> {
        self.locked.get(name).map(|until| until.saturating_duration_since(now)).filter(|d| !d.is_zero())
    }

    /// Counts a failure; returns the lock duration when this failure locks the name.
    fn failure(&mut self, name: &str, now: Instant, max: u32, lock: Duration) -> Option<Duration> {
        self.forget_old(now, lock);
        let failures = self.failures.entry(name.to_string()).or_insert(Failures { count: 0, last: now });
        failures.count += 1;
        failures.last = now;
        if failures.count < max.max(1) || lock.is_zero() {
            return None;
        }
        self.failures.remove(name);
        self.locked.insert(name.to_string(), now + lock);
        Some(lock)
    }

    fn forget_old(&mut self, now: Instant, window: Duration) {
        self.failures.retain(|_, f| now.saturating_duration_since(f.last) < window);
        self.locked.retain(|_, until| *until > now);
    }

    fn success(&mut self, name: &str) {
        self.failures.remove(name);
        self.locked.remove(name);
    }
}

/// Sessions and lockouts, shared by every request.
pub(super) struct Auth {
    sessions: Mutex<HashMap<String, Session>>,
    lockouts: Mutex<Lockouts>,
    session_length: Duration,
    max_failures: u32,
    lockout: Duration,
    /// Password checks are slow on purpose: at most two at once, so logins cannot
    /// starve the queue pages of CPU.
    verify_slots: Semaphore,
}

fn minutes(n: u32) -> Duration {
    Duration::from_secs(u64::from(n) * 60)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Auth {
    pub fn new(config: &ConsoleConfig) -> Auth {
        Auth {
            sessions: Mutex::default(),
            lockouts: Mutex::default(),
            session_length: minutes(config.session_minutes),
            max_failures: config.max_failures,
            lockout: minutes(config.lockout_minutes),
            verify_slots: Semaphore::new(2),
        }
    }

    /// How long a session lasts (for the cookie's Max-Age).
    pub fn session_length(&self) -> Duration {
        self.session_length
    }

    /// Opens a session and returns its id.
    pub fn open_session(&self, name: &str, now: Instant) -> String {
        let id = new_secret();
        let session = Session {
            name: name.to_string(),
            csrf: new_secret(),
            expires: now + self.session_length,
            desk: None,
            queue: None,
            notice: None,
        };
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, s| s.expires > now);
        sessions.insert(id.clone(), session);
        id
    }

    /// The session with this id, if it exists and has not expired (an expired one is removed).
    pub fn session(&self, id: &str, now: Instant) -> Option<Session> {
        let mut sessions = lock(&self.sessions);
        match sessions.get(id) {
            Some(s) if s.expires > now => Some(s.clone()),
            Some(_) => {
                sessions.remove(id);
                None
            }
            None => None,
        }
    }

    pub fn close_session(&self, id: &str) {
        lock(&self.sessions).remove(id);
    }

    /// Changes a session (remembered desk, notice…); does nothing if it has gone.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Session)) {
        if let Some(s) = lock(&self.sessions).get_mut(id) {
            change(s);
        }
    }

    pub fn take_notice(&self, id: &str) -> Option<Notice> {
        lock(&self.sessions).get_mut(id).and_then(|s| s.notice.take())
    }

    /// How much longer `name` stays locked, if it is.
    pub fn locked_for(&self, name: &str, now: Instant) -> Option<Duration> {
        lock(&self.lockouts).locked_for(name, now)
    }

    /// Counts a wrong password; returns the lock duration if the name is now locked.
    pub fn record_failure(&self, name: &str, now: Instant) -> Option<Duration> {
        lock(&self.lockouts).failure(name, now, self.max_failures, self.lockout)
    }

    pub fn record_success(&self, name: &str) {
        lock(&self.lockouts).success(name);
    }

    /// Waits for a free password-check slot.
    pub async fn verify_slot(&self) -> Option<SemaphorePermit<'_>> {
        self.verify_slots.acquire().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(session_minutes: u32) -> Auth {
        Auth::new(&ConsoleConfig { session_minutes, max_failures: 3, lockout_minutes: 15, ..ConsoleConfig::default() })
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "Correct horse"));
        assert!(!verify_password("not a hash", "correct horse"));
        assert!(!verify_password(decoy_hash(), ""));
    }

    #[test]
    fn secrets_are_long_random_and_compared_exactly() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&b, &a));
        assert!(!same_secret("", ""), "an empty secret never matches");
        assert!(!same_secret(&a[..10], &a));
    }

    #[test]
    fn a_name_is_locked_after_the_last_allowed_failure_then_freed() {
        let auth = auth(480);
        let now = Instant::now();
        assert_eq!(auth.record_failure("marie", now), None);
        assert_eq!(auth.record_failure("marie", now), None);
        assert_eq!(auth.locked_for("marie", now), None);
        assert_eq!(auth.record_failure("marie", now), Some(minutes(15)));
        assert_eq!(auth.locked_for("marie", now + minutes(14)), Some(minutes(1)));
        assert_eq!(auth.locked_for("paul", now), None, "other names are not affected");
        assert_eq!(auth.locked_for("marie", now + minutes(15)), None, "the lock ends");
        assert_eq!(auth.record_failure("marie", now + minutes(15)), None, "the count starts again");
    }

    #[test]
    fn old_failures_are_forgotten() {
        let auth = auth(480);
        let now = Instant::now();
        auth.record_failure("marie", now);
        auth.record_failure("marie", now);
        let later = now + minutes(16);
        assert_eq!(auth.record_failure("marie", later), None, "two failures long ago do not count");
        assert_eq!(auth.record_failure("marie", later), None);
        assert!(auth.record_failure("marie", later).is_some());
    }

    #[test]
    fn a_success_resets_the_failure_count() {
        let auth = auth(480);
        let now = Instant::now();
        auth.record_failure("marie", now);
        auth.record_failure("marie", now);
        auth.record_success("marie");
        assert_eq!(auth.record_failure("marie", now), None);
        assert_eq!(auth.record_failure("marie", now), None);
    }

    #[test]
    fn sessions_expire_and_close() {
        let auth = auth(60);
        let now = Instant::now();
        let id = auth.open_session("marie", now);
        let session = auth.session(&id, now + minutes(59)).unwrap();
        assert_eq!(session.name, "marie");
        assert_eq!(session.csrf.len(), 64);
        assert!(auth.session(&id, now + minutes(60)).is_none(), "expired");
        assert!(auth.session(&id, now).is_none(), "an expired session is forgotten");
        let other = auth.open_session("paul", now);
        auth.close_session(&other);
        assert!(auth.session(&other, now).is_none());
    }

    #[test]
    fn a_notice_is_shown_once() {
        let auth = auth(60);
        let id = auth.open_session("marie", Instant::now());
        auth.update(&id, |s| s.notice = Some(Notice::info("Fait")));
        assert_eq!(auth.take_notice(&id).map(|n| n.text), Some("Fait".into()));
        assert_eq!(auth.take_notice(&id), None);
    }
}
