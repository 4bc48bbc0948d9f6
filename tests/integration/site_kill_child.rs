//! The site kill harness's child: this test binary run again with `GUICHET_SITE_DB` set
//! (see `site_kill.rs`), as one kiosk or one desk of a site on its PostgreSQL. A kiosk
//! issues tickets through the kiosk's `ticket::issue`; a desk calls the next visitor and
//! ends the visit, as the console does. It prints a line only after the store confirmed a
//! change, until the parent kills it.

use guichet::clock::ManualClock;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::outcome::{Ending, Outcome};
use guichet::core::queue::Action;
use guichet::kiosk::ticket::{self, IssueContext};
use guichet::store::{Audit, Change, Store, StoreError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The site's database (libpq settings); its presence selects the child mode.
pub const DB: &str = "GUICHET_SITE_DB";
/// `kiosk N` or `desk N`.
pub const ROLE: &str = "GUICHET_SITE_ROLE";
/// What every line the parent reads starts with.
pub const MARK: &str = "site-child:";
/// The harness's one service day.
const DAY: (i32, u32, u32) = (2026, 3, 3);
/// A child that is never killed stops by itself (a parent that died).
const LIFETIME: Duration = Duration::from_secs(60);

/// Ignored in the suite: `site_kill.rs` runs it in child processes.
#[test]
#[ignore = "the site kill harness's child process (site_kill.rs starts it)"]
fn child() {
    let (Ok(db), Ok(role)) = (std::env::var(DB), std::env::var(ROLE)) else { return };
    let (y, m, d) = DAY;
    let clock = Arc::new(ManualClock::new(chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date")));
    let files = tempfile::tempdir().expect("a folder");
    let store = Store::open_postgres(&db, &files.path().join("local"), clock).expect("the site's store opens");
    println!("{MARK} ready");
    let began = Instant::now();
    while began.elapsed() < LIFETIME {
        match role.split_once(' ') {
            Some(("kiosk", n)) => issue(&store, n),
            Some(("desk", n)) => serve(&store, &format!("Bureau {n}")),
            _ => panic!("role {role:?}"),
        }
    }
}

/// As the kiosk's issuer: the commit, then what the ticket screen shows.
fn issue(store: &Store, kiosk: &str) {
    let cat = guichet::assets::load_catalogue(None).expect("catalogue");
    let ctx = IssueContext {
        site_name: "Site".into(),
        public_url: "http://site.test".into(),
        minutes_per_visit: 15,
        desks: 6,
        follow_base: None,
    };
    let theme = &cat.themes[kiosk.len() % cat.themes.len()];
    let request = TicketRequest {
        theme: theme.id.clone(),
        procedure: theme.procedures[0].id.clone(),
        queue: 'A',
        lang: Lang::Fr,
        have: vec![],
        priority: None,
    };
    let (issued, view) = ticket::issue(store, &cat, &ctx, &request).expect("ticket issued");
    assert_eq!(view.number, issued.number);
    println!("{MARK} issued {} {} {}", issued.id, issued.number, issued.service_day);
    std::thread::sleep(Duration::from_millis(20));
}

fn by(action: &str) -> Audit {
    Audit { actor: "site".into(), action: action.into(), address: "127.0.0.1".into() }
}

/// As the desk: call the next visitor, then end the visit with an outcome.
fn serve(store: &Store, desk: &str) {
    let called = match store.call_next_by(desk.into(), None, by("call-next")).wait() {
        Ok(row) => row,
        Err(StoreError::NobodyWaiting) => {
            std::thread::sleep(Duration::from_millis(30));
            return;
        }
        Err(e) => panic!("call next: {e}"),
    };
    println!("{MARK} called {} {}", called.id, desk.replace(' ', "_"));
    let ending = Ending::new(Outcome::Done, None, None).expect("an ending");
    let change = Change {
        seen: Some(called.rev),
        ending: Some(ending),
        desk: Some(desk.into()),
        audit: Some(by("finish")),
        ..Change::new(Action::Finish)
    };
    match store.act(called.id, change).wait() {
        Ok(row) => println!("{MARK} finished {}", row.id),
        Err(e) => panic!("finish {}: {e}", called.number),
    }
}
