//! The staff console: a small web server on the office LAN. Staff log in, watch the live
//! queue, call visitors to their desk, open a request by scanning the ticket's QR code
//! with a phone, and record the outcome. Server-rendered HTML (maud), live updates by
//! server-sent events, no external resources.
//!
//! Map of the module:
//! - `auth`: passwords (argon2id), sessions, secret tokens;
//! - `throttle`: wrong passwords counted per (address, name), per address and per name;
//!   `devices`: browsers a name logged in from, not kept waiting;
//! - `guard`: security headers, the Origin check, cookies, safe redirects;
//! - `extract`: the `Staff` (logged in), `Admin` and `Posted` (logged in + CSRF) extractors;
//! - `admin`: accounts and the audit log, for administrators;
//! - `login`, `routes`, `actions`, `sse`: the handlers;
//! - `pages`, `queue_view`, `ticket_view`, `action_view`, `labels`: what staff read, in French;
//! - `limits`: caps on connections and live streams, the request time limit;
//! - `tls`: the certificate; the shared `server_thread::listener` accepts within the caps,
//!   does the TLS handshakes and serves HTTP/1 with a header-read time limit;
//! - `board`, `board_view`: the waiting-room board (no login: a key in its address);
//! - `health_view`: the kiosk's health (printer alert over the queue, "État de la borne").

mod access;
mod actions;
mod admin;
mod board;
mod board_admin;
mod extract;
mod health;
mod help;
mod login;
mod pages;
pub mod report;
mod routes;
mod sse;
pub mod tls;

pub use access::auth::{account_name, hash_password, password_problem, verify_password, HashError, MIN_PASSWORD};
/// The audit verb of a ticket action (also its path: `/tickets/<id>/<verb>`).
pub use pages::labels::action_slug;

use crate::clock::{Clock, SystemClock};
use crate::core::catalogue::Catalogue;
use crate::core::outcome::redirect_targets;
use crate::store::{ReadPool, Store, StoreError};
use access::auth::{Auth, LoginRules};
use rusqlite::Connection;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;

/// How the console behaves on this site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleConfig {
    /// Shown at the top of every page, e.g. "France Services de Saint-Flour".
    pub site_name: String,
    /// Base URL phones on the LAN use, e.g. "http://192.168.1.20:8080" (no trailing slash).
    pub public_url: String,
    /// A login lasts this long, then staff log in again.
    pub session_minutes: u32,
    /// Consecutive wrong passwords before a name is locked.
    pub max_failures: u32,
    /// How long a locked name stays locked.
    pub lockout_minutes: u32,
    /// The places staff pick from ("Bureau 2"); empty: staff type theirs.
    pub desks: Vec<String>,
    /// Calls (the first and the recalls) before staff may note a visitor absent.
    pub calls_before_absent: u32,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        ConsoleConfig {
            site_name: "France Services".into(),
            public_url: "http://localhost:8080".into(),
            session_minutes: 480,
            max_failures: 5,
            lockout_minutes: 15,
            desks: Vec::new(),
            calls_before_absent: 2,
        }
    }
}

/// The console's shared state; cheap to clone (one clone per request).
#[derive(Clone)]
pub struct Console {
    store: Store,
    reader: ReadPool,
    /// Turns on the read-only connections: at most [`access::limits::READERS`] queries at once.
    readers: Arc<tokio::sync::Semaphore>,
    catalogue: Arc<Catalogue>,
    /// Where staff can send a visitor: national partners, then the catalogue's operators.
    targets: Arc<Vec<String>>,
    config: Arc<ConsoleConfig>,
    clock: Arc<dyn Clock>,
    auth: Arc<Auth>,
    /// Live streams open now (capped overall and per session).
    streams: Arc<crate::server_thread::places::Streams>,
    /// Turns true when the server stops, so live streams end and shutdown completes.
    shutdown: watch::Receiver<bool>,
    /// The kiosk's health (printer, speech, last error); `None` when no kiosk runs in
    /// this process (`guichet serve`).
    health: Option<crate::health::Health>,
    /// HTTPS: the certificate; `None` serves plain HTTP (loopback, or said in the config).
    tls: Option<tls::TlsIdentity>,
}

/// Why a page could not be served (the visitor's input is never the cause).
#[derive(Debug, thiserror::Error)]
enum ConsoleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl Console {
    pub fn new(store: Store, catalogue: Arc<Catalogue>, config: ConsoleConfig) -> Console {
        let rules = LoginRules {
            session_minutes: config.session_minutes,
            max_failures: config.max_failures,
            lockout_minutes: config.lockout_minutes,
        };
        let auth = Arc::new(Auth::new(rules));
        let (_, shutdown) = watch::channel(false);
        Console {
            reader: store.reader(),
            readers: Arc::new(tokio::sync::Semaphore::new(access::limits::READERS)),
            store,
            targets: Arc::new(redirect_targets(
                catalogue.themes.iter().flat_map(|t| &t.procedures).map(|p| p.operator.as_str()),
            )),
            catalogue,
            config: Arc::new(config),
            clock: Arc::new(SystemClock),
            auth,
            streams: Arc::new(access::limits::streams()),
            shutdown,
            health: None,
            tls: None,
        }
    }

    /// Serves HTTPS with this certificate (cookies become `Secure`).
    pub fn with_tls(mut self, identity: tls::TlsIdentity) -> Console {
        self.tls = Some(identity);
        self
    }

    fn cookies(&self) -> access::guard::Cookies {
        access::guard::Cookies { secure: self.tls.is_some() }
    }

    /// The SHA-256 fingerprint of the console's certificate, under HTTPS.
    pub fn tls_fingerprint(&self) -> Option<&str> {
        self.tls.as_ref().map(|t| t.fingerprint.as_str())
    }

    /// Whether the console serves HTTPS.
    pub fn is_https(&self) -> bool {
        self.tls.is_some()
    }

    /// Uses another clock for waiting times and the service day (tests, or the store's clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Console {
        self.clock = clock;
        self
    }

    /// Shows the health of the kiosk running in this process.
    pub fn with_health(mut self, health: crate::health::Health) -> Console {
        self.health = Some(health);
        self
    }

    /// Every page and action of the console.
    pub fn router(&self) -> axum::Router {
        routes::router(self.clone())
    }

    fn chrome<'a>(&'a self, nonce: &'a str, staff: Option<&'a access::auth::Session>) -> pages::Chrome<'a> {
        pages::Chrome { nonce, site: &self.config.site_name, staff }
    }

    /// The "technical problem" page; the cause goes to the log, not to the browser.
    fn unavailable(
        &self,
        nonce: &str,
        staff: Option<&access::auth::Session>,
        error: ConsoleError,
    ) -> axum::response::Response {
        eprintln!("console: {error}");
        pages::plain(&self.chrome(nonce, staff), pages::Plain::Unavailable)
    }

    /// Appends to the audit log (written in order by the storage thread; a failure is
    /// logged there, and never stops what staff are doing).
    fn audit(&self, actor: &str, action: &str, detail: &str, address: &str) {
        self.store.audit(actor, action, detail, address);
    }

    /// Runs a blocking read query on a worker thread.
    async fn read<T, F>(&self, query: F) -> Result<T, ConsoleError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        // The semaphore is never closed: a turn always comes.
        let _turn = self.readers.acquire().await;
        let reader = self.reader.clone();
        Ok(tokio::task::spawn_blocking(move || reader.with(query)).await??)
    }
}

/// URL of a ticket's request page, what the QR code holds (a trailing `/` on
/// `public_url` is tolerated).
pub fn ticket_url(public_url: &str, token: &str) -> String {
    format!("{}/t/{token}", public_url.trim_end_matches('/'))
}

pub use crate::server_thread::ServerHandle;

/// How long requests in progress may take to finish once the server is told to stop.
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts a tokio runtime on its own thread ("console"), binds `addr` and serves the
/// console. Returns once bound, with the real address (port 0 picks a free one).
pub fn spawn(console: Console, addr: SocketAddr) -> std::io::Result<ServerHandle> {
    let runtime = crate::server_thread::Runtime {
        name: "console",
        workers: 2,
        // Queries, password checks and disk checks: a few at once (queries are capped lower).
        blocking: access::limits::BLOCKING_THREADS,
        grace: GRACE,
    };
    crate::server_thread::spawn(runtime, addr, move |shutdown, listener| {
        let console = Console { shutdown: shutdown.clone(), ..console };
        let acceptor = console.tls.as_ref().map(|t| tokio_rustls::TlsAcceptor::from(t.config.clone()));
        let app = console.router();
        crate::server_thread::listener::run("console", listener, acceptor, access::limits::CONNECTIONS, app, shutdown)
    })
}
