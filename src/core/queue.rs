//! Queue rules: ticket numbering per queue and service day, priority ordering,
//! the ticket lifecycle and the waiting-time estimate. No IO.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Waiting,
    Called,
    InService,
    Done,
    NoShow,
    Cancelled,
    /// Still open when its service day ended: closed at the next day's start.
    NotSeen,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Waiting,
        Status::Called,
        Status::InService,
        Status::Done,
        Status::NoShow,
        Status::Cancelled,
        Status::NotSeen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Called => "called",
            Status::InService => "in_service",
            Status::Done => "done",
            Status::NoShow => "no_show",
            Status::Cancelled => "cancelled",
            Status::NotSeen => "not_seen",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Still in the queue or at a desk.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Waiting | Status::Called | Status::InService)
    }
}

/// What staff do to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Call the visitor to a desk (also a second call of a called ticket).
    Call,
    /// The visitor sits down: service begins.
    Start,
    Finish,
    NoShow,
    Cancel,
    /// Put a called ticket back in the queue (visitor stepped out, wrong desk).
    Requeue,
    /// Move to another queue, keeping its place by arrival time.
    Transfer,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a ticket that is {from:?} cannot be {action:?}")]
pub struct TransitionError {
    pub from: Status,
    pub action: Action,
}

/// The lifecycle: waiting → called → in service → done; called → no-show;
/// waiting or called → cancelled; called → waiting (requeue); waiting or called →
/// waiting in another queue (transfer).
pub fn transition(from: Status, action: Action) -> Result<Status, TransitionError> {
    use Action as A;
    use Status as S;
    let to = match (from, action) {
        (S::Waiting | S::Called, A::Call) => S::Called,
        (S::Called | S::Waiting, A::Start) => S::InService,
        (S::InService | S::Called, A::Finish) => S::Done,
        (S::Called, A::NoShow) => S::NoShow,
        (S::Waiting | S::Called, A::Cancel) => S::Cancelled,
        (S::Called, A::Requeue) => S::Waiting,
        (S::Waiting | S::Called, A::Transfer) => S::Waiting,
        _ => return Err(TransitionError { from, action }),
    };
    Ok(to)
}

/// "Absent" may be noted once the visitor has been called `needed` times (a first call
/// and the recalls the office wants), so nobody is marked absent at the first call.
pub fn may_note_absent(calls: u32, needed: u32) -> bool {
    calls >= needed.max(1)
}

/// The service day never goes backwards: the Pi has no real-time clock, and a clock
/// that jumps back must not restart numbering on a day already used.
pub fn service_day(last_used: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    last_used.map_or(today, |last| last.max(today))
}

/// `C-042`: queue prefix and a sequence of at least three digits.
pub fn format_number(prefix: char, seq: u32) -> String {
    format!("{prefix}-{seq:03}")
}

/// The number as separate signs for speech, so it is read digit by digit: `C 0 4 2`.
pub fn spell_out(number: &str) -> String {
    let signs: Vec<String> = number.chars().filter(|c| c.is_alphanumeric()).map(String::from).collect();
    signs.join(" ")
}

/// A waiting ticket as the ordering rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: i64,
    pub priority: bool,
    /// Arrival order (from the store's row ids, not wall-clock time; `read::ARRIVAL`).
    pub order: i64,
}

/// Who is called next: priority needs first, then first come, first served.
pub fn next_in_line(waiting: &[Waiting]) -> Option<&Waiting> {
    waiting.iter().min_by_key(|w| (!w.priority, w.order))
}

/// Tickets ahead of a new ticket: all priority tickets, and everyone if it is not priority.
pub fn ahead_of_new(waiting: &[Waiting], priority: bool) -> usize {
    waiting.iter().filter(|w| w.priority || !priority).count()
}

/// Finished visits needed before the day's measured service time replaces the configured one.
pub const MEASURED_AFTER: usize = 5;

/// Minutes one visit takes, for the estimate: the median of the day's finished visits in
/// this queue (`service_ms`, start to finish) once there are [`MEASURED_AFTER`], rounded up
/// to a whole minute; until then, the configured minutes.
pub fn minutes_per_visit(service_ms: &[i64], configured: u32) -> u32 {
    if service_ms.len() < MEASURED_AFTER {
        return configured;
    }
    let mut sorted: Vec<i64> = service_ms.iter().map(|ms| (*ms).max(0)).collect();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    let median =
        if sorted.len().is_multiple_of(2) { (sorted[middle - 1] + sorted[middle]) / 2 } else { sorted[middle] };
    let minutes = (median as u64).div_ceil(60_000).max(1);
    minutes.min(u64::from(u32::MAX)) as u32
}

/// Estimated wait in minutes, rounded up to 5 minutes; 0 means "you are next".
pub fn estimate_wait(ahead: usize, minutes_per_visit: u32, desks: u32) -> u32 {
    if ahead == 0 {
        return 0;
    }
    let desks = desks.max(1) as u64;
    let total = (ahead as u64 * minutes_per_visit as u64).div_ceil(desks);
    (total.div_ceil(5) * 5).min(u32::MAX as u64) as u32
}

/// The estimate as visitors are told it: a range, since no estimate is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitRange {
    /// Nobody ahead.
    Next,
    /// "less than {0} minutes"
    Under(u32),
    /// "between {0} and {1} minutes"
    Between(u32, u32),
    /// "more than an hour"
    OverAnHour,
}

impl WaitRange {
    /// From an estimate in minutes ([`estimate_wait`]): a quarter below and a quarter
    /// above, to 5 minutes, at least 10 minutes wide.
    pub fn around(minutes: u32) -> WaitRange {
        if minutes == 0 {
            return WaitRange::Next;
        }
        // In u64: an estimate may be as large as u32::MAX (estimate_wait saturates).
        let m = u64::from(minutes);
        let low = m * 3 / 4 / 5 * 5;
        let high = ((m * 5).div_ceil(4).div_ceil(5) * 5).max(low + 10);
        match low {
            0 => WaitRange::Under(high as u32),
            60.. => WaitRange::OverAnHour,
            _ => WaitRange::Between(low as u32, high as u32),
        }
    }

    /// (low, high) for the screen: (0, 0) next, (0, h) under h, (60, 0) over an hour.
    pub fn bounds(self) -> (u32, u32) {
        match self {
            WaitRange::Next => (0, 0),
            WaitRange::Under(h) => (0, h),
            WaitRange::Between(l, h) => (l, h),
            WaitRange::OverAnHour => (60, 0),
        }
    }

    /// In French, for the paper ticket.
    pub fn french(self) -> String {
        match self {
            WaitRange::Next => "Personne n'attend avant vous".into(),
            WaitRange::Under(h) => format!("Attente : moins de {h} minutes"),
            WaitRange::Between(l, h) => format!("Attente : entre {l} et {h} minutes"),
            WaitRange::OverAnHour => "Attente : plus d'une heure".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn lifecycle_allows_the_normal_path_and_refuses_the_rest() {
        let mut s = Status::Waiting;
        for a in [Action::Call, Action::Call, Action::Start, Action::Finish] {
            s = transition(s, a).unwrap();
        }
        assert_eq!(s, Status::Done);
        assert_eq!(transition(Status::Called, Action::NoShow), Ok(Status::NoShow));
        assert_eq!(transition(Status::Called, Action::Requeue), Ok(Status::Waiting));
        assert!(transition(Status::Done, Action::Call).is_err());
        assert!(transition(Status::Waiting, Action::NoShow).is_err());
        assert!(transition(Status::Cancelled, Action::Start).is_err());
        assert_eq!(transition(Status::Called, Action::Transfer), Ok(Status::Waiting));
        assert!(transition(Status::InService, Action::Transfer).is_err());
        assert!(transition(Status::NotSeen, Action::Call).is_err());
        assert!(!may_note_absent(1, 2) && may_note_absent(2, 2) && may_note_absent(1, 0));
        for st in Status::ALL {
            assert_eq!(Status::parse(st.as_str()), Some(st));
        }
    }

    #[test]
    fn the_wait_is_told_as_a_range_in_plain_words() {
        let said: Vec<WaitRange> = [0, 5, 10, 15, 30, 45, 60, 80, u32::MAX].map(WaitRange::around).to_vec();
        use WaitRange::*;
        assert_eq!(
            said,
            [
                Next,
                Under(10),
                Between(5, 15),
                Between(10, 20),
                Between(20, 40),
                Between(30, 60),
                Between(45, 75),
                OverAnHour,
                OverAnHour
            ]
        );
        assert_eq!(Between(10, 20).french(), "Attente : entre 10 et 20 minutes");
        assert_eq!(Under(10).bounds(), (0, 10));
    }

    #[test]
    fn service_day_never_goes_back() {
        assert_eq!(service_day(None, day(5)), day(5));
        assert_eq!(service_day(Some(day(5)), day(6)), day(6));
        assert_eq!(service_day(Some(day(6)), day(1)), day(6), "clock jumped back");
    }

    #[test]
    fn numbers_are_padded_and_spelled() {
        assert_eq!(format_number('C', 42), "C-042");
        assert_eq!(format_number('A', 1234), "A-1234");
        assert_eq!(spell_out("C-042"), "C 0 4 2");
    }

    #[test]
    fn priority_first_then_arrival() {
        let w = |id, priority, order| Waiting { id, priority, order };
        let q = [w(1, false, 1), w(2, false, 2), w(3, true, 3), w(4, true, 4)];
        assert_eq!(next_in_line(&q).map(|w| w.id), Some(3));
        assert_eq!(next_in_line(&q[..2]).map(|w| w.id), Some(1));
        assert_eq!(next_in_line(&[]), None);
        assert_eq!(ahead_of_new(&q, true), 2);
        assert_eq!(ahead_of_new(&q, false), 4);
    }

    #[test]
    fn the_day_s_measured_visits_replace_the_configured_time_after_five() {
        let minutes = |m: &[i64]| m.iter().map(|x| x * 60_000).collect::<Vec<_>>();
        assert_eq!(minutes_per_visit(&minutes(&[4, 4, 4, 4]), 15), 15, "four visits: still configured");
        assert_eq!(minutes_per_visit(&minutes(&[4, 40, 6, 8, 5]), 15), 6, "the median, not the mean");
        assert_eq!(minutes_per_visit(&minutes(&[10, 20, 30, 40, 50, 60]), 15), 35);
        assert_eq!(minutes_per_visit(&[1_000; 5], 15), 1, "at least a minute");
        assert_eq!(minutes_per_visit(&[-5; 5], 15), 1, "a clock that jumped back counts as nothing");
    }

    #[test]
    fn wait_estimate_rounds_up_to_five_minutes() {
        assert_eq!(estimate_wait(0, 12, 2), 0);
        assert_eq!(estimate_wait(1, 12, 2), 10);
        assert_eq!(estimate_wait(3, 12, 2), 20);
        assert_eq!(estimate_wait(3, 12, 0), 40, "zero desks counts as one");
    }
}
