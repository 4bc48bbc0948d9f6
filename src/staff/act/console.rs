//! The console's shared state (`Console`: the store and its readers, the catalogue, the
//! site's config, the clock, sessions, live streams, the kiosk's health, the certificate),
//! what every handler gets; and `ConsoleConfig`, how the console behaves on a site.

use crate::clock::{Clock, SystemClock};
use crate::core::catalogue::Catalogue;
use crate::core::outcome::redirect_targets;
use crate::staff::access::auth::{Auth, LoginRules, Session};
use crate::staff::access::{guard, limits, tls};
use crate::staff::pages;
use crate::store::sql::Db;
use crate::store::{ReadPool, Store, StoreError};
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
    pub(crate) store: Store,
    pub(crate) reader: ReadPool,
    /// Turns on the read-only connections: at most [`limits::READERS`] queries at once.
    pub(crate) readers: Arc<tokio::sync::Semaphore>,
    pub(crate) catalogue: Arc<Catalogue>,
    /// Where staff can send a visitor: national partners, then the catalogue's operators.
    pub(crate) targets: Arc<Vec<String>>,
    pub(crate) config: Arc<ConsoleConfig>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) auth: Arc<Auth>,
    /// Live streams open now (capped overall and per session).
    pub(crate) streams: Arc<crate::server_thread::places::Streams>,
    /// Turns true when the server stops, so live streams end and shutdown completes.
    pub(crate) shutdown: watch::Receiver<bool>,
    /// The kiosk's health (printer, speech, last error); `None` when no kiosk runs in
    /// this process (`guichet serve`).
    pub(crate) health: Option<crate::health::Health>,
    /// HTTPS: the certificate; `None` serves plain HTTP (loopback, or said in the config).
    pub(crate) tls: Option<tls::TlsIdentity>,
    /// The network's database (`[network]`): its figures on a page of their own.
    pub(crate) network: Option<super::network_link::NetworkLink>,
}

/// Why a page could not be served (the visitor's input is never the cause).
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConsoleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
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
            readers: Arc::new(tokio::sync::Semaphore::new(limits::READERS)),
            store,
            targets: Arc::new(redirect_targets(
                catalogue.themes.iter().flat_map(|t| &t.procedures).map(|p| p.operator.as_str()),
            )),
            catalogue,
            config: Arc::new(config),
            clock: Arc::new(SystemClock),
            auth,
            streams: Arc::new(limits::streams()),
            shutdown,
            health: None,
            tls: None,
            network: None,
        }
    }

    /// Serves HTTPS with this certificate (cookies become `Secure`).
    pub fn with_tls(mut self, identity: tls::TlsIdentity) -> Console {
        self.tls = Some(identity);
        self
    }

    pub(crate) fn cookies(&self) -> guard::Cookies {
        guard::Cookies { secure: self.tls.is_some() }
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

    /// Shows the figures of the network this site sends to (`[network]`).
    pub fn with_network(mut self, network: crate::store::network::Network) -> Console {
        self.network = Some(super::network_link::NetworkLink::new(network));
        self
    }

    pub(crate) fn chrome<'a>(&'a self, nonce: &'a str, staff: Option<&'a Session>) -> pages::Chrome<'a> {
        pages::Chrome { nonce, site: &self.config.site_name, staff, network: self.network.is_some() }
    }

    /// The "technical problem" page; the cause goes to the log, not to the browser.
    pub(crate) fn unavailable(
        &self,
        nonce: &str,
        staff: Option<&Session>,
        error: ConsoleError,
    ) -> axum::response::Response {
        eprintln!("console: {error}");
        pages::plain(&self.chrome(nonce, staff), pages::Plain::Unavailable)
    }

    /// Appends to the audit log (written in order by the storage thread; a failure is
    /// logged there, and never stops what staff are doing).
    pub(crate) fn audit(&self, actor: &str, action: &str, detail: &str, address: &str) {
        self.store.audit(actor, action, detail, address);
    }

    /// Runs a blocking read query on a worker thread.
    pub(crate) async fn read<T, F>(&self, query: F) -> Result<T, ConsoleError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Db) -> Result<T, StoreError> + Send + 'static,
    {
        // The semaphore is never closed: a turn always comes.
        let _turn = self.readers.acquire().await;
        let reader = self.reader.clone();
        Ok(tokio::task::spawn_blocking(move || reader.with(query)).await??)
    }
}
