//! The routes: the queue (page, fragment, live events), the ticket page, and the plain
//! pages; the actions are in `actions`. Every POST goes through [`Posted`] (logged in + CSRF) and the
//! guard middleware (Origin check, security headers).

use crate::core::help::HelpCall;
use crate::core::queue::{transition, Action};
use crate::health::{Health, Snapshot};
use crate::staff::access::auth::new_secret;
use crate::staff::access::guard::{self, is_token, Nonce};
use crate::staff::act::console::Console;
use crate::staff::act::extract::{PageNonce, Staff};
use crate::staff::act::{actions, admin, board, board_admin, health, help, login, network, report, sse};
use crate::staff::pages::queue_view;
use crate::staff::pages::{self, Plain};
use crate::staff::pages::{labels, paths, ticket_view};
use crate::store::{self, TicketRow};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;

pub(crate) fn router(console: Console) -> Router {
    Router::new()
        .route("/", get(queue_page))
        .route("/queue", get(queue_fragment))
        .route("/login", get(login::login_page).post(login::login))
        .route("/logout", post(login::logout))
        .route("/t/{token}", get(ticket_page))
        .route("/tickets/{id}/{action}", post(actions::ticket_action))
        .route("/call-next", post(actions::call_next))
        .route(paths::OPEN_DAY, post(actions::open_day))
        .route("/help/{id}/answer", post(help::answer))
        .route("/health", get(ok))
        .route(paths::HEALTH, get(health::page))
        .route(paths::ADMIN, get(admin::accounts_page))
        .route(&format!("{}/compte", paths::ADMIN), get(admin::account_page))
        .route(paths::JOURNAL, get(admin::journal_page))
        .route(&format!("{}/accounts/{{op}}", paths::ADMIN), post(admin::account_action))
        .route(paths::BOARD_ADMIN, get(board_admin::page).post(board_admin::renew))
        .route(paths::BOARD, get(board::page))
        .route("/board/chime.wav", get(board::chime))
        .route("/board/audio/{id}", get(board::spoken))
        .route(paths::REPORT, get(report::page))
        .route(paths::REPORT_CSV, get(report::csv_export))
        .route(paths::REPORT_JSON, get(report::json_export))
        .route(paths::REPORT_NETWORK, get(network::page))
        .route(paths::REPORT_NETWORK_CSV, get(network::csv_export))
        .route(paths::REPORT_NETWORK_JSON, get(network::json_export))
        .route("/favicon.ico", get(no_icon))
        .fallback(not_found)
        // Every request but the live stream, which is meant to last, has a time limit.
        .layer(middleware::from_fn(crate::staff::access::limits::time_limit))
        .layer(DefaultBodyLimit::max(crate::staff::access::limits::MAX_BODY))
        .route("/events", get(sse::events))
        .route("/board/events", get(board::events))
        .layer(middleware::from_fn_with_state(console.clone(), protect))
        .with_state(console)
}

/// For technicians and monitoring.
async fn ok() -> &'static str {
    "ok"
}

/// Browsers ask for an icon with every page: "none" rather than an error in their console.
async fn no_icon() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// Middleware on every route: refuses cross-site POSTs, then adds the security headers.
async fn protect(State(console): State<Console>, mut request: Request, next: Next) -> Response {
    let nonce = new_secret();
    let mut response = if request.method() == Method::POST && !guard::origin_allowed(request.headers()) {
        pages::plain(&console.chrome(&nonce, None), Plain::Forbidden)
    } else {
        request.extensions_mut().insert(Nonce(nonce.clone()));
        next.run(request).await
    };
    guard::add_security_headers(response.headers_mut(), &nonce);
    response
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
    let live = live(&console, &tickets, &calls, health.as_ref());
    queue_view::queue_page(&staff.chrome(&console), &staff.session, notice.as_ref(), &live).into_response()
}

async fn queue_fragment(State(console): State<Console>, staff: Staff) -> Response {
    match open_tickets(&console, &staff).await {
        Ok(tickets) => {
            let (calls, health) = live_extras(&console).await;
            let live = live(&console, &tickets, &calls, health.as_ref());
            queue_view::queue_fragment(&live, &staff.session).into_response()
        }
        Err(page) => page,
    }
}

/// What the live part shows besides the tickets: calls for help and the kiosk's health.
async fn live_extras(console: &Console) -> (Vec<HelpCall>, Option<Snapshot>) {
    let calls = console.store.open_help().await.unwrap_or_default();
    (calls, console.health.as_ref().map(Health::snapshot))
}

/// What the live part of the queue page shows.
fn live<'a>(
    console: &'a Console,
    tickets: &'a [TicketRow],
    calls: &'a [HelpCall],
    health: Option<&'a Snapshot>,
) -> queue_view::Live<'a> {
    queue_view::Live {
        catalogue: &console.catalogue,
        tickets,
        calls,
        now_ms: console.clock.now_ms(),
        health,
        desks: &console.config.desks,
        targets: &console.targets,
        calls_before_absent: console.config.calls_before_absent,
    }
}

/// `?confirmer=no-show` or `?confirmer=cancel` on a ticket's page: the question first.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Confirm {
    confirmer: String,
}

/// A finished ticket from an earlier service day is no longer shown.
fn expired(row: &TicketRow, today: NaiveDate) -> bool {
    !row.status.is_open() && row.service_day.parse::<NaiveDate>().is_ok_and(|day| day < today)
}

async fn ticket_page(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    token: Result<Path<String>, PathRejection>,
    confirm: Result<Query<Confirm>, QueryRejection>,
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
    // What the visitor had, their priority reason: who read it is in the audit log.
    staff.audit(&console, "ticket-view", &row.number);
    let notice = console.auth.take_notice(&staff.session_id);
    let described = labels::describe(&row, &console.catalogue, console.clock.now_ms());
    let office = ticket_view::Office {
        desks: &console.config.desks,
        queues: &console.catalogue.queues,
        targets: &console.targets,
        calls_before_absent: console.config.calls_before_absent,
    };
    let confirm = confirm
        .ok()
        .and_then(|Query(c)| labels::action_from_slug(&c.confirmer))
        .filter(|a| matches!(a, Action::NoShow | Action::Cancel) && transition(row.status, *a).is_ok());
    ticket_view::ticket_page(&staff.chrome(&console), &staff.session, notice.as_ref(), &described, &office, confirm)
        .into_response()
}
