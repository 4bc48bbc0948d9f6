//! The link to a site server as kiosks make it: over TCP, with a password, TLS checked
//! against the site's own authority.

use super::super::site_cert;
use super::super::{SiteLink, Store, StoreError};
use super::Cluster;
use crate::clock::ManualClock;
use std::sync::Arc;

#[test]
fn a_kiosk_reaches_the_site_server_only_over_tls_it_can_check() {
    let dir = tempfile::Builder::new().prefix("guichet-pg-tls-").tempdir().unwrap().keep();
    let cluster = Cluster::start(&dir).unwrap();
    let certs = site_cert::make("Test", &["127.0.0.1".to_string()]).unwrap();
    cluster.serve_tls(&certs.server_cert, &certs.server_key).unwrap();
    cluster.create_database("site").unwrap();
    let files = tempfile::tempdir().unwrap();
    let ca = files.path().join("site-ca.crt");
    std::fs::write(&ca, &certs.ca_cert).unwrap();
    let conninfo = cluster.tcp_conninfo("site");
    let clock = Arc::new(ManualClock::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()));
    let open = |link: SiteLink| Store::open_site(link, &files.path().join("local"), clock.clone(), None);

    let store = open(SiteLink::new(&conninfo, Some(&ca)).unwrap()).unwrap();
    let ticket = store.issue(super::super::tests::request('A', false)).wait().unwrap();
    assert_eq!(ticket.number, "A-001");

    // Without the authority, no link is made over the network (not even an attempt).
    let plain = SiteLink::new(&conninfo, None).err().expect("refused");
    assert!(matches!(&plain, StoreError::Unusable { fix, .. } if fix.contains("ca_file")), "{plain}");
    // Another site's authority: the server is not believed.
    let other = site_cert::make("Other", &["127.0.0.1".to_string()]).unwrap();
    let other_ca = files.path().join("other-ca.crt");
    std::fs::write(&other_ca, &other.ca_cert).unwrap();
    let e = open(SiteLink::new(&conninfo, Some(&other_ca)).unwrap()).err().expect("an unknown server is refused");
    assert!(e.to_string().contains("UnknownIssuer"), "{e}");
    // A certificate for another address: refused too.
    let elsewhere = site_cert::make("Test", &["192.0.2.7".to_string()]).unwrap();
    cluster.serve_tls(&elsewhere.server_cert, &elsewhere.server_key).unwrap();
    std::fs::write(&ca, &elsewhere.ca_cert).unwrap();
    assert!(open(SiteLink::new(&conninfo, Some(&ca)).unwrap()).is_err(), "a certificate not naming 127.0.0.1");
    cluster.serve_tls(&certs.server_cert, &certs.server_key).unwrap();
    std::fs::write(&ca, &certs.ca_cert).unwrap();
    // A wrong password, over a good link: refused by the server.
    let wrong = conninfo.replace("password=", "password=x");
    assert!(open(SiteLink::new(&wrong, Some(&ca)).unwrap()).is_err());
    // An unreadable authority file names itself and what to give.
    std::fs::write(&other_ca, "not a certificate").unwrap();
    let e = SiteLink::new(&conninfo, Some(&other_ca)).err().expect("refused");
    assert!(matches!(&e, StoreError::Unusable { path, .. } if *path == other_ca), "{e}");
}

#[test]
fn a_store_carries_on_once_the_site_server_is_back() {
    let dir = tempfile::Builder::new().prefix("guichet-pg-restart-").tempdir().unwrap().keep();
    let cluster = Cluster::start(&dir).unwrap();
    let site = cluster.create_database("site").unwrap();
    let files = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()));
    let store = Store::open_postgres(&site, &files.path().join("local"), clock).unwrap();
    let console = store.reader();
    let mut heard = store.subscribe();
    let request = || super::super::tests::request('A', false);
    assert_eq!(store.issue(request()).wait().unwrap().number, "A-001");
    cluster.set_running(false).unwrap();
    let e = store.issue(request()).wait().expect_err("no server");
    assert!(matches!(e, StoreError::Postgres(_)), "{e}");
    assert!(console.with(super::super::open_tickets).is_err());
    cluster.set_running(true).unwrap();
    // The listener, cut meanwhile, says so once back: consoles and boards read again.
    let started = std::time::Instant::now();
    while !matches!(heard.try_recv(), Ok(super::super::DomainEvent::Resync)) {
        assert!(started.elapsed() < std::time::Duration::from_secs(15), "no Resync after the server came back");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Nothing was lost, nothing numbered twice: the failed ticket was never issued.
    assert_eq!(store.issue(request()).wait().unwrap().number, "A-002");
    let open = console.with(super::super::open_tickets).unwrap();
    assert_eq!(open.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(), ["A-001", "A-002"]);
}
