//! The model of props_queue.rs: what each ticket should be after each step, from the
//! lifecycle and the service-day rules as docs/ARCHITECTURE.md and docs/DATA.md state
//! them, written here again (not taken from the code under test).

use chrono::NaiveDate;
use guichet::clock::{Clock, ManualClock};
use guichet::core::queue::{Action, Status};
use guichet::store::{Change, IssuedTicket, StoreError, TicketRow};
use proptest::sample::Index;

#[derive(Debug, Clone)]
pub(crate) struct Ticket {
    pub id: i64,
    pub number: String,
    pub queue: char,
    pub day: NaiveDate,
    pub status: Status,
    pub rev: i64,
    pub calls: u32,
    pub desk: Option<String>,
    pub priority: bool,
    pub issued_at: i64,
}

#[derive(Debug, Default)]
pub(crate) struct Model {
    pub tickets: Vec<Ticket>,
    /// The service day in use (none before the first ticket).
    pub day: Option<NaiveDate>,
}

/// What the store must answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Expect {
    Done(Status),
    Refused(&'static str),
}

/// The lifecycle: waiting → called → in service → done, and the side roads.
fn lifecycle(from: Status, action: Action) -> Option<Status> {
    use Action as A;
    use Status as S;
    Some(match (from, action) {
        (S::Waiting | S::Called, A::Call) => S::Called,
        (S::Waiting | S::Called, A::Start) => S::InService,
        (S::Called | S::InService, A::Finish) => S::Done,
        (S::Called, A::NoShow) => S::NoShow,
        (S::Waiting | S::Called, A::Cancel) => S::Cancelled,
        (S::Called, A::Requeue) => S::Waiting,
        (S::Waiting | S::Called, A::Transfer) => S::Waiting,
        _ => return None,
    })
}

fn refusal(e: &StoreError) -> &'static str {
    match e {
        StoreError::Changed => "changed",
        StoreError::Transition(_) => "transition",
        StoreError::TooFewCalls { .. } => "too few calls",
        StoreError::NobodyWaiting => "nobody waiting",
        _ => "other",
    }
}

fn is_open(s: Status) -> bool {
    matches!(s, Status::Waiting | Status::Called | Status::InService)
}

impl Model {
    /// A ticket (one still open when `open`, if any is).
    pub fn pick(&self, i: Index, open: bool) -> Option<usize> {
        let open: Vec<usize> = (0..self.tickets.len()).filter(|&k| !open || is_open(self.tickets[k].status)).collect();
        (!open.is_empty()).then(|| open[i.index(open.len())])
    }

    pub fn expect(&self, t: usize, change: &Change) -> Expect {
        let ticket = &self.tickets[t];
        if change.seen.is_some_and(|seen| seen != ticket.rev) {
            return Expect::Refused("changed");
        }
        let Some(to) = lifecycle(ticket.status, change.action) else { return Expect::Refused("transition") };
        if change.action == Action::NoShow && ticket.calls < change.calls_before_absent.max(1) {
            return Expect::Refused("too few calls");
        }
        Expect::Done(to)
    }

    /// Applies `change` as expected and compares the store's answer.
    pub fn acted(
        &mut self,
        t: usize,
        change: &Change,
        expect: Expect,
        got: Result<TicketRow, StoreError>,
    ) -> Result<(), String> {
        match (expect, got) {
            (Expect::Done(to), Ok(row)) => {
                let ticket = &mut self.tickets[t];
                ticket.status = to;
                ticket.rev += 1;
                ticket.calls += u32::from(change.action == Action::Call);
                if to == Status::Waiting {
                    ticket.desk = None;
                } else if matches!(change.action, Action::Call | Action::Start) {
                    ticket.desk = change.desk.clone();
                }
                if let (Action::Transfer, Some(q)) = (change.action, change.queue) {
                    ticket.queue = q;
                }
                same(ticket, &row)
            }
            (Expect::Refused(why), Err(e)) if refusal(&e) == why => Ok(()),
            (expect, got) => {
                Err(format!("{:?} on {:?}: expected {expect:?}, got {got:?}", change.action, self.tickets[t]))
            }
        }
    }

    /// The service day moved on to `day` (by the clock or by hand): the open tickets of
    /// earlier days are closed as not seen, or carried into `day` with their numbers
    /// when a clock known to be behind issued them (`carry`: not when opened by hand).
    fn move_to(&mut self, day: NaiveDate, rows: &[TicketRow], clock: &ManualClock, carry: bool) -> usize {
        let mut closed = 0;
        if self.day == Some(day) {
            return 0;
        }
        let now = clock.now_ms();
        for (ticket, row) in self.tickets.iter_mut().zip(rows) {
            if !is_open(ticket.status) || ticket.day >= day {
                continue;
            }
            let earliest = guichet::clock::MANUAL_EARLIEST_MS;
            let behind =
                (ticket.issued_at < earliest && now >= earliest) || clock.date_of(ticket.issued_at) < ticket.day;
            ticket.rev += 1;
            if carry && behind {
                ticket.day = day;
                ticket.issued_at = row.issued_at;
            } else {
                ticket.status = Status::NotSeen;
                closed += 1;
            }
        }
        self.day = Some(day);
        closed
    }

    /// After issuing or calling: the day follows the clock, never back.
    pub fn moved_day(&mut self, rows: &[TicketRow], clock: &ManualClock, except: Option<i64>) -> Result<(), String> {
        let day = self.day.map_or(clock.today(), |last| last.max(clock.today()));
        self.move_to(day, rows, clock, true);
        self.tickets.iter().zip(rows).filter(|(t, _)| Some(t.id) != except).try_for_each(|(t, row)| same(t, row))
    }

    pub fn issued(&mut self, issued: &IssuedTicket, priority: bool, now: i64) -> Result<(), String> {
        let day = self.day.ok_or("no service day after an issue")?;
        if issued.service_day != day.to_string() || !issued.number.starts_with(&format!("{}-", issued.queue)) {
            return Err(format!("issued {issued:?} on service day {day}"));
        }
        self.tickets.push(Ticket {
            id: issued.id,
            number: issued.number.clone(),
            queue: issued.queue,
            day,
            status: Status::Waiting,
            rev: 0,
            calls: 0,
            desk: None,
            priority,
            issued_at: now,
        });
        Ok(())
    }

    /// "Call next": priority first, then the earliest, among the waiting of `queue`.
    pub fn called_next(
        &mut self,
        queue: Option<char>,
        desk: &str,
        got: Result<TicketRow, StoreError>,
    ) -> Result<(), String> {
        let next = self
            .tickets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.status == Status::Waiting && queue.is_none_or(|q| q == t.queue))
            .min_by_key(|(_, t)| (!t.priority, t.id))
            .map(|(k, _)| k);
        match (next, got) {
            (None, Err(StoreError::NobodyWaiting)) => Ok(()),
            (Some(k), Ok(row)) if row.id == self.tickets[k].id => {
                let change = Change { desk: Some(desk.into()), ..Change::new(Action::Call) };
                self.acted(k, &change, Expect::Done(Status::Called), Ok(row))
            }
            (next, got) => {
                Err(format!("call next in {queue:?}: expected {:?}, got {got:?}", next.map(|k| &self.tickets[k])))
            }
        }
    }

    /// A new day opened by hand: today, or the day after the last one if the clock is behind.
    pub fn opened_day(
        &mut self,
        day: NaiveDate,
        closed: usize,
        rows: &[TicketRow],
        clock: &ManualClock,
    ) -> Result<(), String> {
        let want = match self.day {
            Some(last) if clock.today() <= last => last.succ_opt().unwrap_or(last),
            _ => clock.today(),
        };
        let want_closed = self.move_to(want, rows, clock, false);
        if (day, closed) != (want, want_closed) {
            return Err(format!("new day {day} closing {closed}; expected {want} closing {want_closed}"));
        }
        self.matches(rows)
    }

    pub fn matches(&self, rows: &[TicketRow]) -> Result<(), String> {
        self.tickets.iter().zip(rows).try_for_each(|(t, row)| same(t, row))
    }
}

fn same(t: &Ticket, row: &TicketRow) -> Result<(), String> {
    let model = (t.id, &t.number, t.queue, t.day.to_string(), t.status, t.rev, t.calls, &t.desk);
    let store = (row.id, &row.number, row.queue, row.service_day.clone(), row.status, row.rev, row.calls, &row.desk);
    if model == store {
        Ok(())
    } else {
        Err(format!("the model has {model:?}, the store {store:?}"))
    }
}
