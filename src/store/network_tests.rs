//! Sites sending their daily figures to a network's database on a throwaway cluster:
//! resending changes nothing, days offline are caught up, two sites stand side by side.

use super::super::tests::{day, open, request};
use super::super::{Change, Cluster, SiteLink, Store};
use super::*;
use crate::clock::ManualClock;
use crate::core::network::{self, NetworkReport};
use crate::core::outcome::{Ending, Outcome};
use crate::core::queue::Action;
use std::sync::Arc;

/// A visit issued now, called after `wait` minutes, served `serve` minutes.
fn serve(store: &Store, clock: &ManualClock, wait: i64, serve: i64) {
    let t = store.issue(request('A', false)).wait().unwrap();
    clock.advance(wait * 60_000);
    store.act(t.id, Change { desk: Some("Bureau 1".into()), ..Change::new(Action::Call) }).wait().unwrap();
    store.act(t.id, Change::new(Action::Start)).wait().unwrap();
    clock.advance(serve * 60_000);
    let ending = Ending::new(Outcome::Done, None, None).unwrap();
    store.act(t.id, Change { ending: Some(ending), ..Change::new(Action::Finish) }).wait().unwrap();
}

struct Site {
    name: &'static str,
    _dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    store: Store,
}

impl Site {
    fn new(name: &'static str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(day(2)));
        let store = open(&dir.path().join("g.sqlite"), &clock);
        Site { name, _dir: dir, clock, store }
    }

    /// `n` visits on day `d`, one a few minutes after the other.
    fn visits_on(&self, d: u32, n: i64) {
        self.clock.set_day(day(d));
        for i in 0..n {
            serve(&self.store, &self.clock, 3 + i, 10 + 2 * i);
        }
    }

    /// Sends what the network has not had yet, on day `d`.
    fn send(&self, network: &Network, d: u32) -> Sent {
        self.send_as(network, self.name, d).unwrap()
    }

    /// Sends what the network has not had yet, on day `d`, under the site name `site`.
    fn send_as(&self, network: &Network, site: &str, d: u32) -> Result<Sent, StoreError> {
        self.clock.set_day(day(d));
        let catalogue = crate::assets::load_catalogue(None).unwrap();
        let mut client = network.connect()?;
        let hour = |_ms: i64| 10;
        self.store.reader().with(|c| catch_up(c, &mut client, site, &catalogue, day(d), &hour))
    }
}

fn network(cluster: &Cluster) -> Network {
    let conninfo = cluster.create_database("network").unwrap();
    Network::new(SiteLink::new(&conninfo, None).unwrap())
}

/// The network of `conninfo` reached as `role`.
fn as_role(conninfo: &str, role: &str) -> Network {
    Network::new(SiteLink::new(&super::super::site_tests::as_user(conninfo, role), None).unwrap())
}

/// Every row the network holds, in order.
fn rows(network: &Network) -> Vec<String> {
    let mut client = network.connect().unwrap();
    let mut out = Vec::new();
    for table in ["network_figures", "network_months", "network_days"] {
        for r in client
            .query(
                &format!("SELECT * FROM {table} ORDER BY 1, 2{}", if table == "network_days" { "" } else { ", 3, 4" }),
                &[],
            )
            .unwrap()
        {
            let cells: Vec<String> = (0..r.len())
                .map(|i| r.try_get::<_, String>(i).unwrap_or_else(|_| r.get::<_, i64>(i).to_string()))
                .collect();
            out.push(format!("{table} {}", cells.join(" ")));
        }
    }
    out
}

fn report(network: &Network, from: u32, to: u32) -> NetworkReport {
    let mut client = network.connect().unwrap();
    let db = PgDb::new(client.transaction().unwrap());
    network::build(day(from), day(to), &gather(&db, day(from), day(to), true).unwrap())
}

fn start() -> Cluster {
    let dir = tempfile::Builder::new().prefix("guichet-pg-network-").tempdir().unwrap().keep();
    Cluster::start(&dir).unwrap()
}

#[test]
fn resending_changes_nothing_and_days_offline_are_caught_up() {
    let cluster = start();
    let network = network(&cluster);
    let murat = Site::new("Murat");
    murat.visits_on(2, 3);
    murat.visits_on(3, 2);
    // Day 4: the first two days are finished, today is not sent.
    assert_eq!(murat.send(&network, 4), Sent { days: 2, last: Some(day(3)) });
    let first = rows(&network);
    assert!(first.iter().any(|r| r == "network_figures Murat 2026-11-02 total visits 3"), "{first:#?}");
    assert!(first.iter().all(|r| !r.contains("2026-11-04")), "today is not finished");
    // Sent again (the last day again), and a day sent twice by hand: nothing changes.
    murat.send(&network, 4);
    let mut client = network.connect().unwrap();
    let figures = murat.store.reader().with(|c| super::super::report::visits(c, day(3), day(3), &|_| 10)).unwrap();
    let mut named = figures.clone();
    crate::core::report::name_from(&mut named, &crate::assets::load_catalogue(None).unwrap());
    let sent = network::day_figures(day(3), &named, &[]);
    send_day(&mut client, "Murat", day(3), &sent).unwrap();
    assert_eq!(rows(&network), first);

    // Three days without the network (visits on the 4th, none on the 5th, 2 on the 6th),
    // then caught up on the 7th: every day sent, the empty one too.
    murat.visits_on(4, 4);
    murat.visits_on(6, 2);
    let caught = murat.send(&network, 7);
    assert_eq!(caught, Sent { days: 4, last: Some(day(6)) }, "the 3rd again, then 4, 5, 6");
    let r = report(&network, 1, 30);
    assert_eq!(r.all.visits, 3 + 2 + 4 + 2);
    let per_day: Vec<(String, u64)> =
        [("02", 3), ("03", 2), ("04", 4), ("06", 2)].iter().map(|(d, n)| (format!("2026-11-{d}"), *n)).collect();
    assert_eq!(r.all.per_day.0, per_day);
    assert_eq!(r.all.per_month.0, [("2026-11".to_string(), 11)]);
    // The waits were 3, 4, 5… minutes: the median of the 11 is read from the minutes sent.
    assert_eq!(r.all.wait.count, 11);
    assert!(rows(&network).iter().any(|row| row == "network_days Murat 2026-11-05"));
}

#[test]
fn two_sites_side_by_side_and_a_span_cut_inside_months() {
    let cluster = start();
    let network = network(&cluster);
    let (a, b) = (Site::new("Allanche"), Site::new("Condat"));
    a.visits_on(2, 2);
    b.visits_on(2, 5);
    b.visits_on(3, 1);
    a.send(&network, 4);
    let alone = report(&network, 1, 30);
    b.send(&network, 4);
    let both = report(&network, 1, 30);
    assert_eq!(both.per_site.0, [("Condat".to_string(), 6), ("Allanche".to_string(), 2)]);
    assert_eq!(both.all.visits, 8);
    let allanche = |r: &NetworkReport| r.sites.iter().find(|(s, _)| s == "Allanche").map(|(_, r)| r.clone());
    assert_eq!(allanche(&both), allanche(&alone), "another site's days leave Allanche's figures as they were");
    // A span that cuts the month: only its days count (read from the days, not the month).
    let third = report(&network, 3, 3);
    assert_eq!((third.all.visits, third.per_site.0.clone()), (1, vec![("Condat".to_string(), 1)]));
    // A whole month read from the monthly sums gives the same as the days.
    let month = report(&network, 1, 30);
    assert_eq!(month.all.themes, both.all.themes);
    let whole = {
        let mut client = network.connect().unwrap();
        let db = PgDb::new(client.transaction().unwrap());
        gather(&db, day(1), day(30), false).unwrap()
    };
    let cut = {
        let mut client = network.connect().unwrap();
        let db = PgDb::new(client.transaction().unwrap());
        gather(&db, day(2), day(30), false).unwrap()
    };
    let total = |g: &network::Gathered| {
        g.figures.iter().filter(|(_, f)| f.section == "total").map(|(_, f)| f.count).sum::<u64>()
    };
    assert_eq!(total(&whole), total(&cut));
}

/// Row-level security with the guide's scripts: a site's role sends and reads its own
/// site only, a reader reads every site and changes none, a role given no site (or sending
/// another site's name) is refused with what to do, and a site's role cannot make the
/// tables of a new network.
#[test]
fn a_site_s_role_reads_and_writes_its_own_site_only_and_a_reader_reads_all() {
    let cluster = start();
    let conninfo = cluster.create_database("network").unwrap();
    let owner = Network::new(SiteLink::new(&conninfo, None).unwrap());
    let mut admin = owner.connect().unwrap();
    admin.batch_execute("CREATE ROLE fs_murat LOGIN; CREATE ROLE fs_riom LOGIN; CREATE ROLE lecture LOGIN").unwrap();
    admin.batch_execute(&grants("fs_murat", Some("Murat"))).unwrap();
    admin.batch_execute(&grants("fs_riom", Some("Riom"))).unwrap();
    admin.batch_execute(&grants("lecture", None)).unwrap();
    let (murat, riom) = (Site::new("Murat"), Site::new("Riom"));
    murat.visits_on(2, 3);
    riom.visits_on(2, 2);
    assert_eq!(murat.send(&as_role(&conninfo, "fs_murat"), 3).days, 1);
    assert_eq!(riom.send(&as_role(&conninfo, "fs_riom"), 3).days, 1);
    let before = rows(&owner);
    assert!(before.iter().any(|r| r == "network_days Riom 2026-11-02"), "{before:#?}");

    // Murat's role sending Riom's name: refused, saying what to do; Riom's rows as they were.
    let e = riom.send_as(&as_role(&conninfo, "fs_murat"), "Riom", 3).unwrap_err();
    assert!(matches!(e, StoreError::Refused { .. }), "{e}");
    assert!(e.to_string().contains("grant-site.sql") && e.to_string().contains("\"Riom\""), "{e}");
    // Nor by hand: another site's rows are not seen, so not changed; none can be added.
    let mut as_murat = as_role(&conninfo, "fs_murat").connect().unwrap();
    for sql in [
        "DELETE FROM network_figures WHERE site = 'Riom'",
        "UPDATE network_months SET count = 0 WHERE site = 'Riom'",
        "DELETE FROM network_days",
    ] {
        let changed = as_murat.execute(sql, &[]).unwrap();
        assert_eq!(changed, if sql.ends_with("network_days") { 1 } else { 0 }, "{sql}");
    }
    let e = as_murat.batch_execute("INSERT INTO network_days VALUES ('Riom', '2026-11-09')").unwrap_err();
    assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{e}");
    let seen = report(&as_role(&conninfo, "fs_murat"), 1, 30);
    assert_eq!(seen.per_site.0, [("Murat".to_string(), 3)], "Murat's role reads Murat only");
    // Murat's own day, deleted above, is sent again: the owner's rows are as they were.
    murat.send(&as_role(&conninfo, "fs_murat"), 3);
    assert_eq!(rows(&owner), before);

    // The reader reads every site, as the owner does, and changes nothing.
    let lecture = as_role(&conninfo, "lecture");
    assert_eq!(rows(&lecture), before);
    assert_eq!(report(&lecture, 1, 30).per_site.0, [("Murat".to_string(), 3), ("Riom".to_string(), 2)]);
    let mut as_reader = lecture.connect().unwrap();
    for sql in ["DELETE FROM network_figures", "INSERT INTO network_days VALUES ('Murat', '2026-11-09')"] {
        let e = as_reader.batch_execute(sql).unwrap_err();
        assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{sql}: {e}");
    }
    // A role given the tables' rights but no site: refused.
    admin.batch_execute("CREATE ROLE intrus LOGIN; GRANT SELECT, INSERT, UPDATE, DELETE ON network_figures, network_months, network_days TO intrus").unwrap();
    assert!(matches!(murat.send_as(&as_role(&conninfo, "intrus"), "Murat", 3), Err(StoreError::Refused { .. })));
    assert_eq!(rows(&owner), before);

    // A new network's tables are the owner's to make: a site's role is told so.
    let fresh = cluster.create_database("fresh").unwrap();
    admin.batch_execute("CREATE ROLE fs_new LOGIN").unwrap();
    let e = as_role(&fresh, "fs_new").connect().err().expect("refused");
    assert!(matches!(e, StoreError::Refused { .. }) && e.to_string().contains("report --network"), "{e}");
}
