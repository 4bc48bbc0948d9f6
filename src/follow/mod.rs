//! "Suivre mon tour": the visitor's own page to follow their turn on their phone, on the
//! office network, in plain HTTP on a port of its own (phones open it without a
//! certificate warning; nothing secret is on it). The ticket's second QR code carries
//! `<public_url>/s/<token>` ([`follow_url`]); the page shows the ticket's number, its
//! place in the queue and the estimated wait, live, in the visitor's language, and rings
//! and vibrates when the number is called. Nothing about the request is on it.
//!
//! Map of the module: `text` (the words, gettext), `view` (the pages), `routes` (the
//! handlers and the security headers), `live` (the server-sent events), `limits` (caps
//! and the rate per client); the shared `server_thread` runs it (its thread and runtime,
//! and the listener: accepts within the caps, HTTP/1 with a header-read time limit). It
//! reads the store and the core, never the staff console.

mod limits;
mod live;
mod routes;
pub mod text;
mod view;

use crate::clock::{Clock, SystemClock};
use crate::core::follow::{self, Office, Turn};
use crate::store::{FollowTicket, ReadPool, Store, StoreError};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;

/// The path of a ticket's follow page, before its token.
pub const PATH: &str = "/s/";

/// The address a ticket's "Suivre mon tour" QR code carries: `base` is `[follow]
/// public_url` (a trailing `/` is tolerated), `token` the ticket's `IssuedTicket::follow`.
pub fn follow_url(base: &str, token: &str) -> String {
    format!("{}{PATH}{token}", base.trim_end_matches('/'))
}

/// What the page needs besides the store.
#[derive(Debug, Clone)]
pub struct FollowConfig {
    /// The office's name, at the top of the page.
    pub site_name: String,
    /// `[queue]`: the figures the wait estimate starts from, as on the kiosk.
    pub office: Office,
}

/// The follow server's shared state; cheap to clone (one clone per request).
#[derive(Clone)]
pub struct Follow {
    store: Store,
    reader: ReadPool,
    readers: Arc<tokio::sync::Semaphore>,
    config: Arc<FollowConfig>,
    clock: Arc<dyn Clock>,
    limits: Arc<limits::Limits>,
    shutdown: watch::Receiver<bool>,
}

impl Follow {
    pub fn new(store: Store, config: FollowConfig) -> Follow {
        let (_, shutdown) = watch::channel(false);
        Follow {
            reader: store.reader(),
            readers: Arc::new(tokio::sync::Semaphore::new(limits::READERS)),
            store,
            config: Arc::new(config),
            clock: Arc::new(SystemClock),
            limits: Arc::default(),
            shutdown,
        }
    }

    /// Uses another clock for the service day (tests move the date by hand).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Follow {
        self.clock = clock;
        self
    }

    /// Every page of the server.
    pub fn router(&self) -> axum::Router {
        routes::router(self.clone())
    }

    /// The ticket of `token` today and where it stands (`None`: unknown or another day's).
    async fn lookup(&self, token: String) -> Result<Option<(FollowTicket, Turn)>, StoreError> {
        let _turn = self.readers.acquire().await;
        let reader = self.reader.clone();
        let today = self.clock.today();
        let found = tokio::task::spawn_blocking(move || reader.with(|c| crate::store::follow_ticket(c, &token, today)))
            .await
            .map_err(|_| StoreError::Closed)??;
        let office = self.config.office;
        Ok(found.map(|t| {
            let turn = follow::turn(t.status, t.ahead, t.desk.as_deref(), &t.service_ms, office);
            (t, turn)
        }))
    }
}

/// A running follow server; dropping it (or calling `stop`) shuts it down.
pub type FollowServer = crate::server_thread::ServerHandle;

/// Starts the server on its own thread ("follow") with a small tokio runtime; returns
/// once bound, with the real address (port 0 picks a free one).
pub fn spawn(follow: Follow, addr: SocketAddr) -> std::io::Result<FollowServer> {
    let runtime = crate::server_thread::Runtime {
        name: "follow",
        workers: 1,
        blocking: limits::READERS + 1,
        grace: limits::GRACE,
    };
    crate::server_thread::spawn(runtime, addr, move |shutdown, listener| {
        let follow = Follow { shutdown: shutdown.clone(), ..follow };
        let app = follow.router();
        crate::server_thread::listener::run("follow", listener, None, limits::CONNECTIONS, app, shutdown)
    })
}
