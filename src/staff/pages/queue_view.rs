//! The live queue page: "call next" form, counts per queue, and the table of open
//! tickets (also served alone as the fragment the page reloads on each event). The
//! desk field and the have / missing lines are shared with the ticket page.

use super::action_view::{action_form, desk_field, Acting};
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
    /// Calls before "Absent" is offered.
    pub calls_before_absent: u32,
}

pub(crate) fn queue_page(chrome: &Chrome<'_>, session: &Session, notice: Option<&Notice>, live: &Live<'_>) -> Markup {
    let body = html! {
        h1 { "File d'attente" }
        (layout::notice(notice))
        (call_next_form(live.catalogue, session, live.desks))
        div id="live" { (queue_fragment(live, &session.csrf)) }
        (day_form(session))
    };
    layout::page(chrome, "File d'attente", true, body)
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

fn call_next_form(catalogue: &Catalogue, session: &Session, desks: &[String]) -> Markup {
    html! {
        form.line method="post" action="/call-next" {
            input type="hidden" name="csrf" value=(session.csrf);
            (desk_field("desk", session.desk.as_deref().unwrap_or_default(), desks, true))
            div {
                label for="queue" { "File" }
                select id="queue" name="queue" {
                    option value="" selected[session.queue.is_none()] { "Toutes les files" }
                    @for q in &catalogue.queues {
                        option value=(q.prefix) selected[session.queue == Some(q.prefix)] {
                            (q.prefix) " – " (q.name)
                        }
                    }
                }
            }
            button type="submit" { "Appeler le suivant" }
        }
    }
}

/// Calls for help, counts per queue and the table: what `GET /queue` returns.
pub(crate) fn queue_fragment(live: &Live<'_>, csrf: &str) -> Markup {
    let (catalogue, tickets) = (live.catalogue, live.tickets);
    html! {
        (super::health_view::printer_banner(live.health))
        (super::help_view::calls(live.calls, live.now_ms, csrf))
        h2 { "En ce moment" }
        ul.counts {
            @for q in &catalogue.queues {
                li { strong { (q.prefix) } " " (q.name) " : " (count_line(tickets, q.prefix)) }
            }
        }
        @if tickets.is_empty() {
            p { "Personne n'attend pour le moment." }
        }
        // One table per queue, in the catalogue's order, each in calling order; a queue the
        // catalogue no longer has still shows its tickets.
        @for q in &catalogue.queues {
            @let rows: Vec<&TicketRow> = tickets.iter().filter(|t| t.queue == q.prefix).collect();
            (queue_table(&format!("File {} – {}", q.prefix, q.name), &q.prefix.to_string(), &rows, live, csrf))
        }
        @let others: Vec<&TicketRow> = tickets.iter().filter(|t| catalogue.queue(t.queue).is_none()).collect();
        (queue_table("Autres files", "autres", &others, live, csrf))
    }
}

/// One queue's open tickets under its title (nothing when it has none).
fn queue_table(title: &str, id: &str, rows: &[&TicketRow], live: &Live<'_>, csrf: &str) -> Markup {
    let calls_before_absent = live.calls_before_absent;
    html! {
        @if !rows.is_empty() {
            h3 id={ "file-" (id) } { (title) }
            table aria-labelledby={ "file-" (id) } {
                thead { tr {
                    th { "Numéro" } th { "État" } th { "Attente" } th { "Demande" }
                    th { "À savoir" } th { "Bureau" } th { "Actions" }
                } }
                tbody {
                    @for row in rows {
                        @let acting = Acting { csrf, back: "/", calls_before_absent, full: None };
                        (ticket_row(&labels::describe(row, live.catalogue, live.now_ms), &acting))
                    }
                }
            }
        }
    }
}

fn count_line(tickets: &[TicketRow], prefix: char) -> String {
    let in_queue = tickets.iter().filter(|t| t.queue == prefix);
    let waiting = in_queue.clone().filter(|t| t.status == Status::Waiting).count();
    let at_desk = in_queue.filter(|t| t.status != Status::Waiting).count();
    match at_desk {
        0 => format!("{waiting} en attente"),
        _ => format!("{waiting} en attente, {at_desk} au bureau"),
    }
}

fn ticket_row(d: &Described<'_>, acting: &Acting<'_>) -> Markup {
    let row = d.row;
    html! {
        tr {
            td data-label="Numéro" { a.number href={ "/t/" (row.token) } { (row.number) } }
            td data-label="État" { (status_badge(row.status)) }
            td data-label="Attente" { (d.waited) }
            td data-label="Demande" { strong { (d.theme) } br; (d.procedure_title) }
            td data-label="À savoir" { (needs(d)) }
            td data-label="Bureau" { @if row.status != Status::Waiting { (row.desk.as_deref().unwrap_or_default()) } }
            td data-label="Actions" { (action_form(row, acting)) }
        }
    }
}

pub(crate) fn status_badge(status: Status) -> Markup {
    html! { span class={ "status " (status.as_str()) } { (labels::status(status)) } }
}

/// Priority, language, what the visitor has and, highlighted, what they lack.
pub(crate) fn needs(d: &Described<'_>) -> Markup {
    html! {
        @if let Some(priority) = d.priority {
            div.priority { "Prioritaire : " (priority) }
        }
        @if let Some(language) = d.language {
            div { "Parle " (language) }
        }
        @if !d.missing.is_empty() {
            div.missing { "N'a pas : " (d.missing.join(", ")) }
        }
        @if !d.have.is_empty() {
            div { "A avec lui ou elle : " (d.have.join(", ")) }
        }
    }
}
