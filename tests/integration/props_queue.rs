//! A state-machine property test of the queue against the real store on a temporary
//! file: random sequences of issuing, calling (next or a given ticket, from one page or
//! two desks at once), starting, ending, absent, transfer, a new day by hand and a clock
//! that moves on, jumps back or was never set. A small model (props_queue_model.rs)
//! says what each answer must be; after every step the queue rules hold: numbers unique
//! per (queue, day), states legal, a ticket at one desk, revisions checked.

use crate::props::{cases, share};
use crate::props_queue_model::{Expect, Model};
use chrono::NaiveDate;
use guichet::clock::{Clock, ManualClock};
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::queue::{Action, Status};
use guichet::store::{Change, Store, StoreError, TicketRow};
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::HashSet;
use std::sync::Arc;

const QUEUES: [char; 3] = ['A', 'C', 'S'];
const DESKS: [&str; 3] = ["Bureau 1", "Bureau 2", "Salle Marianne"];

/// Which revision a page shows when it acts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seen {
    Current,
    /// A page not refreshed since the ticket last changed.
    Stale,
    /// No check (the kiosk's own actions).
    Unchecked,
}

#[derive(Debug, Clone)]
pub(crate) enum Step {
    Issue {
        queue: usize,
        priority: bool,
    },
    CallNext {
        desk: usize,
        queue: Option<usize>,
    },
    /// `open`: on a ticket still open (else on any ticket, closed ones too).
    Act {
        ticket: Index,
        open: bool,
        action: Action,
        seen: Seen,
        desk: usize,
        to: usize,
        needed: u32,
    },
    /// Two desks act on the same ticket from the same page at once.
    Race {
        ticket: Index,
        first: usize,
        second: usize,
    },
    OpenDay,
    /// The clock moves by this many hours (back when negative).
    Hours(i64),
    /// The clock is lost (a Pi started without network time): some hours after 1970.
    Unset(i64),
    /// The network sets the clock: this many days after the latest day used.
    Set(i64),
}

fn step() -> impl Strategy<Value = Step> {
    let action = prop_oneof![
        3 => Just(Action::Call),
        2 => Just(Action::Start),
        2 => Just(Action::Finish),
        2 => Just(Action::NoShow),
        1 => Just(Action::Cancel),
        1 => Just(Action::Requeue),
        1 => Just(Action::Transfer),
    ];
    let seen = prop_oneof![6 => Just(Seen::Current), 1 => Just(Seen::Stale), 1 => Just(Seen::Unchecked)];
    prop_oneof![
        5 => (0..3usize, proptest::bool::weighted(0.3)).prop_map(|(queue, priority)| Step::Issue { queue, priority }),
        4 => (0..3usize, proptest::option::of(0..3usize)).prop_map(|(desk, queue)| Step::CallNext { desk, queue }),
        10 => (any::<Index>(), proptest::bool::weighted(0.8), action, seen, 0..3usize, 0..3usize, 0..3u32).prop_map(
            |(ticket, open, action, seen, desk, to, needed)| Step::Act { ticket, open, action, seen, desk, to, needed }
        ),
        1 => (any::<Index>(), 0..3usize, 0..3usize).prop_map(|(ticket, first, second)| Step::Race { ticket, first, second }),
        1 => Just(Step::OpenDay),
        1 => prop_oneof![Just(24i64), 1..6i64, -72..0i64].prop_map(Step::Hours),
        1 => (0..48i64).prop_map(Step::Unset),
        1 => (0..3i64).prop_map(Step::Set),
    ]
}

fn request(queue: char, priority: bool) -> TicketRequest {
    TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue,
        lang: Lang::Fr,
        have: vec![],
        priority: priority.then(|| "mobility".to_string()),
    }
}

/// The store, its clock and the model, stepped together.
struct Run {
    _dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    store: Store,
    model: Model,
}

impl Run {
    fn new() -> Run {
        let dir = tempfile::tempdir().unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let clock = Arc::new(ManualClock::new(start));
        let store = Store::open_with_clock(&dir.path().join("guichet.sqlite"), clock.clone()).unwrap();
        Run { _dir: dir, clock, store, model: Model::default() }
    }

    fn rows(&self) -> Vec<TicketRow> {
        let ids: Vec<i64> = self.model.tickets.iter().map(|t| t.id).collect();
        self.store
            .reader()
            .with(|c| Ok(ids.iter().map(|id| guichet::store::ticket_by_id(c, *id).unwrap().unwrap()).collect()))
            .unwrap()
    }

    fn change(&self, t: usize, action: Action, seen: Seen, desk: usize, to: usize, needed: u32) -> Change {
        let rev = self.model.tickets[t].rev;
        let seen = match seen {
            Seen::Current => Some(rev),
            Seen::Stale => Some(rev - 1),
            Seen::Unchecked => None,
        };
        let queue = (action == Action::Transfer).then_some(QUEUES[to]);
        Change { seen, desk: Some(DESKS[desk].into()), queue, calls_before_absent: needed, ..Change::new(action) }
    }

    /// Does `step` on the store and in the model; an answer the model did not expect is
    /// the failure.
    fn step(&mut self, step: &Step) -> Result<(), String> {
        let now = self.clock.now_ms();
        match *step {
            Step::Issue { queue, priority } => {
                let issued = self.store.issue(request(QUEUES[queue], priority)).wait();
                let issued = issued.map_err(|e| format!("issue refused: {e}"))?;
                self.model.moved_day(&self.rows(), self.clock.as_ref(), None)?;
                self.model.issued(&issued, priority, now)
            }
            Step::CallNext { desk, queue } => {
                let queue = queue.map(|q| QUEUES[q]);
                let called = self.store.call_next(DESKS[desk].into(), queue).wait();
                let called_id = called.as_ref().ok().map(|row| row.id);
                self.model.moved_day(&self.rows(), self.clock.as_ref(), called_id)?;
                self.model.called_next(queue, DESKS[desk], called)
            }
            Step::Act { ticket, open, action, seen, desk, to, needed } => {
                let Some(t) = self.model.pick(ticket, open) else { return Ok(()) };
                let change = self.change(t, action, seen, desk, to, needed);
                let expect = self.model.expect(t, &change);
                let got = self.store.act(self.model.tickets[t].id, change.clone()).wait();
                self.model.acted(t, &change, expect, got)
            }
            Step::Race { ticket, first, second } => {
                let Some(t) = self.model.pick(ticket, true) else { return Ok(()) };
                let a = self.change(t, Action::Call, Seen::Current, first, 0, 0);
                let b = self.change(t, Action::Call, Seen::Current, second, 0, 0);
                let (pa, pb) = (
                    self.store.act(self.model.tickets[t].id, a.clone()),
                    self.store.act(self.model.tickets[t].id, b.clone()),
                );
                let expect = self.model.expect(t, &a);
                let winner = matches!(expect, Expect::Done(_));
                self.model.acted(t, &a, expect, pa.wait())?;
                let second = if winner { Expect::Refused("changed") } else { self.model.expect(t, &b) };
                self.model.acted(t, &b, second, pb.wait())
            }
            Step::OpenDay => {
                let (day, closed) = self.store.open_day().wait().map_err(|e| format!("new day refused: {e}"))?;
                self.model.opened_day(day, closed, &self.rows(), self.clock.as_ref())
            }
            Step::Hours(h) => {
                self.clock.advance(h * 3_600_000);
                Ok(())
            }
            Step::Unset(h) => {
                self.clock.set_day(NaiveDate::default());
                self.clock.advance(h * 3_600_000);
                Ok(())
            }
            Step::Set(days) => {
                let latest = self.model.day.unwrap_or_default().max(self.clock.today());
                self.clock.set_day(latest + chrono::Days::new(days as u64));
                Ok(())
            }
        }
    }
}

/// The queue rules, read from the file itself with SQL: what no sequence may break.
fn rules_hold(run: &Run) -> Result<(), String> {
    let check = |sql: &str| -> Result<i64, String> {
        run.store.reader().with(|c| Ok(c.query_one(sql, &[])?.int(0)?)).map_err(|e: StoreError| e.to_string())
    };
    let rules = [
        ("a number given twice in one queue and day",
         "SELECT count(*) FROM (SELECT 1 FROM tickets GROUP BY queue, service_day, number HAVING count(*) > 1)"),
        ("a status that is not a state",
         "SELECT count(*) FROM tickets WHERE status NOT IN ('waiting','called','in_service','done','no_show','cancelled','not_seen')"),
        ("a ticket called or served at no desk",
         "SELECT count(*) FROM tickets WHERE status IN ('called','in_service') AND desk IS NULL"),
        ("a waiting ticket still at a desk", "SELECT count(*) FROM tickets WHERE status = 'waiting' AND desk IS NOT NULL"),
        ("a called ticket never called", "SELECT count(*) FROM tickets WHERE status = 'called' AND (calls < 1 OR called_at IS NULL)"),
        ("a closed ticket with no end time",
         "SELECT count(*) FROM tickets WHERE status IN ('done','no_show','cancelled','not_seen') AND finished_at IS NULL"),
        ("an open ticket of a day before the service day",
         "SELECT count(*) FROM tickets WHERE status IN ('waiting','called','in_service')
            AND service_day < (SELECT value FROM settings WHERE key = 'service_day')"),
        ("a counter below a number it gave",
         "SELECT count(*) FROM tickets t JOIN counters c ON c.queue = t.queue AND c.service_day = t.service_day WHERE t.seq > c.last_seq"),
    ];
    for (rule, sql) in rules {
        let broken = check(sql)?;
        if broken > 0 {
            return Err(format!("{rule}: {broken} ticket(s)"));
        }
    }
    run.model.matches(&run.rows())
}

proptest! {
    // Each case opens a database and commits every step (synchronous=FULL): few cases.
    #![proptest_config(cases(48))]

    #[test]
    fn after_any_sequence_of_actions_the_queue_rules_hold(steps in proptest::collection::vec(step(), 1..40)) {
        let mut run = Run::new();
        for (k, s) in steps.iter().enumerate() {
            let result = run.step(s).and_then(|()| rules_hold(&run));
            prop_assert!(result.is_ok(), "step {k} {s:?}: {}", result.unwrap_err());
        }
    }
}

#[test]
fn the_sequences_reach_every_state() {
    let mut reached = HashSet::new();
    let mut failures = Vec::new();
    share(proptest::collection::vec(step(), 20..40), 24, |steps| {
        let mut run = Run::new();
        if let Err(e) = steps.iter().try_for_each(|s| run.step(s)) {
            failures.push(e);
        }
        reached.extend(run.model.tickets.iter().map(|t| t.status));
        true
    });
    let missing: Vec<Status> = Status::ALL.into_iter().filter(|s| !reached.contains(s)).collect();
    assert!(missing.is_empty() && failures.is_empty(), "no sequence reached {missing:?}; failures: {failures:?}");
}
