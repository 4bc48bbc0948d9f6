//! The routes: the queue (page, fragment, live events), the ticket page, the actions,
//! and the plain pages. Every POST goes through [`Posted`] (logged in + CSRF) and the
//! guard middleware (Origin check, security headers).

use super::auth::Notice;
use super::extract::{CsrfForm, PageNonce, Posted, Staff};
use super::guard::{self, is_token, safe_next};
use super::pages::{self, Plain};
use super::queue_view::{self, MAX_DESK};
use super::{admin, health_view, help_view, labels, login, sse, ticket_view, Console};
use crate::core::help::HelpCall;
use crate::core::queue::Action;
use crate::health::{Health, Snapshot};
use crate::store::{self, StoreError, TicketRow};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use serde::Deserialize;

pub(super) fn router(console: Console) -> Router {
    Router::new()
        .route("/", get(queue_page))
        .route("/queue", get(queue_fragment))
        .route("/events", get(sse::events))
        .route("/login", get(login::login_page).post(login::login))
        .route("/logout", post(login::logout))
        .route("/t/{token}", get(ticket_page))
        .route("/tickets/{id}/{action}", post(ticket_action))
        .route("/call-next", post(call_next))
        .route("/help/{id}/answer", post(help_view::answer))
        .route("/health", get(health))
        .route(health_view::PATH, get(health_view::page))
        .route(admin::PATH, get(admin::accounts_page))
        .route(&format!("{}/compte", admin::PATH), get(admin::account_page))
        .route(admin::JOURNAL, get(admin::journal_page))
        .route(&format!("{}/accounts/{{op}}", admin::PATH), post(admin::account_action))
        .route("/favicon.ico", get(no_icon))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(console.clone(), guard::guard))
        .layer(middleware::from_fn(super::limits::time_limit))
        .with_state(console)
}

/// For technicians and monitoring.
async fn health() -> &'static str {
    "ok"
}

/// Browsers ask for an icon with every page: "none" rather than an error in their console.
async fn no_icon() -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn not_found(State(console): State<Console>, PageNonce(nonce): PageNonce) -> Response {
    pages::plain(&console.chrome(&nonce, None), Plain::NotFound)
}

async fn open_tickets(console: &Console, staff: &Staff) -> Result<Vec<TicketRow>, Response> {
    console.read(store::open_tickets).await.map_err(|e| console.unavailable(&staff.nonce, Some(&staff.session), e))
}

async fn queue_page(State(console): State<Console>, staff: Staff) -> Response {
    let tickets = match open_tickets(&console, &staff).await {
        Ok(t) => t,
        Err(page) => return page,
    };
    let notice = console.auth.take_notice(&staff.session_id);
    let (calls, health) = live_extras(&console).await;
    let live = queue_view::Live::new(&console, &tickets, &calls, health.as_ref());
    queue_view::queue_page(&staff.chrome(&console), &staff.session, notice.as_ref(), &live).into_response()
}

async fn queue_fragment(State(console): State<Console>, staff: Staff) -> Response {
    match open_tickets(&console, &staff).await {
        Ok(tickets) => {
            let (calls, health) = live_extras(&console).await;
            let live = queue_view::Live::new(&console, &tickets, &calls, health.as_ref());
            queue_view::queue_fragment(&live, &staff.session.csrf).into_response()
        }
        Err(page) => page,
    }
}

/// What the live part shows besides the tickets: calls for help and the kiosk's health.
async fn live_extras(console: &Console) -> (Vec<HelpCall>, Option<Snapshot>) {
    let calls = console.store.open_help().await.unwrap_or_default();
    (calls, console.health.as_ref().map(Health::snapshot))
}

/// A finished ticket from an earlier service day is no longer shown.
fn expired(row: &TicketRow, today: NaiveDate) -> bool {
    !row.status.is_open() && row.service_day.parse::<NaiveDate>().is_ok_and(|day| day < today)
}

async fn ticket_page(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    token: Result<Path<String>, PathRejection>,
    staff: Result<Staff, Response>,
) -> Response {
    let not_found =
        |staff: Option<&Staff>| pages::plain(&console.chrome(&nonce, staff.map(|s| &s.session)), Plain::TicketNotFound);
    let token = match token {
        Ok(Path(token)) if is_token(&token) => token,
        _ => return not_found(staff.as_ref().ok()),
    };
    let staff = match staff {
        Ok(staff) => staff,
        Err(to_login) => return to_login,
    };
    let row = match console.read(move |c| store::ticket_by_token(c, &token)).await {
        Ok(Some(row)) if !expired(&row, console.clock.today()) => row,
        Ok(_) => return not_found(Some(&staff)),
        Err(e) => return console.unavailable(&nonce, Some(&staff.session), e),
    };
    let notice = console.auth.take_notice(&staff.session_id);
    let described = labels::describe(&row, &console.catalogue, console.clock.now_ms());
    let desks = &console.config.desks;
    ticket_view::ticket_page(&staff.chrome(&console), &staff.session, notice.as_ref(), &described, desks)
        .into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionFields {
    csrf: String,
    desk: String,
    outcome: String,
    back: String,
}

impl CsrfForm for ActionFields {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CallNextFields {
    csrf: String,
    desk: String,
    queue: String,
}

impl CsrfForm for CallNextFields {
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

/// The outcome recorded with `Finish` (ignored with other actions); `Err` if unknown.
fn outcome_for(action: Action, value: &str) -> Result<Option<String>, ()> {
    match value {
        _ if action != Action::Finish => Ok(None),
        "" => Ok(None),
        known if labels::outcome(known).is_some() => Ok(Some(known.to_string())),
        _ => Err(()),
    }
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
const CHANGED: &str = "Ce ticket a changé entre-temps : rien n'a été fait.";

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

async fn ticket_action(
    State(console): State<Console>,
    path: Result<Path<(String, String)>, PathRejection>,
    Posted { staff, form }: Posted<ActionFields>,
) -> Response {
    let parsed =
        path.ok().and_then(|Path((id, slug))| Some((id.parse::<i64>().ok()?, labels::action_from_slug(&slug)?)));
    let Some((id, action)) = parsed else {
        return pages::plain(&staff.chrome(&console), Plain::NotFound);
    };
    let Ok(outcome) = outcome_for(action, &form.outcome) else {
        return pages::plain(&staff.chrome(&console), Plain::BadRequest);
    };
    let back = safe_next(&form.back);
    let desk = desk_for(&console, &staff, &form.desk);
    if action == Action::Call && desk.is_none() {
        return tell(&console, &staff, no_desk(&console), back);
    }
    let desk = desk.filter(|_| matches!(action, Action::Call | Action::Start));
    match console.store.act(id, action, desk, outcome).await {
        Ok(row) => {
            staff.audit(&console, labels::action_slug(action), &row.number);
            tell(&console, &staff, Notice::info(labels::action_done(action, &row)), back)
        }
        Err(StoreError::Transition(_)) => tell(&console, &staff, Notice::problem(CHANGED), back),
        Err(StoreError::NotFound) => pages::plain(&staff.chrome(&console), Plain::TicketNotFound),
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    }
}

async fn call_next(State(console): State<Console>, Posted { staff, form }: Posted<CallNextFields>) -> Response {
    let Ok(queue) = queue_filter(&console, &form.queue) else {
        return pages::plain(&staff.chrome(&console), Plain::BadRequest);
    };
    console.auth.update(&staff.session_id, |s| s.queue = queue);
    let Some(desk) = desk_for(&console, &staff, &form.desk) else {
        return tell(&console, &staff, no_desk(&console), "/");
    };
    let notice = match console.store.call_next(desk, queue).await {
        Ok(row) => {
            staff.audit(&console, "call-next", &row.number);
            Notice::info(labels::action_done(Action::Call, &row))
        }
        Err(StoreError::NobodyWaiting) => Notice::info(match queue {
            Some(q) => format!("Personne n'attend dans la file {q} pour le moment."),
            None => "Personne n'attend pour le moment.".to_string(),
        }),
        Err(e) => return console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    };
    tell(&console, &staff, notice, "/")
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
