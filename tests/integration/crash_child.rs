//! The crash harness's child: this test binary run again with `GUICHET_CRASH_DB` set
//! (see `crash.rs`). It works on the real store and file as the kiosk and the console do:
//! tickets issued through the kiosk's `ticket::issue` (commit, then QR and view), staff
//! actions through the store calls the console makes, with its audit entries. It prints a line
//! only after the store confirmed a change (stdout is line-buffered, so each line leaves
//! the process as it is printed), until the parent kills it.

use guichet::clock::ManualClock;
use guichet::core::catalogue::Catalogue;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::outcome::{Ending, Outcome};
use guichet::core::queue::{Action, Status};
use guichet::kiosk::ticket::{self, IssueContext};
use guichet::staff::action_slug as verb;
use guichet::store::{self, Audit, Change, Store, StoreError, TicketRow};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The file the child works on; its presence selects the child mode.
pub const DB: &str = "GUICHET_CRASH_DB";
/// The seed of this child's choices.
pub const SEED: &str = "GUICHET_CRASH_SEED";
/// What every line the parent reads starts with (libtest prints its own lines too).
pub const MARK: &str = "crash-child:";
/// The one service day of the harness: numbering must continue across kills within it.
pub const DAY: (i32, u32, u32) = (2026, 3, 2);
/// The office's rule for "absent" (a first call and a recall).
const CALLS_BEFORE_ABSENT: u32 = 2;
/// A child that is never killed stops by itself (a parent that died).
const LIFETIME: Duration = Duration::from_secs(20);

/// Ignored in the suite: `crash.rs` runs it in a child process.
#[test]
#[ignore = "the crash harness's child process (crash.rs starts it)"]
fn child() {
    let Ok(db) = std::env::var(DB) else { return };
    let seed = std::env::var(SEED).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    run(Path::new(&db), seed);
}

fn run(db: &Path, seed: u64) {
    let (y, m, d) = DAY;
    let day = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    let clock = Arc::new(ManualClock::new(day));
    let store = Store::open_with_clock(db, clock.clone()).expect("the store opens after a crash");
    let cat = guichet::assets::load_catalogue(None).expect("catalogue");
    let ctx = IssueContext {
        site_name: "Crash".into(),
        public_url: "http://kiosk.test".into(),
        minutes_per_visit: 15,
        desks: 2,
        follow_base: None,
    };
    let mut rng = StdRng::seed_from_u64(seed);
    println!("{MARK} ready");
    let began = Instant::now();
    while began.elapsed() < LIFETIME {
        clock.advance(1000);
        let open = store.reader().with(store::open_tickets).expect("read open tickets");
        match rng.random_range(0..10) {
            0..4 => issue(&store, &cat, &ctx, &mut rng),
            4..6 => call_next(&store),
            _ => match pick(&open, &mut rng) {
                Some(t) => act(&store, &cat, t, &mut rng),
                None => issue(&store, &cat, &ctx, &mut rng),
            },
        }
    }
}

fn pick<'a>(open: &'a [TicketRow], rng: &mut StdRng) -> Option<&'a TicketRow> {
    (!open.is_empty()).then(|| &open[rng.random_range(0..open.len())])
}

/// As the kiosk's issuer: the commit, then what the ticket screen shows.
fn issue(store: &Store, cat: &Catalogue, ctx: &IssueContext, rng: &mut StdRng) {
    let theme = &cat.themes[rng.random_range(0..cat.themes.len())];
    let procedure = &theme.procedures[rng.random_range(0..theme.procedures.len())];
    let request = TicketRequest {
        theme: theme.id.clone(),
        procedure: procedure.id.clone(),
        queue: theme.queue,
        lang: Lang::ALL[rng.random_range(0..Lang::ALL.len())],
        have: vec![cat.have[0].id.clone()],
        priority: rng.random_bool(0.2).then(|| cat.priority[1].id.clone()),
    };
    let (issued, view) = ticket::issue(store, cat, ctx, &request).expect("ticket issued");
    assert_eq!(view.number, issued.number);
    println!("{MARK} issued {} {} {}", issued.id, issued.number, issued.service_day);
}

/// The audit entry the console gives a change (`Staff::as_actor`).
fn by(action: &str) -> Audit {
    Audit { actor: "crash".into(), action: action.into(), address: "127.0.0.1".into() }
}

/// As the console's "call next": the call and its audit entry.
fn call_next(store: &Store) {
    match store.call_next_by("Bureau 1".into(), None, by("call-next")).wait() {
        Ok(row) => println!("{MARK} acted {} {}", row.id, row.rev),
        Err(StoreError::NobodyWaiting) => {}
        Err(e) => panic!("call next: {e}"),
    }
}

/// One of the actions the ticket's page offers in its state, with the revision it shows.
fn act(store: &Store, cat: &Catalogue, t: &TicketRow, rng: &mut StdRng) {
    use Action as A;
    let choices: &[Action] = match t.status {
        Status::Waiting => &[A::Call, A::Start, A::Cancel, A::Transfer],
        Status::Called => &[A::Call, A::Start, A::Finish, A::NoShow, A::Requeue, A::Transfer],
        _ => &[A::Finish],
    };
    let action = choices[rng.random_range(0..choices.len())];
    let mut change = Change {
        seen: Some(t.rev),
        calls_before_absent: CALLS_BEFORE_ABSENT,
        audit: Some(by(verb(action))),
        ..Change::new(action)
    };
    match action {
        A::Call | A::Start => change.desk = Some(format!("Bureau {}", rng.random_range(1..4))),
        A::Finish => {
            let outcome = [Outcome::Done, Outcome::Partly, Outcome::Information][rng.random_range(0..3)];
            change.ending = Some(Ending::new(outcome, None, None).expect("an ending without redirection"));
        }
        A::Transfer => change.queue = Some(cat.queues[rng.random_range(0..cat.queues.len())].prefix),
        _ => {}
    }
    match store.act(t.id, change).wait() {
        Ok(row) => println!("{MARK} acted {} {}", row.id, row.rev),
        // "Absent" before the recall: the page says so, nothing changes.
        Err(StoreError::TooFewCalls { .. }) => {}
        Err(e) => panic!("{action:?} on {}: {e}", t.number),
    }
}
