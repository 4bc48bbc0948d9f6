//! What keeps one client from exhausting the process the console shares with the
//! visitor's screen: a cap on connections (overall, and per client: see `server_thread::places::client_net`),
//! time limits on the TLS handshake and on reading a request's head (also the idle time
//! of a kept-alive connection) — all three applied by `server_thread::listener` —, a time limit on every
//! request but the live stream, caps on sessions per account, on live streams (overall
//! and per session) and on read queries at once (a bounded pool of readers), and on the
//! size of a request's body.
//! Numbers are constants: an office has a handful of staff.

use crate::server_thread::listener::Caps;
use crate::server_thread::places::Streams;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Open connections at once, all clients together (further ones wait in the kernel's queue).
pub(crate) const MAX_CONNECTIONS: usize = 128;
/// Open connections at once from one client (further ones are closed at once).
pub(crate) const MAX_PER_ADDRESS: usize = 24;
/// Longest time a client may take to finish the TLS handshake.
pub(crate) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for a request's head: from the connection's start or the end of its
/// previous response (a kept-alive connection idle this long is closed).
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The listener's caps, from the four above.
pub(crate) const CONNECTIONS: Caps =
    Caps { total: MAX_CONNECTIONS, per_client: MAX_PER_ADDRESS, handshake: HANDSHAKE_TIMEOUT, header: HEADER_TIMEOUT };
/// Longest time a request (other than the live stream) may take.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Read queries at once (each on its own read-only connection, in a blocking thread).
pub(crate) const READERS: usize = 4;
/// Blocking threads of the console's runtime: the readers, the password checks and room
/// for the rest (free disk space).
pub(crate) const BLOCKING_THREADS: usize = 8;
/// Longest request body: the console's forms are a few short fields (a login, a desk
/// name, an account); a longer body gets 413 before more of it is read.
pub(crate) const MAX_BODY: usize = 16 * 1024;
/// Sessions of one account at once (a phone and a desk computer, and a few to spare): a
/// new login ends the account's oldest one; with the streams per session, this bounds
/// what one account can hold open.
pub(crate) const MAX_SESSIONS_PER_ACCOUNT: usize = 5;
/// Live streams at once, all sessions together, and per session.
pub(crate) const MAX_STREAMS: usize = 64;
pub(crate) const MAX_STREAMS_PER_SESSION: usize = 4;

/// The live streams' places: [`MAX_STREAMS`] at once, [`MAX_STREAMS_PER_SESSION`] per session.
pub(crate) fn streams() -> Streams {
    Streams::new(MAX_STREAMS, MAX_STREAMS_PER_SESSION)
}

/// Middleware: a request that takes longer than [`REQUEST_TIMEOUT`] gets "service
/// unavailable" (the router does not put the live stream under it).
pub(crate) async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "La console est trop occupée : réessayez.").into_response()
        }
    }
}
