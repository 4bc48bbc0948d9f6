//! The live queue page: the desk's column (its visitors, "call next", the other desks)
//! beside the waiting tickets, one compact row each — number, wait, what matters at the
//! desk (priority, language, what the visitor lacks), the request; the rest is on the
//! ticket's page, one tap away. The live part is also served alone as the fragment the
//! page reloads on each event; the page's title counts the open alerts.

use super::desk_view::{self, Desk};
use super::facts::status_badge;
use super::labels::{self, Described};
use super::layout::{self, Chrome};
use crate::core::catalogue::Catalogue;
use crate::core::help::HelpCall;
use crate::core::queue::Status;
use crate::health::Snapshot;
use crate::staff::access::auth::{Notice, Session};
use crate::store::TicketRow;
use maud::{html, Markup};

/// What the live part of the page shows.
pub(crate) struct Live<'a> {
    pub catalogue: &'a Catalogue,
    pub tickets: &'a [TicketRow],
    pub calls: &'a [HelpCall],
    pub now_ms: i64,
    /// The kiosk's health, `None` without a kiosk in this process.
    pub health: Option<&'a Snapshot>,
    /// The desks to pick from (empty: typed).
    pub desks: &'a [String],
    /// Where a visitor can be sent ("Orienté vers").
    pub targets: &'a [String],
    /// Calls before "Absent" is offered.
    pub calls_before_absent: u32,
}

const TITLE: &str = "File d'attente";

pub(crate) fn queue_page(chrome: &Chrome<'_>, session: &Session, notice: Option<&Notice>, live: &Live<'_>) -> Markup {
    let body = html! {
        div.top {
            h1 { (TITLE) }
            button.quiet #sound type="button" aria-pressed="false" hidden { "Son : désactivé" }
        }
        (layout::notice(notice))
        div #live data-title={ (TITLE) " – " (chrome.site) } { (queue_fragment(live, session)) }
        (day_form(session))
    };
    let alerts = alert_count(live);
    let title = match alerts.first() {
        Some(first) => format!("({}) {first} – {TITLE}", alerts.len()),
        None => TITLE.to_string(),
    };
    layout::page(chrome, &title, true, body)
}

/// The open alerts' names, calls for help first ("Appel à l'aide", "Imprimante"…).
fn alert_count(live: &Live<'_>) -> Vec<&'static str> {
    let help = live.calls.iter().map(|_| super::help_view::ALERT);
    help.chain(super::health_view::alerts(live.health)).collect()
}

/// The service day: nothing to do at night; a new day by hand when the clock is wrong
/// (administrators only: it closes every open ticket).
fn day_form(session: &Session) -> Markup {
    let admin = session.role == crate::store::Role::Admin;
    html! {
        details {
            summary { "Journée de service" }
            p {
                "Les numéros et « Appeler le suivant » valent pour la journée en cours. Le soir, "
                "rien à faire : les tickets restés ouverts sont fermés comme « pas reçus » au "
                "premier ticket ou au premier appel du lendemain. Si la borne se trompe de jour "
                "(elle n'a pas de pile pour son horloge), "
                @if admin { "ouvrez la nouvelle journée ici." } @else {
                    "demandez à la personne qui administre la console d'ouvrir la nouvelle journée."
                }
            }
            @if admin {
                form.line method="post" action=(super::paths::OPEN_DAY) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    button.quiet type="submit" { "Ouvrir une nouvelle journée" }
                }
            }
        }
    }
}

/// Alerts, the desk's column and the waiting tickets: what `GET /queue` returns.
pub(crate) fn queue_fragment(live: &Live<'_>, session: &Session) -> Markup {
    let tickets = live.tickets;
    let mine = desk_view::at_desk(tickets, session.desk.as_deref());
    let desk = Desk {
        catalogue: live.catalogue,
        mine: mine.iter().map(|t| labels::describe(t, live.catalogue, live.now_ms)).collect(),
        desks: live.desks,
        targets: live.targets,
        calls_before_absent: live.calls_before_absent,
    };
    let waiting: Vec<&TicketRow> = tickets.iter().filter(|t| t.status == Status::Waiting).collect();
    let elsewhere: Vec<&TicketRow> =
        tickets.iter().filter(|t| t.status != Status::Waiting && !mine.iter().any(|m| m.id == t.id)).collect();
    html! {
        (super::health_view::printer_banner(live.health))
        (super::help_view::calls(live.calls, live.now_ms, &session.csrf))
        div.desk-grid {
            div.side {
                (desk_view::panel(&desk, session))
                @if !elsewhere.is_empty() {
                    section aria-labelledby="others-title" {
                        h2 #others-title { "Aux autres bureaux" }
                        ul.others {
                            @for t in &elsewhere {
                                li {
                                    a.number href={ "/t/" (t.token) } { (t.number) } " " (status_badge(t.status))
                                    " " (t.desk.as_deref().unwrap_or_default())
                                }
                            }
                        }
                    }
                }
            }
            (waiting_table(live, &waiting))
        }
    }
}

/// The waiting tickets in calling order (priorities first), one line each where it fits:
/// the request's theme here, the procedure and the rest on the ticket's page.
fn waiting_table(live: &Live<'_>, rows: &[&TicketRow]) -> Markup {
    html! {
        section.waiting aria-labelledby="waiting-title" {
            h2 #waiting-title { "En attente : " (rows.len()) }
            p.counts { (count_line(live.catalogue, live.tickets)) }
            @if rows.is_empty() {
                p { "Personne n'attend pour le moment." }
            } @else {
                table aria-labelledby="waiting-title" {
                    thead { tr { th { "Numéro" } th { "Attente" } th { "À savoir" } th { "Demande" } } }
                    tbody {
                        @for row in rows {
                            @let d = labels::describe(row, live.catalogue, live.now_ms);
                            tr {
                                td { a.number href={ "/t/" (row.token) } { (row.number) } }
                                td { (d.waited) }
                                td { (needs_short(&d)) }
                                td.request {
                                    @if !row.number.starts_with(row.queue) { "→ file " (row.queue) " · " }
                                    (d.theme)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "A : 7 en attente, 1 au bureau · B : 2 en attente", per queue of the catalogue.
fn count_line(catalogue: &Catalogue, tickets: &[TicketRow]) -> String {
    let per_queue = catalogue.queues.iter().filter_map(|q| {
        let in_queue = tickets.iter().filter(|t| t.queue == q.prefix);
        let waiting = in_queue.clone().filter(|t| t.status == Status::Waiting).count();
        let at_desk = in_queue.filter(|t| t.status != Status::Waiting).count();
        match (waiting, at_desk) {
            (0, 0) => None,
            (w, 0) => Some(format!("{} {} : {w} en attente", q.prefix, q.name)),
            (w, d) => Some(format!("{} {} : {w} en attente, {d} au bureau", q.prefix, q.name)),
        }
    });
    per_queue.collect::<Vec<_>>().join(" · ")
}

/// What matters at the desk, on one line: priority, language, what the visitor lacks.
fn needs_short(d: &Described<'_>) -> Markup {
    html! {
        @if let Some(priority) = d.priority { span.priority { "Prioritaire : " (priority) } " " }
        @if let Some(language) = d.language { span { (language) } " " }
        @if !d.missing.is_empty() { span.missing { "N'a pas : " (d.missing.join(", ")) } }
    }
}
