//! The console's server: its thread and runtime, its listener (the shared
//! `server_thread` transport, with the console's caps and certificate), and its router.

use super::routes;
use crate::server_thread::ServerHandle;
use crate::staff::access::limits;
use crate::staff::act::console::Console;
use std::net::SocketAddr;

impl Console {
    /// Every page and action of the console.
    pub fn router(&self) -> axum::Router {
        routes::router(self.clone())
    }
}

/// How long requests in progress may take to finish once the server is told to stop.
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts a tokio runtime on its own thread ("console"), binds `addr` and serves the
/// console. Returns once bound, with the real address (port 0 picks a free one).
pub fn spawn(console: Console, addr: SocketAddr) -> std::io::Result<ServerHandle> {
    let runtime = crate::server_thread::Runtime {
        name: "console",
        workers: 2,
        // Queries, password checks and disk checks: a few at once (queries are capped lower).
        blocking: limits::BLOCKING_THREADS,
        grace: GRACE,
    };
    crate::server_thread::spawn(runtime, addr, move |shutdown, listener| {
        let console = Console { shutdown: shutdown.clone(), ..console };
        let acceptor = console.tls.as_ref().map(|t| tokio_rustls::TlsAcceptor::from(t.config.clone()));
        let app = console.router();
        crate::server_thread::listener::run("console", listener, acceptor, limits::CONNECTIONS, app, shutdown)
    })
}
