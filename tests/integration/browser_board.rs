//! The waiting-room board in a real browser (tests/browser/board.mjs): a TV opens the
//! board, the sound is turned on with one touch, two desks call at the same moment; both
//! calls are shown and said in the order made (chime, French, English, twice), the
//! audio made on the kiosk and played to its end, none skipped.

use crate::browser::{request, Run};
use guichet::core::lang::Lang;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{self, Store};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Waits for `file` to appear (the script says it is ready), up to a minute.
fn wait_for(file: &Path) {
    let began = Instant::now();
    while !file.exists() {
        assert!(began.elapsed() < Duration::from_secs(60), "the board page never said it was ready");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn two_calls_at_once_are_shown_and_said_in_order_on_a_browser_board() {
    let run = Run::start();
    let store = Store::open(&run.dir.path().join("guichet.sqlite")).expect("a store");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("the built-in catalogue"));
    let config = ConsoleConfig { site_name: "France Services de test".into(), ..ConsoleConfig::default() };
    let server = staff::spawn(Console::new(store.clone(), catalogue, config), "127.0.0.1:0".parse().unwrap())
        .expect("the console starts");
    let key = store.new_board_key().wait().expect("a board key");
    let first = store.issue(request(Lang::En)).wait().expect("a ticket");
    let second = store.issue(request(Lang::Fr)).wait().expect("a ticket");

    let env = run.env([
        ("GUICHET_BOARD_URL", format!("http://{}/board?key={key}", server.addr)),
        ("GUICHET_CALLS", "2".to_string()),
    ]);
    let caller = {
        let store = store.clone();
        let ready = run.ready.clone();
        std::thread::spawn(move || {
            wait_for(&ready);
            // Two desks press "call next" together.
            let other = store.clone();
            let desk2 = std::thread::spawn(move || other.call_next("Bureau 2".into(), None).wait());
            let desk1 = store.call_next("Bureau 1".into(), None).wait();
            (desk1.map(|r| r.number), desk2.join().expect("desk 2").map(|r| r.number))
        })
    };
    run.script("board.mjs", &env);
    let (a, b) = caller.join().expect("the calling thread");
    assert!(a.is_ok() && b.is_ok(), "both desks called: {a:?} {b:?}");

    let heard = run.result();
    let made = store.reader().with(|c| store::last_calls(c, 10)).unwrap();
    let ids: Vec<i64> = made.iter().map(|c| c.id).collect();
    assert_eq!(heard["shown"], serde_json::json!(ids), "shown in the order made, none skipped");
    let played: Vec<(String, String)> = heard["played"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["url"].as_str().unwrap().to_string(), p["end"].as_str().unwrap().to_string()))
        .collect();
    let mut expected = vec!["/board/chime.wav".to_string()]; // the "sound on" touch
    for call in &made {
        expected.push("/board/chime.wav".into());
        let langs = if call.lang == Lang::Fr { vec!["fr", "fr"] } else { vec!["fr", "en", "fr", "en"] };
        for lang in langs {
            expected.push(format!("/board/audio/{}?key={key}&lang={lang}", call.id));
        }
    }
    let urls: Vec<&str> = played.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(urls, expected, "chime, then French and the visitor's language, twice; call after call");
    assert!(played.iter().all(|(_, end)| end == "ended"), "every sound played to its end: {played:?}");
    let last = made.last().unwrap();
    assert_eq!(heard["screen"]["number"], last.number.as_str());
    assert_eq!(heard["screen"]["desk"], last.desk.as_str());
    let before = format!("{}{}", made[0].number, made[0].desk);
    assert_eq!(heard["screen"]["before"], serde_json::json!([before]));
    let numbers: Vec<&str> = made.iter().map(|c| c.number.as_str()).collect();
    assert!(numbers.contains(&first.number.as_str()) && numbers.contains(&second.number.as_str()));
    server.stop();
}
