//! Kiosks that lose the site's database keep giving tickets, in their own series, and
//! hand them to the site's queue once it is back: the server stopped and started under
//! two kiosks and a desk (`series.rs`).

use super::Cluster;
use crate::clock::ManualClock;
use crate::store::tests::request;
use crate::store::{open_tickets, SiteLink, Store, StoreError};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn kiosk(site: &str, files: &Path, name: &str, series: &str, clock: &Arc<ManualClock>) -> Store {
    let link = SiteLink::new(site, None).unwrap();
    Store::open_site(link, &files.join(name), clock.clone(), Some(series)).unwrap()
}

/// Waits (15 s at most) until `done` holds.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(15), "{what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn kiosks_number_in_their_own_series_while_the_site_is_away_and_hand_over_in_arrival_order() {
    let dir = tempfile::Builder::new().prefix("guichet-pg-series-").tempdir().unwrap().keep();
    let cluster = Cluster::start(&dir).unwrap();
    let site = cluster.create_database("site").unwrap();
    let files = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()));
    let entrance = kiosk(&site, files.path(), "entrance", "E", &clock);
    let upstairs = kiosk(&site, files.path(), "upstairs", "F", &clock);
    let desk = Store::open_postgres(&site, &files.path().join("desk"), clock.clone()).unwrap();
    let console = desk.reader();
    let issue = |k: &Store| {
        clock.advance(60_000);
        k.issue(request('A', false)).wait().unwrap()
    };

    let first = issue(&entrance);
    assert_eq!((first.number.as_str(), first.local), ("A-001", false));
    assert_eq!(entrance.site_state().unwrap().away_since, None);

    // The server stops: each kiosk numbers in its own series, and says so.
    cluster.set_running(false).unwrap();
    // A kiosk started meanwhile starts in its series (without one, it cannot start).
    let link = || SiteLink::new(&site, None).unwrap();
    assert!(Store::open_site(link(), &files.path().join("plain"), clock.clone(), None).is_err());
    let lobby = kiosk(&site, files.path(), "lobby", "G", &clock);
    let away: Vec<_> = [&entrance, &entrance, &upstairs, &lobby].into_iter().map(issue).collect();
    let numbers: Vec<&str> = away.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers, ["EA-001", "EA-002", "FA-001", "GA-001"]);
    assert!(away.iter().all(|t| t.local));
    let state = entrance.site_state().unwrap();
    assert!(state.away_since.is_some(), "{state:?}");
    assert_eq!((state.waiting_hand_over, state.series.as_deref()), (2, Some("E")));
    let refused = desk.call_next("Bureau 1".into(), None).wait().expect_err("the desk cannot reach the site");
    assert!(matches!(refused, StoreError::Postgres(_)), "{refused}");

    // Back: the kiosks hand their tickets over on their own, the desk sees them in the
    // order the visitors came, after the one who came before the cut. The upstairs kiosk,
    // off meanwhile, hands its ticket over last, yet its visitor came before the lobby's.
    drop(upstairs);
    cluster.set_running(true).unwrap();
    let open = || console.with(open_tickets).map(|t| t.iter().map(|t| t.number.clone()).collect::<Vec<_>>());
    eventually("the entrance and the lobby hand their tickets over", || open().is_ok_and(|o| o.len() == 4));
    assert_eq!(open().unwrap(), ["A-001", "EA-001", "EA-002", "GA-001"]);
    let upstairs = kiosk(&site, files.path(), "upstairs", "F", &clock);
    eventually("the upstairs kiosk, started again, hands its ticket over", || open().is_ok_and(|o| o.len() == 5));
    assert_eq!(open().unwrap(), ["A-001", "EA-001", "EA-002", "FA-001", "GA-001"]);
    eventually("the entrance says the link is back", || {
        entrance.site_state().is_some_and(|s| s.away_since.is_none() && s.waiting_hand_over == 0)
    });

    // New tickets come after them; the site's own series carries on where it was.
    let after = issue(&upstairs);
    assert_eq!((after.number.as_str(), after.local), ("A-002", false));
    let called: Vec<String> =
        (0..6).map(|_| desk.call_next("Bureau 1".into(), None).wait().map(|t| t.number).unwrap()).collect();
    assert_eq!(called, ["A-001", "EA-001", "EA-002", "FA-001", "GA-001", "A-002"]);

    // A kiosk restarted meanwhile finds nothing left to hand over: nothing given twice.
    drop(entrance);
    let again = kiosk(&site, files.path(), "entrance", "E", &clock);
    let next = issue(&again);
    assert_eq!(next.number, "A-003");
    let all = console.with(|db| Ok(db.query_one("SELECT count(*) FROM tickets", &[])?.int(0)?)).unwrap();
    assert_eq!(all, 7, "every ticket once");
}
