//! A network's sites and their figures, for the console's network page (console_network.rs,
//! browser_audit.rs): a throwaway PostgreSQL from Debian's packages holds the network's
//! database; each site is its own kiosk store whose November 2026 visits (seen at the desks
//! through the store's own actions) are sent the way the kiosk's hourly job sends them.

use chrono::{NaiveDate, Timelike};
use guichet::clock::ManualClock;
use guichet::core::catalogue::Catalogue;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::outcome::{Autonomy, Ending, Outcome};
use guichet::core::queue::Action;
use guichet::store::network::{catch_up, Network};
use guichet::store::{Change, Cluster, SiteLink, Store};
use std::sync::Arc;

pub(crate) fn november(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a day of November")
}

/// The network's database on its own throwaway cluster.
pub(crate) struct NetworkDb {
    pub cluster: Cluster,
    /// `[network] database`, as a site writes it (the cluster's socket: no TLS needed).
    pub conninfo: String,
    pub network: Network,
}

impl NetworkDb {
    pub fn start() -> NetworkDb {
        let dir = tempfile::Builder::new().prefix("guichet-pg-network-page-").tempdir().expect("a folder").keep();
        let cluster = Cluster::start(&dir).expect("Debian's PostgreSQL server starts (apt install postgresql)");
        let conninfo = cluster.create_database("reseau").expect("the network's database");
        let network = Network::new(SiteLink::new(&conninfo, None).expect("the link"));
        NetworkDb { cluster, conninfo, network }
    }

    /// Site `name` sees `per_day` visitors on each of `days` of November (themes, outcomes,
    /// who did the procedure and languages taken in turn from `seed`; one in seven
    /// cancelled), then sends its finished days on December 1st. Its visits seen to the end.
    pub fn site(&self, name: &str, days: &[u32], per_day: usize, seed: usize) -> u64 {
        let catalogue = guichet::assets::load_catalogue(None).expect("the built-in catalogue");
        let dir = tempfile::tempdir().expect("a folder");
        let clock = Arc::new(ManualClock::new(november(days[0])));
        let store = Store::open_with_clock(&dir.path().join("guichet.sqlite"), clock.clone()).expect("a store");
        let mut seen = 0;
        for &d in days {
            let nine = november(d).and_hms_opt(9, 0, 0).expect("9 h").and_utc().timestamp_millis();
            for i in 0..per_day {
                clock.jump_to(nine + i as i64 * 37 * 60_000);
                seen += u64::from(visit(&store, &clock, &catalogue, seed + i + d as usize));
            }
        }
        let mut client = self.network.connect().expect("the network answers");
        let hour = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map_or(0, |t| t.hour() as u8);
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day");
        store
            .reader()
            .with(|local| catch_up(local, &mut client, name, &catalogue, today, &hour))
            .expect("the site's days are sent");
        seen
    }
}

/// One visitor, the `n`-th: issued, then cancelled, or called, served and ended; whether
/// the visit was seen to the end.
fn visit(store: &Store, clock: &ManualClock, catalogue: &Catalogue, n: usize) -> bool {
    let theme = &catalogue.themes[n % catalogue.themes.len()];
    let request = TicketRequest {
        theme: theme.id.clone(),
        procedure: theme.procedures[n % theme.procedures.len()].id.clone(),
        queue: theme.queue,
        lang: [Lang::Fr, Lang::Fr, Lang::Ar, Lang::Uk, Lang::En][n % 5],
        have: vec![],
        priority: n.is_multiple_of(6).then(|| "mobility".to_string()),
    };
    let t = store.issue(request).wait().expect("a ticket");
    if n % 7 == 3 {
        store.act(t.id, Change::new(Action::Cancel)).wait().expect("cancelled");
        return false;
    }
    clock.advance((4 + (n % 9) as i64 * 3) * 60_000);
    store.act(t.id, Change { desk: Some("Bureau 1".into()), ..Change::new(Action::Call) }).wait().expect("called");
    store.act(t.id, Change::new(Action::Start)).wait().expect("started");
    clock.advance((8 + (n % 5) as i64 * 4) * 60_000);
    let (outcome, to) = match n % 4 {
        0 => (Outcome::Done, None),
        1 => (Outcome::Partly, None),
        2 => (Outcome::Information, None),
        _ => (Outcome::Redirected, Some("Caisse d'allocations familiales (CAF)")),
    };
    let autonomy = [Some(Autonomy::WithThem), Some(Autonomy::ForThem), Some(Autonomy::Alone), None][n % 4];
    let ending = Ending::new(outcome, to, autonomy).expect("an ending");
    store.act(t.id, Change { ending: Some(ending), ..Change::new(Action::Finish) }).wait().expect("finished");
    true
}
