//! What keeps one client from exhausting the process the console shares with the
//! visitor's screen: a cap on connections (overall, and per client: see [`client_net`]),
//! time limits on the TLS handshake and on reading a request's head (also the idle time
//! of a kept-alive connection) — all three applied by `listener` —, a time limit on every
//! request but the live stream, caps on sessions per account, on live streams (overall
//! and per session) and on read queries at once (a bounded pool of readers), and on the
//! size of a request's body.
//! Numbers are constants: an office has a handful of staff.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Open connections at once, all clients together (further ones wait in the kernel's queue).
pub(super) const MAX_CONNECTIONS: usize = 128;
/// Open connections at once from one client (further ones are closed at once).
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

/// What one client is counted as, for the connection cap and the login throttle: an
/// IPv4 address alone; an IPv6 address by its /64 (a LAN's prefix: a host there may take
/// any address in it at will); an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how a
/// dual-stack listener sees an IPv4 client) as its IPv4 address.
pub(super) fn client_net(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

/// One of the [`MAX_PER_ADDRESS`] places of the client at `ip` (see [`client_net`]), or
/// `None` if all are taken.
pub(super) fn connection_place(counts: &Counts<IpAddr>, ip: IpAddr) -> Option<Place<IpAddr>> {
    take(counts, &client_net(ip), MAX_PER_ADDRESS)
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

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// Takes every place of `first`'s client; whether `other` then still gets one.
    fn shares_places(first: &str, other: &str) -> bool {
        let counts: Counts<IpAddr> = Counts::default();
        let held: Vec<_> = (0..MAX_PER_ADDRESS).map(|_| connection_place(&counts, ip(first)).unwrap()).collect();
        let other = connection_place(&counts, ip(other)).is_none();
        drop(held);
        other
    }

    #[test]
    fn a_client_is_an_ipv4_address_or_an_ipv6_64() {
        assert_eq!(client_net(ip("192.168.1.7")), ip("192.168.1.7"));
        assert_eq!(client_net(ip("::ffff:192.168.1.7")), ip("192.168.1.7"));
        assert_eq!(client_net(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
        assert_eq!(client_net(ip("fe80::fc:ff:fe00:1")), ip("fe80::"));
        assert_eq!(client_net(ip("::1")), ip("::"));
    }

    #[test]
    fn connections_are_capped_per_ipv4_address_and_per_ipv6_64() {
        assert!(shares_places("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"), "one /64: one LAN");
        assert!(!shares_places("2001:db8:1:2::1", "2001:db8:1:3::1"), "another /64");
        assert!(shares_places("::ffff:10.0.0.9", "10.0.0.9"), "an IPv4-mapped address is its IPv4 address");
        assert!(!shares_places("10.0.0.9", "10.0.0.10"), "IPv4: per address");
        assert!(!shares_places("::ffff:10.0.0.9", "::ffff:10.0.0.10"), "IPv4-mapped: per address too");
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
