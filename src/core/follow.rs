//! Where a visitor's ticket stands, as the follow page tells it ("Suivre mon tour"): its
//! place among the waiting tickets of its queue, the wait estimated as on the kiosk's
//! ticket screen, a note when the turn is near, and the call. No IO.

use super::queue::{self, Status, WaitRange, Waiting};

/// The note "your turn is near" shows with this many people or fewer ahead.
pub const NEAR: usize = 2;

/// Waiting tickets called before ticket `id` by the ordering rule (priority needs
/// first, then first come, first served): those that sort before it.
pub fn ahead_of(waiting: &[Waiting], id: i64) -> usize {
    let key = |w: &Waiting| (!w.priority, w.order);
    match waiting.iter().find(|w| w.id == id) {
        Some(me) => waiting.iter().filter(|w| key(w) < key(me)).count(),
        None => 0,
    }
}

/// Where a ticket stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// In the queue: people ahead, the estimate, and whether the turn is near.
    Waiting { ahead: usize, wait: WaitRange, near: bool },
    /// Called to a desk (the name staff chose, as the board shows it).
    Called { desk: String },
    /// At the desk now.
    Serving,
    /// The visit is over.
    Done,
    /// Called, and noted absent.
    Absent,
    /// Cancelled, or still open when its day ended.
    Closed,
}

/// What the estimate needs besides the queue: the office's figures (`[queue]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Office {
    /// Minutes per visit until the day has measured enough visits of its own.
    pub minutes_per_visit: u32,
    pub desks: u32,
}

/// The turn of a ticket in `status`, `ahead` people before it, in a queue whose finished
/// visits today took `service_ms`: the wait as the kiosk estimates it.
pub fn turn(status: Status, ahead: usize, desk: Option<&str>, service_ms: &[i64], office: Office) -> Turn {
    match status {
        Status::Waiting => {
            let per_visit = queue::minutes_per_visit(service_ms, office.minutes_per_visit);
            let wait = WaitRange::around(queue::estimate_wait(ahead, per_visit, office.desks));
            Turn::Waiting { ahead, wait, near: ahead <= NEAR }
        }
        Status::Called => Turn::Called { desk: desk.unwrap_or_default().to_string() },
        Status::InService => Turn::Serving,
        Status::Done => Turn::Done,
        Status::NoShow => Turn::Absent,
        Status::Cancelled | Status::NotSeen => Turn::Closed,
    }
}

impl Turn {
    /// One word for the page's script (sound and vibration on `called`).
    pub fn kind(&self) -> &'static str {
        match self {
            Turn::Waiting { near: false, .. } => "waiting",
            Turn::Waiting { near: true, .. } => "near",
            Turn::Called { .. } => "called",
            Turn::Serving => "serving",
            Turn::Done => "done",
            Turn::Absent => "absent",
            Turn::Closed => "closed",
        }
    }

    /// Nothing more will change: the page stops following.
    pub fn is_final(&self) -> bool {
        matches!(self, Turn::Done | Turn::Absent | Turn::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(id: i64, priority: bool) -> Waiting {
        Waiting { id, priority, order: id }
    }

    #[test]
    fn priority_tickets_go_first_then_arrival_order() {
        let waiting = [w(1, false), w(2, false), w(3, true), w(4, false), w(5, true)];
        assert_eq!(ahead_of(&waiting, 3), 0, "the first priority ticket is next");
        assert_eq!(ahead_of(&waiting, 5), 1);
        assert_eq!(ahead_of(&waiting, 1), 2, "both priority tickets first");
        assert_eq!(ahead_of(&waiting, 4), 4);
        assert_eq!(ahead_of(&waiting, 9), 0, "not waiting: nobody ahead");
        // The ticket called next is the one with nobody ahead.
        let next = queue::next_in_line(&waiting).unwrap().id;
        assert_eq!(ahead_of(&waiting, next), 0);
    }

    #[test]
    fn the_wait_is_the_kiosks_estimate_and_near_is_two_or_fewer() {
        let office = Office { minutes_per_visit: 15, desks: 2 };
        let at = |ahead| turn(Status::Waiting, ahead, None, &[], office);
        let kiosk = |ahead| WaitRange::around(queue::estimate_wait(ahead, 15, 2));
        assert_eq!(at(6), Turn::Waiting { ahead: 6, wait: kiosk(6), near: false });
        assert_eq!(at(3).kind(), "waiting");
        assert_eq!(at(2).kind(), "near");
        assert_eq!(at(0), Turn::Waiting { ahead: 0, wait: WaitRange::Next, near: true });
        // Five visits measured today replace the configured minutes, as on the kiosk.
        let measured = [600_000; 5];
        let m = turn(Status::Waiting, 4, None, &measured, office);
        assert_eq!(m, Turn::Waiting { ahead: 4, wait: WaitRange::around(queue::estimate_wait(4, 10, 2)), near: false });
    }

    #[test]
    fn every_status_has_its_turn() {
        let office = Office { minutes_per_visit: 15, desks: 2 };
        let of = |s| turn(s, 0, Some("Bureau 2"), &[], office);
        assert_eq!(of(Status::Called), Turn::Called { desk: "Bureau 2".into() });
        assert_eq!(of(Status::InService).kind(), "serving");
        let ends: Vec<&str> = [Status::Done, Status::NoShow, Status::Cancelled, Status::NotSeen]
            .into_iter()
            .map(|s| of(s).kind())
            .collect();
        assert_eq!(ends, ["done", "absent", "closed", "closed"]);
        assert!(of(Status::Done).is_final() && !of(Status::Called).is_final());
    }
}
