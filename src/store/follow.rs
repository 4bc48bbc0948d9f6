//! The visitor's own link to follow their turn on their phone ("Suivre mon tour"): a
//! token of 128 bits from the operating system's random source, given once to the
//! visitor (QR code) and kept here only as its SHA-256, so a copy of the database opens
//! no page and a lookup by the hash tells nothing, by its timing, about valid tokens.
//! A token is valid on its ticket's service day only.

use super::sql::{args, Db};
use super::StoreError;
use crate::core::queue::{self, Status, Waiting};
use chrono::NaiveDate;

/// A new token (32 lowercase hex characters) and its hash, or `None` when the operating
/// system gives no random bytes (the ticket is then issued without one).
pub fn new_follow_token() -> Option<(String, String)> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new().fill(&mut bytes).ok()?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = follow_hash(&token);
    Some((token, hash))
}

/// What the store keeps of a token: its SHA-256, hex.
pub fn follow_hash(token: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, token.as_bytes()).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A token as [`new_follow_token`] makes them: 32 lowercase hex characters.
pub fn is_follow_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What the follow page may know of a ticket: nothing about the request (no theme,
/// procedure, documents, priority reason), only its place in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowTicket {
    pub id: i64,
    pub number: String,
    /// The queue it is served in now.
    pub queue: char,
    pub lang: crate::core::lang::Lang,
    pub status: Status,
    pub desk: Option<String>,
    /// Times called (the first call and the recalls): each one rings the phone.
    pub calls: u32,
    /// Waiting tickets of its queue called before it (0 when it is not waiting).
    pub ahead: usize,
    /// Today's finished visits in its queue, start to finish (ms): the estimate's base.
    pub service_ms: Vec<i64>,
}

/// The service day as a reader sees it: the last one used, or the clock's day if later.
pub fn service_day_now(db: &dyn Db, today: NaiveDate) -> Result<NaiveDate, StoreError> {
    let last =
        db.query_opt("SELECT value FROM settings WHERE key = 'service_day'", &[])?.map(|r| r.text(0)).transpose()?;
    Ok(queue::service_day(last.and_then(|s| s.parse().ok()), today))
}

/// The ticket whose follow token is `token`, if it belongs to today's service day.
pub fn follow_ticket(db: &dyn Db, token: &str, today: NaiveDate) -> Result<Option<FollowTicket>, StoreError> {
    let day = service_day_now(db, today)?.to_string();
    let found = db.query_opt(
        "SELECT id, number, COALESCE(moved_to, queue), lang, status, desk, calls FROM tickets
         WHERE follow_hash = ?1 AND service_day = ?2",
        args![follow_hash(token), day.as_str()],
    )?;
    let Some(r) = found else { return Ok(None) };
    let (id, number, queue_name, lang, status, desk, calls) =
        (r.int(0)?, r.text(1)?, r.text(2)?, r.text(3)?, r.text(4)?, r.opt_text(5)?, r.count(6)?);
    let queue = queue_name.chars().next().unwrap_or('?');
    let status = Status::parse(&status).unwrap_or(Status::Cancelled);
    let waiting: Vec<Waiting> = super::read::waiting(db, Some(queue))?;
    let ahead = if status == Status::Waiting { crate::core::follow::ahead_of(&waiting, id) } else { 0 };
    let service_ms = super::read::service_times(db, &day, queue)?;
    Ok(Some(FollowTicket {
        id,
        number,
        queue,
        lang: crate::core::lang::Lang::from_code(&lang).unwrap_or_default(),
        status,
        desk,
        calls,
        ahead,
        service_ms,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_random_bits_and_only_their_hash_is_kept() {
        let (a, hash) = new_follow_token().expect("the OS gives random bytes");
        let (b, _) = new_follow_token().expect("the OS gives random bytes");
        assert!(is_follow_token(&a) && is_follow_token(&b));
        assert_ne!(a, b);
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, follow_hash(&a));
        assert!(!hash.contains(&a));
        // SHA-256 of "abc", the standard's own example.
        assert_eq!(follow_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(!is_follow_token(&a.to_uppercase()));
        assert!(!is_follow_token(&a[1..]));
        assert!(!is_follow_token("A-001"));
    }
}
