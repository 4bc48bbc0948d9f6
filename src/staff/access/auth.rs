//! Who may use the console: argon2id passwords, in-memory sessions with an expiry,
//! the login throttle (see `throttle`), and random secrets (session ids, CSRF).
//! Time is passed in (`now`) so the rules are tested without waiting.

use super::limits::MAX_SESSIONS_PER_ACCOUNT;
use super::throttle::{Refused, Reserved, Throttle};
use crate::store::{Role, StaffAccount};
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
    super::hash_memory::give_large_blocks_back();
    let hash = Argon2::default().hash_password(password.as_bytes(), &salt).map_err(HashError)?;
    Ok(hash.to_string())
}

/// Longest accepted name; longer ones are refused without a database look-up.
pub const MAX_NAME: usize = 64;

/// The shortest password accepted for a staff account (ANSSI's advice for a password
/// alone, with the lockout in front of it).
pub const MIN_PASSWORD: usize = 12;
/// Longer passwords are refused (hashing cost stays bounded).
const MAX_PASSWORD: usize = 256;

/// What is wrong with a new password, in words; `None` if it will do.
pub fn password_problem(password: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Some(format!("Le mot de passe doit avoir au moins {MIN_PASSWORD} caractères : rien n'a été changé."));
    }
    (length > MAX_PASSWORD)
        .then(|| format!("Le mot de passe doit avoir au plus {MAX_PASSWORD} caractères : rien n'a été changé."))
}

/// A new account's name, trimmed: 1 to 64 characters, no control characters.
pub fn account_name(text: &str) -> Option<String> {
    let name = text.trim();
    let length = name.chars().count();
    ((1..=MAX_NAME).contains(&length) && !name.chars().any(char::is_control)).then(|| name.to_string())
}

/// Whether `password` matches the PHC string `hash`; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    super::hash_memory::give_large_blocks_back();
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash that matches no typed password: checked for unknown names so that a wrong
/// name takes as long as a wrong password.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&new_secret()).unwrap_or_default())
}

/// 256 random bits as 64 hex characters (session ids, CSRF tokens, CSP nonces).
pub(crate) fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in a time that does not depend on where they differ.
pub(crate) fn same_secret(given: &str, expected: &str) -> bool {
    !expected.is_empty()
        && given.len() == expected.len()
        && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A one-time message shown on the next page (after an action and its redirect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Notice {
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
pub(crate) struct Session {
    /// The account's id: a removed account made again under the same name has another,
    /// and this session is out.
    pub account: i64,
    pub name: String,
    /// The account's generation at login: a new password moves it, and ends this session.
    pub generation: i64,
    /// As the store said at this request (a changed role applies at once).
    pub role: Role,
    pub csrf: String,
    pub expires: Instant,
    /// The desk this person calls visitors to, remembered after the first call.
    pub desk: Option<String>,
    /// The queue "Appeler le suivant" takes from (`None`: all queues).
    pub queue: Option<char>,
    pub notice: Option<Notice>,
}

/// Sessions and the login throttle, shared by every request.
pub(crate) struct Auth {
    sessions: Mutex<HashMap<String, Session>>,
    throttle: Mutex<Throttle>,
    session_length: Duration,
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

/// What the site's configuration says about logins (see `ConsoleConfig`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoginRules {
    pub session_minutes: u32,
    pub max_failures: u32,
    pub lockout_minutes: u32,
}

impl Auth {
    pub fn new(rules: LoginRules) -> Auth {
        Auth {
            sessions: Mutex::default(),
            throttle: Mutex::new(Throttle::new(rules.max_failures, minutes(rules.lockout_minutes))),
            session_length: minutes(rules.session_minutes),
            verify_slots: Semaphore::new(2),
        }
    }

    /// How long a session lasts (for the cookie's Max-Age).
    pub fn session_length(&self) -> Duration {
        self.session_length
    }

    /// Opens a session for `account` and returns its id.
    pub fn open_session(&self, account: &StaffAccount, now: Instant) -> String {
        let id = new_secret();
        let session = Session {
            account: account.id,
            name: account.name.clone(),
            generation: account.generation,
            role: account.role,
            csrf: new_secret(),
            expires: now + self.session_length,
            desk: None,
            queue: None,
            notice: None,
        };
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, s| s.expires > now);
        // At most MAX_SESSIONS_PER_ACCOUNT: a new login ends the account's oldest ones (all
        // last as long, so the oldest expires first).
        let mut of_account: Vec<(Instant, String)> =
            sessions.iter().filter(|(_, s)| s.account == account.id).map(|(id, s)| (s.expires, id.clone())).collect();
        of_account.sort();
        let over = (of_account.len() + 1).saturating_sub(MAX_SESSIONS_PER_ACCOUNT);
        for (_, oldest) in of_account.into_iter().take(over) {
            sessions.remove(&oldest);
        }
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

    /// Ends every session of `name` (account removed, or its password changed here).
    pub fn close_sessions_of(&self, name: &str) {
        lock(&self.sessions).retain(|_, s| s.name != name);
    }

    /// Reserves a login attempt (see `throttle`), or says why not and for how long.
    /// `device`: the browser's token, if it brought one.
    pub fn begin_attempt(
        &self,
        address: &str,
        name: &str,
        device: Option<&str>,
        unlocked_at: Option<i64>,
        now: Instant,
    ) -> Result<Attempt<'_>, Refused> {
        let reserved = lock(&self.throttle).begin(address, name, device, unlocked_at, now)?;
        Ok(Attempt { auth: self, reserved, right: false })
    }

    pub fn lock_duration(&self) -> Duration {
        lock(&self.throttle).lock_duration()
    }

    /// Waits for a free password-check slot.
    pub async fn verify_slot(&self) -> Option<SemaphorePermit<'_>> {
        self.verify_slots.acquire().await.ok()
    }
}

/// A login attempt the throttle let through: it fails when dropped, unless its password
/// was right (so an attempt whose client went away still ends, and starts the wait).
pub(crate) struct Attempt<'a> {
    auth: &'a Auth,
    reserved: Reserved,
    right: bool,
}

impl Attempt<'_> {
    /// Whether a wrong password now means a lock.
    pub fn locks(&self) -> bool {
        self.reserved.locks()
    }

    /// Whether a wrong password now makes the name's next attempts wait.
    pub fn slows(&self) -> bool {
        self.reserved.slows()
    }

    /// The password was right: returns the browser's token for its cookie.
    pub fn succeeded(mut self, now: Instant) -> String {
        self.right = true;
        lock(&self.auth.throttle).succeeded(&self.reserved, now, new_secret)
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.right {
            lock(&self.auth.throttle).failed(&self.reserved, Instant::now());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(session_minutes: u32) -> Auth {
        Auth::new(LoginRules { session_minutes, max_failures: 3, lockout_minutes: 15 })
    }

    fn account(id: i64, name: &str) -> StaffAccount {
        StaffAccount {
            id,
            name: name.into(),
            password_hash: String::new(),
            role: Role::Agent,
            generation: 0,
            unlocked_at: None,
        }
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
    fn new_passwords_and_names_are_checked() {
        assert!(password_problem("onze lettre").is_some(), "11 characters");
        assert_eq!(password_problem("douze lettre"), None);
        assert_eq!(password_problem("ééééééééééé€"), None, "characters, not bytes");
        assert!(password_problem(&"x".repeat(257)).is_some());
        assert_eq!(account_name("  Marie Dupont "), Some("Marie Dupont".into()));
        assert_eq!(account_name("   "), None);
        assert_eq!(account_name("a\tb"), None);
        assert_eq!(account_name(&"é".repeat(64)).map(|n| n.chars().count()), Some(64));
        assert_eq!(account_name(&"é".repeat(65)), None);
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
    fn sessions_expire_and_close() {
        let auth = auth(60);
        let now = Instant::now();
        let id = auth.open_session(&account(1, "marie"), now);
        let session = auth.session(&id, now + minutes(59)).unwrap();
        assert_eq!(session.name, "marie");
        assert_eq!(session.csrf.len(), 64);
        assert!(auth.session(&id, now + minutes(60)).is_none(), "expired");
        assert!(auth.session(&id, now).is_none(), "an expired session is forgotten");
        let other = auth.open_session(&account(2, "paul"), now);
        auth.close_session(&other);
        assert!(auth.session(&other, now).is_none());
        let again = auth.open_session(&account(2, "paul"), now);
        auth.close_sessions_of("paul");
        assert!(auth.session(&again, now).is_none(), "all of paul's sessions end");
    }

    #[test]
    fn an_account_keeps_at_most_five_sessions_and_a_sixth_login_ends_the_oldest() {
        let auth = auth(60);
        let start = Instant::now();
        let at = |i: u64| start + Duration::from_secs(i);
        let marie: Vec<String> = (0..5).map(|i| auth.open_session(&account(1, "marie"), at(i))).collect();
        let paul = auth.open_session(&account(2, "paul"), at(5));
        assert!(marie.iter().all(|id| auth.session(id, at(5)).is_some()), "five are allowed");
        let sixth = auth.open_session(&account(1, "marie"), at(6));
        assert!(auth.session(&marie[0], at(6)).is_none(), "the oldest is ended");
        assert!(marie[1..].iter().chain([&sixth, &paul]).all(|id| auth.session(id, at(6)).is_some()));
        let seventh = auth.open_session(&account(1, "marie"), at(7));
        assert!(auth.session(&marie[1], at(7)).is_none(), "then the next oldest");
        assert!(auth.session(&seventh, at(7)).is_some());
        assert!(auth.session(&paul, at(7)).is_some(), "another account's session stays");
    }

    #[test]
    fn a_notice_is_shown_once() {
        let auth = auth(60);
        let id = auth.open_session(&account(1, "marie"), Instant::now());
        auth.update(&id, |s| s.notice = Some(Notice::info("Fait")));
        assert_eq!(auth.take_notice(&id).map(|n| n.text), Some("Fait".into()));
        assert_eq!(auth.take_notice(&id), None);
    }
}
