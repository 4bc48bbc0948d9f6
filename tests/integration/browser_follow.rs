//! "Suivre mon tour" in a real browser on a phone-sized touch screen
//! (tests/browser/follow.mjs): the visitor opens the page from the ticket's follow
//! address, turns the sound on; staff call the tickets ahead one by one, then this one.
//! The place changes live, the "near" note comes, and the phone rings (the chime played
//! to its end) and vibrates when the number is called, and again when it is recalled.

use crate::browser::{request, Run};
use guichet::core::follow::Office;
use guichet::core::lang::Lang;
use guichet::core::queue::{Action, Status};
use guichet::follow::{self, Follow, FollowConfig};
use guichet::store::{Change, Store};
use std::time::{Duration, Instant};

const DESK: &str = "Bureau 2";

#[test]
fn a_visitor_follows_their_turn_live_on_a_phone_and_it_rings_when_called() {
    let run = Run::start();
    let store = Store::open(&run.dir.path().join("guichet.sqlite")).expect("a store");
    let config = FollowConfig {
        site_name: "France Services de test".into(),
        office: Office { minutes_per_visit: 15, desks: 2 },
    };
    let server = follow::spawn(Follow::new(store.clone(), config), "127.0.0.1:0".parse().unwrap())
        .expect("the follow page starts");
    for _ in 0..3 {
        store.issue(request(Lang::Fr)).wait().expect("a ticket");
    }
    let mine = store.issue(request(Lang::Ar)).wait().expect("the visitor's ticket");
    let token = mine.follow.clone().expect("a follow token");
    let url = follow::follow_url(&format!("http://{}", server.addr), &token);

    let env = run.env([
        ("GUICHET_FOLLOW_URL", url),
        ("GUICHET_NUMBER", mine.number.clone()),
        ("GUICHET_DESK", DESK.to_string()),
    ]);
    let staff = {
        let store = store.clone();
        let ready = run.ready.clone();
        std::thread::spawn(move || {
            let began = Instant::now();
            while !ready.exists() {
                if began.elapsed() > Duration::from_secs(90) {
                    return Err("the page never said it was ready".to_string());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // The three tickets ahead, then the visitor's, a moment apart as at desks.
            let mut called = Vec::new();
            for desk in ["Bureau 1", "Bureau 3", "Bureau 1", DESK] {
                std::thread::sleep(Duration::from_millis(800));
                called.push(store.call_next(desk.into(), None).wait().map_err(|e| e.to_string())?.number);
            }
            // The visitor does not come at once: recalled, the phone rings again.
            std::thread::sleep(Duration::from_millis(2500));
            let last = store.reader().with(guichet::store::open_tickets).map_err(|e| e.to_string())?;
            let mine = last.iter().find(|t| t.status == Status::Called && t.desk.as_deref() == Some(DESK));
            let id = mine.ok_or("the visitor's ticket is called")?.id;
            let change = Change { desk: Some(DESK.into()), ..Change::new(Action::Call) };
            store.act(id, change).wait().map_err(|e| e.to_string())?;
            Ok(called)
        })
    };
    run.script("follow.mjs", &env);
    let called = staff.join().expect("the staff thread").expect("staff called");
    assert_eq!(called.last(), Some(&mine.number), "the visitor's ticket came last");

    let seen = run.result();
    assert_eq!(seen["dir"], "rtl", "an Arabic ticket reads right to left");
    let kinds: Vec<&str> = seen["kinds"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"waiting"), "three ahead at first: {kinds:?}");
    assert_eq!(kinds.last(), Some(&"called"), "{kinds:?}");
    let near = kinds.iter().position(|k| *k == "near").expect("the near note came");
    assert!(near < kinds.len() - 1, "near before called: {kinds:?}");
    let played: Vec<&str> = seen["played"].as_array().unwrap().iter().map(|p| p["end"].as_str().unwrap()).collect();
    assert_eq!(played, ["ended", "ended"], "the chime rang at the call and at the recall, to its end");
    let vibrations = seen["vibrations"].as_array().unwrap();
    assert!(
        vibrations.iter().any(|v| v.as_array().is_some_and(|p| p.len() == 5)),
        "the call's long vibration: {vibrations:?}"
    );
    let live = seen["live"].as_str().unwrap();
    assert!(live.contains("حان دورك") && live.contains(DESK), "called, in Arabic, with the desk: {live}");
    server.stop();
}
