//! What staff do: act on one ticket (call, start, finish with how it ended, absent,
//! change queue, put back, cancel), call the next visitor, open a new service day
//! (administrators). Each
//! action applies only to the state the page showed (its revision), and says what it did
//! on the next page.

use super::console::Console;
use super::extract::{CsrfForm, Posted, Staff};
use crate::config::MAX_DESK;
use crate::core::outcome::{Autonomy, Ending, EndingError, Outcome};
use crate::core::queue::Action;
use crate::staff::access::auth::Notice;
use crate::staff::access::guard::safe_next;
use crate::staff::pages::labels;
use crate::staff::pages::{self, Plain};
use crate::store::{Change, StoreError};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ActionFields {
    csrf: String,
    /// The ticket's revision the page showed.
    rev: String,
    desk: String,
    outcome: String,
    redirect_to: String,
    autonomy: String,
    /// "yes", "no" or "" (not known).
    first_visit: String,
    /// With "change queue": the queue's letter.
    queue: String,
    back: String,
    /// "yes" from the question before "Absent" and "Annuler".
    confirm: String,
}

impl CsrfForm for ActionFields {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CallNextFields {
    csrf: String,
    desk: String,
    queue: String,
}

impl CsrfForm for CallNextFields {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A form with nothing but its CSRF token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Bare {
    csrf: String,
}

impl CsrfForm for Bare {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A desk name as typed: trimmed, no control characters, at most [`MAX_DESK`] characters.
fn clean_desk(desk: &str) -> Option<String> {
    let desk: String = desk.chars().filter(|c| !c.is_control()).take(MAX_DESK).collect();
    let desk = desk.trim();
    (!desk.is_empty()).then(|| desk.to_string())
}

/// The desk chosen in the form: one of the configured desks when there are some.
fn chosen_desk(console: &Console, given: &str) -> Option<String> {
    let desk = clean_desk(given)?;
    let desks = &console.config.desks;
    (desks.is_empty() || desks.contains(&desk)).then_some(desk)
}

/// The desk chosen in the form (then remembered) or else the one remembered.
fn desk_for(console: &Console, staff: &Staff, typed: &str) -> Option<String> {
    match chosen_desk(console, typed) {
        Some(desk) => {
            console.auth.update(&staff.session_id, |s| s.desk = Some(desk.clone()));
            Some(desk)
        }
        None => staff.session.desk.clone(),
    }
}

/// Why the form's ending cannot be recorded (said to staff, who are on the same page).
enum BadEnding {
    /// A value no page offers: a forged or broken form.
    Unknown,
    Incomplete(EndingError),
    /// No outcome button was pressed (a form from an older page).
    NoOutcome,
}

/// How the visit ended, from the form: staff always choose the outcome (no default).
fn ending_from(console: &Console, form: &ActionFields) -> Result<Ending, BadEnding> {
    if form.outcome.is_empty() {
        return Err(BadEnding::NoOutcome);
    }
    let outcome = Outcome::parse(&form.outcome).ok_or(BadEnding::Unknown)?;
    let autonomy = match form.autonomy.as_str() {
        "" => None,
        given => Some(Autonomy::parse(given).ok_or(BadEnding::Unknown)?),
    };
    let to = form.redirect_to.trim();
    if !to.is_empty() && !console.targets.iter().any(|t| t == to) {
        return Err(BadEnding::Unknown);
    }
    let first_visit = match form.first_visit.as_str() {
        "" => None,
        "yes" => Some(true),
        "no" => Some(false),
        _ => return Err(BadEnding::Unknown),
    };
    let ending = Ending::new(outcome, Some(to), autonomy).map_err(BadEnding::Incomplete)?;
    Ok(Ending { first_visit, ..ending })
}

/// Said when no desk was given (or one that is not in the configured list).
fn no_desk(console: &Console) -> Notice {
    Notice::problem(if console.config.desks.is_empty() {
        "Indiquez d'abord le nom de votre bureau."
    } else {
        "Choisissez d'abord votre bureau dans la liste."
    })
}

/// Someone else acted on the ticket first (two desks, or a page not yet refreshed).
const CHANGED: &str = "Ce ticket a changé entre-temps (un autre bureau, ou une page pas encore à jour) : \
                       rien n'a été fait. Voici son état actuel.";

/// Shows `notice` once on the next page, then goes `to` there.
fn tell(console: &Console, staff: &Staff, notice: Notice, to: &str) -> Response {
    console.auth.update(&staff.session_id, |s| s.notice = Some(notice));
    Redirect::to(to).into_response()
}

/// The queue "call next" takes from: `""` is all queues; `Err` if not in the catalogue.
fn queue_filter(console: &Console, value: &str) -> Result<Option<char>, ()> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Ok(None),
        (Some(prefix), None) if console.catalogue.queue(prefix).is_some() => Ok(Some(prefix)),
        _ => Err(()),
    }
}

/// The change the form asks for, or the page to show instead.
fn change_from(console: &Console, staff: &Staff, action: Action, form: &ActionFields) -> Result<Change, Box<Response>> {
    let bad = || Box::new(pages::plain(&staff.chrome(console), Plain::BadRequest));
    let back = safe_next(&form.back);
    let seen = match form.rev.as_str() {
        "" => None,
        rev => Some(rev.parse::<i64>().map_err(|_| bad())?),
    };
    let mut change = Change {
        seen,
        calls_before_absent: console.config.calls_before_absent,
        audit: Some(staff.as_actor(labels::action_slug(action))),
        ..Change::new(action)
    };
    match action {
        Action::Call | Action::Start => {
            change.desk = desk_for(console, staff, &form.desk);
            if action == Action::Call && change.desk.is_none() {
                return Err(Box::new(tell(console, staff, no_desk(console), back)));
            }
        }
        Action::Finish => match ending_from(console, form) {
            Ok(ending) => change.ending = Some(ending),
            Err(BadEnding::Unknown) => return Err(bad()),
            Err(BadEnding::NoOutcome) => {
                let say = "Rien n'a été fait : choisissez le résultat de la visite (un bouton par résultat).";
                return Err(Box::new(tell(console, staff, Notice::problem(say), back)));
            }
            Err(BadEnding::Incomplete(e)) => {
                let say = match e {
                    EndingError::WhereTo => "Choisissez dans « Orienté vers » l'organisme où la personne est envoyée.",
                    EndingError::NotRedirected => {
                        "Vous avez choisi un organisme dans « Orienté vers » : choisissez aussi le résultat \
                         « Orienté ailleurs », ou enlevez l'organisme."
                    }
                };
                return Err(Box::new(tell(console, staff, Notice::problem(say), back)));
            }
        },
        Action::Transfer => match queue_filter(console, &form.queue) {
            Ok(Some(queue)) => change.queue = Some(queue),
            _ => return Err(bad()),
        },
        Action::NoShow | Action::Cancel if form.confirm != "yes" => {
            let say = "Rien n'a été fait : « Absent » et « Annuler » demandent une confirmation (le lien « Absent… » ou « Annuler… »).";
            return Err(Box::new(tell(console, staff, Notice::problem(say), back)));
        }
        Action::NoShow | Action::Cancel | Action::Requeue => {}
    }
    Ok(change)
}

pub(crate) async fn ticket_action(
    State(console): State<Console>,
    path: Result<Path<(String, String)>, PathRejection>,
    Posted { staff, form }: Posted<ActionFields>,
) -> Response {
    let parsed =
        path.ok().and_then(|Path((id, slug))| Some((id.parse::<i64>().ok()?, labels::action_from_slug(&slug)?)));
    let Some((id, action)) = parsed else {
        return pages::plain(&staff.chrome(&console), Plain::NotFound);
    };
    let change = match change_from(&console, &staff, action, &form) {
        Ok(change) => change,
        Err(page) => return *page,
    };
    let back = safe_next(&form.back);
    match console.store.act(id, change).await {
        Ok(row) => tell(&console, &staff, Notice::info(labels::action_done(action, &row)), back),
        Err(StoreError::Transition(_) | StoreError::Changed) => tell(&console, &staff, Notice::problem(CHANGED), back),
        Err(StoreError::TooFewCalls { calls, needed }) => {
            let say = format!(
                "Appelé {calls} fois : rappelez la personne avant de la noter absente ({needed} appels en tout)."
            );
            tell(&console, &staff, Notice::problem(say), back)
        }
        Err(StoreError::NotFound) => pages::plain(&staff.chrome(&console), Plain::TicketNotFound),
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    }
}

pub(crate) async fn call_next(
    State(console): State<Console>,
    Posted { staff, form }: Posted<CallNextFields>,
) -> Response {
    let Ok(queue) = queue_filter(&console, &form.queue) else {
        return pages::plain(&staff.chrome(&console), Plain::BadRequest);
    };
    console.auth.update(&staff.session_id, |s| s.queue = queue);
    let Some(desk) = desk_for(&console, &staff, &form.desk) else {
        return tell(&console, &staff, no_desk(&console), "/");
    };
    let notice = match console.store.call_next_by(desk, queue, staff.as_actor("call-next")).await {
        Ok(row) => Notice::info(labels::action_done(Action::Call, &row)),
        Err(StoreError::NobodyWaiting) => Notice::info(match queue {
            Some(q) => format!("Personne n'attend dans la file {q} pour le moment."),
            None => "Personne n'attend pour le moment.".to_string(),
        }),
        Err(e) => return console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    };
    tell(&console, &staff, notice, "/")
}

/// A new service day opened by hand (the kiosk's clock is wrong, or the day is over); it
/// closes every open ticket, so only an administrator may.
pub(crate) async fn open_day(State(console): State<Console>, Posted { staff, form: _ }: Posted<Bare>) -> Response {
    if !staff.is_admin() {
        return pages::plain(&staff.chrome(&console), Plain::AdminOnly);
    }
    match console.store.open_day().await {
        Ok((day, closed)) => {
            let day_text = day.format("%d/%m/%Y");
            staff.audit(&console, "open-day", &format!("{day_text} ({closed} fermés)"));
            let closed_text = match closed {
                0 => String::new(),
                1 => " Le ticket encore ouvert est fermé comme « pas reçu ».".to_string(),
                n => format!(" Les {n} tickets encore ouverts sont fermés comme « pas reçus »."),
            };
            let say = format!("Nouvelle journée : le {day_text}. Les numéros repartent de 1.{closed_text}");
            tell(&console, &staff, Notice::info(say), "/")
        }
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_names_are_cleaned() {
        assert_eq!(clean_desk("  Bureau 2 "), Some("Bureau 2".into()));
        assert_eq!(clean_desk("\u{7}\n "), None);
        assert_eq!(clean_desk(&"x".repeat(100)).map(|d| d.len()), Some(MAX_DESK));
    }
}
