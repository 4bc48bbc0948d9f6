//! The console's link to the network's PostgreSQL (`[network]`): read on a thread of its
//! own (not the runtime's blocking pool), one read at a time, waited for at most
//! [`WAIT`]; what went wrong said as `Unread` (`pages::network_view` words it).

use crate::core::network::{self, NetworkReport};
use crate::staff::pages::network_view::Unread;
use crate::store::network::{gather, Network};
use crate::store::sql::PgDb;
use crate::store::StoreError;
use chrono::NaiveDate;
use std::sync::Arc;
use std::time::Duration;

/// How long a page waits for the network's database (its turn, the link, the answer).
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// The network's report on `from..=to`, as the link's role may read it.
pub fn read(network: &Network, from: NaiveDate, to: NaiveDate) -> Result<NetworkReport, StoreError> {
    let mut client = network.connect()?;
    let db = PgDb::new(client.transaction()?);
    let g = gather(&db, from, to, (to - from).num_days() < 186)?;
    Ok(network::build(from, to, &g))
}

/// The network's database as the console reaches it: one read at a time.
#[derive(Clone)]
pub(crate) struct NetworkLink {
    network: Network,
    turn: Arc<tokio::sync::Semaphore>,
}

impl NetworkLink {
    pub fn new(network: Network) -> NetworkLink {
        NetworkLink { network, turn: Arc::new(tokio::sync::Semaphore::new(1)) }
    }

    /// The report, or why not: waited for [`WAIT`] at most.
    pub(crate) async fn read(&self, from: NaiveDate, to: NaiveDate) -> Result<NetworkReport, Unread> {
        tokio::time::timeout(WAIT, self.ask(from, to)).await.unwrap_or(Err(Unread::Silent))
    }

    /// Reads on a thread of its own, which keeps the turn until the database answers,
    /// however long that takes.
    async fn ask(&self, from: NaiveDate, to: NaiveDate) -> Result<NetworkReport, Unread> {
        let turn = self.turn.clone().acquire_owned().await.map_err(|_| Unread::Silent)?;
        let (answer, answered) = tokio::sync::oneshot::channel();
        let network = self.network.clone();
        std::thread::Builder::new()
            .name("console-network".into())
            .spawn(move || {
                let _turn = turn;
                let _ = answer.send(read(&network, from, to));
            })
            .map_err(|e| Unread::Failed(format!("no thread for the read: {e}")))?;
        match answered.await {
            Ok(Ok(report)) => Ok(report),
            Ok(Err(e)) => Err(Unread::of(&e)),
            Err(_) => Err(Unread::Failed("the read stopped without an answer".into())),
        }
    }
}

impl Unread {
    /// What went wrong with the network's database: its server answered with a refusal,
    /// or it could not be reached.
    fn of(e: &StoreError) -> Unread {
        match e {
            StoreError::Postgres(pg) if pg.as_db_error().is_some() => Unread::Refused(e.to_string()),
            StoreError::Refused { .. } => Unread::Refused(e.to_string()),
            StoreError::Postgres(_) => Unread::Unreached(e.to_string()),
            other => Unread::Failed(other.to_string()),
        }
    }
}
