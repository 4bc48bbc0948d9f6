//! What keeps the visitors' network from tiring the kiosk: caps on connections (overall
//! and per client), on live streams (overall and per ticket), a rate of requests per
//! client, time limits on reading a request's head and on each request but the live
//! stream. A client is an IPv4 address or an IPv6 /64. A guest Wi-Fi that puts every
//! phone behind one address (NAT) still gets a few dozen visitors through.

use crate::server_thread::listener::Caps;
use crate::server_thread::places::{client_net, StreamPlaces, Streams};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
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
/// The listener's caps (plain HTTP: no handshake).
pub(super) const CONNECTIONS: Caps =
    Caps { total: MAX_CONNECTIONS, per_client: MAX_PER_CLIENT, handshake: HEADER_TIMEOUT, header: HEADER_TIMEOUT };
/// Longest time a request (other than the live stream) may take.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Live streams at once, all tickets together, and per ticket.
pub(super) const MAX_STREAMS: usize = 200;
pub(super) const MAX_STREAMS_PER_TICKET: usize = 4;
/// Read queries at once.
pub(super) const READERS: usize = 3;
/// How long requests in progress may take to finish once the server is told to stop.
pub(super) const GRACE: Duration = Duration::from_secs(3);

/// The server's counts (its connections are counted by the listener).
pub(super) struct Limits {
    streams: Streams,
    /// Per client: when its window began and the requests in it.
    rate: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { streams: Streams::new(MAX_STREAMS, MAX_STREAMS_PER_TICKET), rate: Mutex::default() }
    }
}

impl Limits {
    /// Places for one more stream of a ticket (its token's hash), or `None` over a cap.
    pub fn stream(&self, ticket: &str) -> Option<StreamPlaces> {
        self.streams.open(ticket)
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
        let (began, count) = rate.entry(client_net(ip)).or_insert((now, 0));
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
    fn streams_are_capped_per_ticket_and_given_back() {
        let limits = Limits::default();
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
