//! What keeps one client from exhausting the process the console shares with the
//! visitor's screen: a cap on connections (overall, and per client address), time limits
//! on the TLS handshake and on reading a request's head (also the idle time of a
//! kept-alive connection) — all three applied by `listener` —, a time limit on every
//! request but the live stream, caps on sessions per account, on live streams (overall
//! and per session) and on read queries at once (a bounded pool of readers), and on the
//! size of a request's body.
//! Numbers are constants: an office has a handful of staff.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Open connections at once, all clients together (further ones wait in the kernel's queue).
pub(super) const MAX_CONNECTIONS: usize = 128;
/// Open connections at once from one address (further ones are closed at once).
pub(super) const MAX_PER_ADDRESS: usize = 24;
/// Longest time a client may take to finish the TLS handshake.
pub(super) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for a request's head: from the connection's start or the end of its
/// previous response (a kept-alive connection idle this long is closed).
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest time a request (other than the live stream) may take.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Read queries at once (each on its own read-only connection, in a blocking thread).
pub(super) const READERS: usize = 4;
/// Blocking threads of the console's runtime: the readers, the password checks and room
/// for the rest (free disk space).
pub(super) const BLOCKING_THREADS: usize = 8;
/// Longest request body: the console's forms are a few short fields (a login, a desk
/// name, an account); a longer body gets 413 before more of it is read.
pub(super) const MAX_BODY: usize = 16 * 1024;
/// Sessions of one account at once (a phone and a desk computer, and a few to spare): a
/// new login ends the account's oldest one; with the streams per session, this bounds
/// what one account can hold open.
pub(super) const MAX_SESSIONS_PER_ACCOUNT: usize = 5;
/// Live streams at once, all sessions together, and per session.
pub(super) const MAX_STREAMS: usize = 64;
pub(super) const MAX_STREAMS_PER_SESSION: usize = 4;

pub(super) type Counts<K> = Arc<Mutex<HashMap<K, usize>>>;

/// Takes one of `max` places for `key`, or `None` if all are taken; freed on drop.
pub(super) fn take<K: std::hash::Hash + Eq + Clone>(counts: &Counts<K>, key: &K, max: usize) -> Option<Place<K>> {
    let mut map = counts.lock().unwrap_or_else(PoisonError::into_inner);
    let count = map.entry(key.clone()).or_insert(0);
    if *count >= max {
        return None;
    }
    *count += 1;
    Some(Place { counts: counts.clone(), key: key.clone() })
}

/// One taken place; gives it back when dropped.
pub(super) struct Place<K: std::hash::Hash + Eq> {
    counts: Counts<K>,
    key: K,
}

impl<K: std::hash::Hash + Eq> Drop for Place<K> {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = map.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// Live streams: at most [`MAX_STREAMS`] at once, [`MAX_STREAMS_PER_SESSION`] per session.
#[derive(Default)]
pub(super) struct Streams {
    per_session: Counts<String>,
    total: Counts<()>,
}

/// The places one live stream holds.
pub(super) type StreamPlaces = (Place<()>, Place<String>);

impl Streams {
    /// Places for one more stream of `session_id`, or `None` when over either cap.
    pub fn open(&self, session_id: &str) -> Option<StreamPlaces> {
        let total = take(&self.total, &(), MAX_STREAMS)?;
        let session = take(&self.per_session, &session_id.to_string(), MAX_STREAMS_PER_SESSION)?;
        Some((total, session))
    }
}

/// Middleware: a request that takes longer than [`REQUEST_TIMEOUT`] gets "service
/// unavailable" (the router does not put the live stream under it).
pub(super) async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "La console est trop occupée : réessayez.").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_counted_per_key_and_given_back() {
        let counts: Counts<&str> = Counts::default();
        let a: Vec<_> = (0..2).filter_map(|_| take(&counts, &"a", 2)).collect();
        assert_eq!(a.len(), 2);
        assert!(take(&counts, &"a", 2).is_none(), "a is full");
        assert!(take(&counts, &"b", 2).is_some(), "b is not");
        drop(a);
        assert!(take(&counts, &"a", 2).is_some(), "places come back");
    }

    #[test]
    fn streams_are_capped_per_session() {
        let streams = Streams::default();
        let held: Vec<_> = (0..MAX_STREAMS_PER_SESSION).map(|_| streams.open("s1").unwrap()).collect();
        assert!(streams.open("s1").is_none());
        assert!(streams.open("s2").is_some());
        drop(held);
        assert!(streams.open("s1").is_some());
    }
}
