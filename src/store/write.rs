//! The write side: every function here runs on the storage thread, in one transaction.

use super::accounts::{self, AuditEntry};
use super::calls::{self, BoardCall};
use super::read::{self, TicketRow};
use super::sql::{args, Db};
use super::{day, StoreError};
use crate::clock::Clock;
use crate::core::journey::TicketRequest;
use crate::core::outcome::Ending;
use crate::core::queue::{self, Action, Status};
use rand::RngCore;

/// A ticket just committed, with what the visitor needs to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTicket {
    pub id: i64,
    pub number: String,
    pub token: String,
    pub queue: char,
    pub service_day: String,
    /// Open tickets that will be called before this one.
    pub ahead: usize,
    /// Today's finished visits in its queue, start to finish (ms): the wait estimate's base.
    pub service_ms: Vec<i64>,
    pub issued_at: i64,
    /// The visitor's token for following their turn (`follow::follow_url`); `None` when
    /// the operating system gave no random bytes.
    pub follow: Option<String>,
    /// Numbered in this kiosk's local series while the site was away: not yet in the
    /// site's queue (its `id` is the local file's).
    pub local: bool,
}

/// 128 random bits, hex: the only thing the QR code carries.
pub(super) fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Issues a ticket, inside the caller's transaction.
pub fn issue(db: &dyn Db, req: &TicketRequest, clock: &dyn Clock) -> Result<IssuedTicket, StoreError> {
    issue_in(db, req, clock, None)
}

/// Issues a ticket numbered in `series` when given (a kiosk's local series: "E" makes
/// "EA-001"; `series::LocalSeries`), else in the queue's own.
pub fn issue_in(
    db: &dyn Db,
    req: &TicketRequest,
    clock: &dyn Clock,
    series: Option<&str>,
) -> Result<IssuedTicket, StoreError> {
    let day = day::current(db, clock)?.to_string();
    let prefix = req.queue.to_string();
    let seq = db
        .query_one(
            "INSERT INTO counters (queue, service_day, last_seq) VALUES (?1, ?2, 1)
             ON CONFLICT (queue, service_day) DO UPDATE SET last_seq = counters.last_seq + 1
             RETURNING last_seq",
            args![prefix.as_str(), day.as_str()],
        )?
        .count(0)?;
    let waiting = read::waiting(db, Some(req.queue))?;
    let ahead = queue::ahead_of_new(&waiting, req.priority.is_some());
    let service_ms = read::service_times(db, &day, req.queue)?;
    let number = format!("{}{}", series.unwrap_or(""), queue::format_number(req.queue, seq));
    let token = new_token();
    let (follow, follow_hash) = super::follow::new_follow_token().unzip();
    let issued_at = clock.now_ms();
    let have = serde_json::to_string(&req.have).unwrap_or_else(|_| "[]".into());
    let id = db
        .query_one(
            "INSERT INTO tickets (number, queue, seq, service_day, token, lang, theme, procedure, have,
                                  priority, status, issued_at, follow_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'waiting', ?11, ?12)
             RETURNING id",
            args![
                number.as_str(),
                prefix,
                seq,
                day.as_str(),
                token.as_str(),
                req.lang.code(),
                req.theme.as_str(),
                req.procedure.as_str(),
                have,
                &req.priority,
                issued_at,
                follow_hash
            ],
        )?
        .int(0)?;
    Ok(IssuedTicket {
        id,
        number,
        token,
        queue: req.queue,
        service_day: day,
        ahead,
        service_ms,
        issued_at,
        follow,
        local: series.is_some(),
    })
}

/// What a staff member asks of one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub action: Action,
    /// The revision the staff member's page showed: the change applies only if the ticket
    /// is still at it (two desks, or a page not yet refreshed). `None`: no check.
    pub seen: Option<i64>,
    /// With `Call` and `Start`: the desk.
    pub desk: Option<String>,
    /// With `Transfer`: the queue it moves to.
    pub queue: Option<char>,
    /// With `Finish`: how the visit ended.
    pub ending: Option<Ending>,
    /// With `NoShow`: the calls needed first (the office's rule).
    pub calls_before_absent: u32,
    /// Who asked, for the audit log: written in the change's own transaction.
    pub audit: Option<Audit>,
}

impl Change {
    /// `action` with nothing else (no revision check).
    pub fn new(action: Action) -> Change {
        Change { action, seen: None, desk: None, queue: None, ending: None, calls_before_absent: 0, audit: None }
    }
}

/// Who made a change and from where: its audit entry (the ticket's number as the detail)
/// is written in the same transaction, so a crash never keeps a change without its entry,
/// nor an entry for a change that was lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    pub actor: String,
    /// The audit verb (`call`, `call-next`, `finish`, …).
    pub action: String,
    pub address: String,
}

/// A ticket after a change, and the board's call when the change was a call.
pub type Acted = (TicketRow, Option<BoardCall>);

/// Applies `change` to ticket `id`, inside the caller's transaction.
pub fn act(db: &dyn Db, clock: &dyn Clock, id: i64, change: &Change) -> Result<Acted, StoreError> {
    let row = read::ticket_by_id(db, id)?.ok_or(StoreError::NotFound)?;
    if change.seen.is_some_and(|seen| seen != row.rev) {
        return Err(StoreError::Changed);
    }
    let to = queue::transition(row.status, change.action)?;
    if change.action == Action::NoShow && !queue::may_note_absent(row.calls, change.calls_before_absent) {
        return Err(StoreError::TooFewCalls { calls: row.calls, needed: change.calls_before_absent });
    }
    let now = clock.now_ms();
    let column = match to {
        _ if change.action == Action::Transfer => None,
        Status::Called => Some("called_at"),
        Status::InService => Some("started_at"),
        Status::Done | Status::NoShow | Status::Cancelled | Status::NotSeen => Some("finished_at"),
        Status::Waiting => None,
    };
    let desk = change.desk.as_deref().filter(|_| matches!(change.action, Action::Call | Action::Start));
    let ending = change.ending.as_ref().filter(|_| change.action == Action::Finish);
    let moved = change.queue.filter(|_| change.action == Action::Transfer).map(String::from);
    db.execute(
        "UPDATE tickets SET status = ?2, rev = rev + 1,
                desk = CASE WHEN ?7 THEN NULL ELSE COALESCE(?3, desk) END,
                calls = calls + ?6, moved_to = COALESCE(?8, moved_to),
                outcome = COALESCE(?4, outcome), redirect_to = COALESCE(?5, redirect_to),
                autonomy = COALESCE(?9, autonomy), first_visit = COALESCE(?11, first_visit),
                first_called_at = CASE WHEN ?6 = 1 THEN COALESCE(first_called_at, ?10) ELSE first_called_at END
         WHERE id = ?1",
        args![
            id,
            to.as_str(),
            desk,
            ending.map(|e| e.outcome.as_str()),
            ending.and_then(|e| e.redirect_to.as_deref()),
            u32::from(change.action == Action::Call),
            to == Status::Waiting,
            moved,
            ending.and_then(|e| e.autonomy).map(|a| a.as_str()),
            now,
            ending.and_then(|e| e.first_visit).map(i64::from),
        ],
    )?;
    if let Some(column) = column {
        db.execute(&format!("UPDATE tickets SET {column} = ?2 WHERE id = ?1"), args![id, now])?;
    }
    let row = read::ticket_by_id(db, id)?.ok_or(StoreError::NotFound)?;
    let call = if change.action == Action::Call { Some(calls::record(db, &row, now)?) } else { None };
    if let Some(Audit { actor, action, address }) = change.audit.clone() {
        let entry = AuditEntry { at: now, actor, action, detail: row.number.clone(), address };
        accounts::record(db, &entry)?;
    }
    Ok((row, call))
}

/// Calls the next visitor of today (priority first) to `desk`, from one queue or all,
/// inside the caller's transaction (the choice and the call are one: two desks calling at
/// once never get the same visitor).
pub fn call_next(
    db: &dyn Db,
    clock: &dyn Clock,
    desk: &str,
    queue: Option<char>,
    audit: Option<Audit>,
) -> Result<Acted, StoreError> {
    // A new day closes what yesterday left open before anyone is called.
    day::current(db, clock)?;
    let waiting = read::waiting(db, queue)?;
    let id = queue::next_in_line(&waiting).map(|w| w.id).ok_or(StoreError::NobodyWaiting)?;
    let change = Change { desk: Some(desk.to_string()), audit, ..Change::new(Action::Call) };
    act(db, clock, id, &change)
}
