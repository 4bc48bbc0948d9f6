//! A board following a kiosk over the network (`guichet board --follow`, a second Pi by the
//! TV), against the real console over real HTTPS: the calls made before it connected are
//! shown without being said, the new ones come in order (two desks at once), the kiosk's
//! certificate is trusted by its fingerprint and no other, and a new board key or a
//! stopped kiosk is heard as a lost link.

use guichet::board::remote::{self, Heard, Source};
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::queue::Action;
use guichet::staff::{self, tls, Console, ConsoleConfig, ServerHandle};
use guichet::store::{Change, Store};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::Duration;

/// A kiosk's console over HTTPS with the certificate it made for itself; its fingerprint.
pub(crate) fn kiosk_console(dir: &std::path::Path, store: &Store) -> (ServerHandle, String) {
    let identity = tls::load_or_create(None, dir, &["localhost".to_string()]).unwrap();
    let fingerprint = identity.fingerprint.clone();
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).unwrap());
    let console = Console::new(store.clone(), catalogue, ConsoleConfig::default()).with_tls(identity);
    (staff::spawn(console, "127.0.0.1:0".parse().unwrap()).unwrap(), fingerprint)
}

/// Issues a ticket in the visitor's `lang` and calls it to `desk`; its number.
pub(crate) fn call(store: &Store, lang: Lang, desk: &str) -> String {
    let request = TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue: 'A',
        lang,
        have: Vec::new(),
        priority: None,
    };
    let t = store.issue(request).wait().unwrap();
    store.act(t.id, Change { desk: Some(desk.into()), ..Change::new(Action::Call) }).wait().unwrap();
    t.number
}

fn next(heard: &Receiver<Heard>) -> Heard {
    heard.recv_timeout(Duration::from_secs(20)).expect("nothing heard from the kiosk within 20 s")
}

fn number(h: &Heard) -> (&'static str, String, String, Lang) {
    match h {
        Heard::Shown(c) => ("shown", c.number.clone(), c.desk.clone(), c.lang),
        Heard::Call(c) => ("call", c.number.clone(), c.desk.clone(), c.lang),
        other => panic!("a call was expected, not {other:?}"),
    }
}

#[test]
fn a_board_over_the_network_shows_the_last_calls_then_hears_each_new_one_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.sqlite")).unwrap();
    let (server, fingerprint) = kiosk_console(dir.path(), &store);
    let key = store.new_board_key().wait().unwrap();
    let earlier = [call(&store, Lang::Fr, "Bureau 1"), call(&store, Lang::Ar, "Bureau 2")];
    let url = format!("https://localhost:{}/board?key={key}", server.addr.port());

    // A wrong fingerprint: no connection, and the reason says to check it.
    let wrong = fingerprint.replace(&fingerprint[..2], if &fingerprint[..2] == "00" { "01" } else { "00" });
    let (tx, heard) = mpsc::channel();
    remote::follow(Source::parse(&url, Some(&wrong)).unwrap(), move |h| drop(tx.send(h))).unwrap();
    match next(&heard) {
        Heard::Lost(why) => assert!(why.contains("fingerprint"), "{why}"),
        other => panic!("a board trusting another certificate heard {other:?}"),
    }

    let (tx, heard) = mpsc::channel();
    remote::follow(Source::parse(&url, Some(&fingerprint)).unwrap(), move |h| drop(tx.send(h))).unwrap();
    assert_eq!(next(&heard), Heard::Connected);
    let shown: Vec<_> = (0..2).map(|_| number(&next(&heard))).collect();
    assert_eq!(
        shown,
        [
            ("shown", earlier[0].clone(), "Bureau 1".into(), Lang::Fr),
            ("shown", earlier[1].clone(), "Bureau 2".into(), Lang::Ar)
        ],
        "the calls made before the board connected are shown, not said"
    );
    // Two desks calling at the same moment: both heard, in the order they were made.
    let (a, b) = (store.clone(), store.clone());
    let first = std::thread::spawn(move || call(&a, Lang::Uk, "Bureau 1"));
    let second = std::thread::spawn(move || call(&b, Lang::Fr, "Salle Marianne"));
    let made = [first.join().unwrap(), second.join().unwrap()];
    let heard_two: Vec<Heard> = (0..2).map(|_| next(&heard)).collect();
    let ids: Vec<i64> = heard_two.iter().map(|h| if let Heard::Call(c) = h { c.id } else { 0 }).collect();
    assert!(ids[0] > 0 && ids[0] < ids[1], "calls out of order or not to be said: {heard_two:?}");
    let got: Vec<_> = heard_two.iter().map(number).collect();
    let mut numbers: Vec<String> = got.iter().map(|g| g.1.clone()).collect();
    numbers.sort();
    let mut made = made.to_vec();
    made.sort();
    assert_eq!(numbers, made, "both desks' calls reach the board");
    let ukrainian = got.iter().find(|g| g.2 == "Bureau 1").unwrap();
    assert_eq!(ukrainian.3, Lang::Uk, "the visitor's language comes with the call");

    // An administrator makes a new key: the old address's board loses the link.
    store.new_board_key().wait().unwrap();
    match next(&heard) {
        Heard::Lost(_) => {}
        other => panic!("the old key still heard {other:?}"),
    }
    match next(&heard) {
        Heard::Lost(why) => assert!(why.contains("key"), "{why}"),
        other => panic!("the old key still heard {other:?}"),
    }
    drop(server);
}

#[test]
fn a_link_that_drops_comes_back_where_it_left_off() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.sqlite")).unwrap();
    let (server, fingerprint) = kiosk_console(dir.path(), &store);
    let port = server.addr.port();
    let key = store.new_board_key().wait().unwrap();
    let url = format!("https://localhost:{port}/board?key={key}");
    let (tx, heard) = mpsc::channel();
    remote::follow(Source::parse(&url, Some(&fingerprint)).unwrap(), move |h| drop(tx.send(h))).unwrap();
    assert_eq!(next(&heard), Heard::Connected);
    let before = call(&store, Lang::Fr, "Bureau 1");
    assert_eq!(number(&next(&heard)).1, before);
    // The kiosk stops (a restart); a call is made while it is down; it comes back on the
    // same port.
    drop(server);
    assert!(matches!(next(&heard), Heard::Lost(_)));
    let during = call(&store, Lang::Fr, "Bureau 2");
    let (server, _) = {
        let identity = tls::load_or_create(None, dir.path(), &[]).unwrap();
        let catalogue = Arc::new(guichet::assets::load_catalogue(None).unwrap());
        let console = Console::new(store.clone(), catalogue, ConsoleConfig::default()).with_tls(identity);
        let addr = format!("127.0.0.1:{port}").parse().unwrap();
        (staff::spawn(console, addr).unwrap(), ())
    };
    // The call made while it was down is said once the link is back; the one before the
    // drop is not said again.
    let mut lost = 0;
    let first = loop {
        match next(&heard) {
            Heard::Lost(_) => lost += 1,
            Heard::Connected => {}
            call => break number(&call),
        }
    };
    assert_eq!(first, ("call", during, "Bureau 2".to_string(), Lang::Fr), "after {lost} failed tries");
    let later = call(&store, Lang::Fr, "Bureau 1");
    assert_eq!(number(&next(&heard)).1, later);
    drop(server);
}
