//! What keeps the visitors' network from tiring the kiosk: caps on connections (overall
//! and per client), on live streams (overall and per ticket), a rate of requests per
//! client, time limits on reading a request's head and on each request but the live
//! stream. A client is an IPv4 address or an IPv6 /64. A guest Wi-Fi that puts every
//! phone behind one address (NAT) still gets a few dozen visitors through.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Open connections at once, all clients together (further ones wait in the kernel's queue).
pub(super) const MAX_CONNECTIONS: usize = 256;
/// Open connections at once from one client (further ones are closed at once).
pub(super) const MAX_PER_CLIENT: usize = 64;
/// Requests one client may make in one [`WINDOW`] (a page, its style, script and sound,
/// and the stream's reconnections: a dozen per visitor).
pub(super) const MAX_REQUESTS: u32 = 300;
pub(super) const WINDOW: Duration = Duration::from_secs(60);
/// Clients remembered for the rate: beyond, the oldest windows are forgotten first.
const MAX_CLIENTS: usize = 4096;
/// Longest wait for a request's head (also the idle time of a kept-alive connection).
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest time a request (other than the live stream) may take.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Live streams at once, all tickets together, and per ticket.
pub(super) const MAX_STREAMS: usize = 200;
pub(super) const MAX_STREAMS_PER_TICKET: usize = 4;
/// Read queries at once.
pub(super) const READERS: usize = 3;
/// How long requests in progress may take to finish once the server is told to stop.
pub(super) const GRACE: Duration = Duration::from_secs(3);

/// The key one client is counted under.
pub(super) fn client(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) >> 64 << 64)),
        v4 => v4,
    }
}

type Counts<K> = Arc<Mutex<HashMap<K, usize>>>;

/// A taken place among [`Limits`]' counts; given back when dropped.
pub(super) struct Place<K: std::hash::Hash + Eq + Clone> {
    counts: Counts<K>,
    key: K,
}

impl<K: std::hash::Hash + Eq + Clone> Place<K> {
    /// One of `max` places for `key`, or `None` when all are taken.
    fn take(counts: &Counts<K>, key: K, max: usize) -> Option<Place<K>> {
        let mut map = counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = map.entry(key.clone()).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Place { counts: counts.clone(), key })
    }
}

impl<K: std::hash::Hash + Eq + Clone> Drop for Place<K> {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = map.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// The server's counts.
#[derive(Default)]
pub(super) struct Limits {
    connections: Counts<IpAddr>,
    streams: Counts<String>,
    all_streams: Counts<()>,
    /// Per client: when its window began and the requests in it.
    rate: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// The places one live stream holds.
pub(super) type StreamPlaces = (Place<()>, Place<String>);

impl Limits {
    /// A connection's place for the client at `ip`, or `None` over its share.
    pub fn connection(&self, ip: IpAddr) -> Option<Place<IpAddr>> {
        Place::take(&self.connections, client(ip), MAX_PER_CLIENT)
    }

    /// Places for one more stream of a ticket (its token's hash), or `None` over a cap.
    pub fn stream(&self, ticket: &str) -> Option<StreamPlaces> {
        let all = Place::take(&self.all_streams, (), MAX_STREAMS)?;
        Some((all, Place::take(&self.streams, ticket.to_string(), MAX_STREAMS_PER_TICKET)?))
    }

    /// Counts a request of the client at `ip` at `now`; `false` when over its rate.
    pub fn request(&self, ip: IpAddr, now: Instant) -> bool {
        let mut rate = self.rate.lock().unwrap_or_else(PoisonError::into_inner);
        if rate.len() >= MAX_CLIENTS {
            rate.retain(|_, (began, _)| now.duration_since(*began) < WINDOW);
        }
        if rate.len() >= MAX_CLIENTS {
            // Every window is young: forget the oldest half.
            let mut began: Vec<Instant> = rate.values().map(|(b, _)| *b).collect();
            began.sort_unstable();
            let cut = began[began.len() / 2];
            rate.retain(|_, (b, _)| *b > cut);
        }
        let (began, count) = rate.entry(client(ip)).or_insert((now, 0));
        if now.duration_since(*began) >= WINDOW {
            (*began, *count) = (now, 0);
        }
        *count += 1;
        *count <= MAX_REQUESTS
    }
}

/// Middleware: the rate per client, then a time limit on every request but the stream
/// (the router puts it outside).
pub(super) async fn rate(State(limits): State<Arc<Limits>>, request: Request, next: Next) -> Response {
    let ip = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if ip.is_some_and(|ip| !limits.request(ip, Instant::now())) {
        let mut response =
            (StatusCode::TOO_MANY_REQUESTS, "Trop de demandes : réessayez dans une minute.").into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(WINDOW.as_secs()));
        return response;
    }
    next.run(request).await
}

pub(super) async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "Réessayez dans un instant.").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_client_is_an_ipv4_address_or_an_ipv6_64() {
        assert_eq!(client(ip("192.168.1.7")), ip("192.168.1.7"));
        assert_eq!(client(ip("::ffff:192.168.1.7")), ip("192.168.1.7"));
        assert_eq!(client(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
    }

    #[test]
    fn connections_and_streams_are_capped_and_given_back() {
        let limits = Limits::default();
        let held: Vec<_> = (0..MAX_PER_CLIENT).map(|_| limits.connection(ip("10.0.0.9")).unwrap()).collect();
        assert!(limits.connection(ip("10.0.0.9")).is_none());
        assert!(limits.connection(ip("::ffff:10.0.0.9")).is_none(), "the same client");
        assert!(limits.connection(ip("10.0.0.10")).is_some());
        drop(held);
        assert!(limits.connection(ip("10.0.0.9")).is_some());
        let streams: Vec<_> = (0..MAX_STREAMS_PER_TICKET).map(|_| limits.stream("a").unwrap()).collect();
        assert!(limits.stream("a").is_none());
        assert!(limits.stream("b").is_some());
        drop(streams);
        assert!(limits.stream("a").is_some());
    }

    #[test]
    fn the_rate_is_per_client_and_per_minute() {
        let limits = Limits::default();
        let now = Instant::now();
        assert!((0..MAX_REQUESTS).all(|_| limits.request(ip("10.0.0.9"), now)));
        assert!(!limits.request(ip("10.0.0.9"), now), "one too many");
        assert!(limits.request(ip("10.0.0.10"), now), "another client");
        assert!(limits.request(ip("10.0.0.9"), now + WINDOW), "a new minute");
        // Many clients at once: the table stays bounded.
        for i in 0..(MAX_CLIENTS as u32 * 2) {
            limits.request(IpAddr::from(i.to_be_bytes()), now);
        }
        assert!(limits.rate.lock().unwrap().len() <= MAX_CLIENTS);
    }
}
