//! The request page a phone opens by scanning the ticket's QR code: the whole request
//! and its action buttons; with `?confirmer=no-show` or `cancel`, the question before
//! noting the visitor absent or cancelling the ticket, on top.

use super::action_view::{action_form, confirmation, Acting, Details};
use super::facts::{needs, status_badge};
use super::labels::{self, Described};
use super::layout::{self, Chrome};
use crate::core::catalogue::Queue;
use crate::core::outcome::Autonomy;
use crate::core::queue::Action;
use crate::staff::access::auth::{Notice, Session};
use maud::{html, Markup};

/// What the page offers besides the ticket: the office's desks, queues, where visitors
/// can be sent, and its rule for "Absent".
pub(crate) struct Office<'a> {
    pub desks: &'a [String],
    pub queues: &'a [Queue],
    pub targets: &'a [String],
    pub calls_before_absent: u32,
}

pub(crate) fn ticket_page(
    chrome: &Chrome<'_>,
    session: &Session,
    notice: Option<&Notice>,
    d: &Described<'_>,
    office: &Office<'_>,
    confirm: Option<Action>,
) -> Markup {
    let row = d.row;
    let back = format!("/t/{}", row.token);
    let desk = session.desk.as_deref().or(row.desk.as_deref()).unwrap_or_default();
    let acting = Acting {
        csrf: &session.csrf,
        back: &back,
        calls_before_absent: office.calls_before_absent,
        desk,
        desks: office.desks,
        queues: office.queues,
        details: Details { targets: office.targets },
    };
    let body = html! {
        p { a href="/" { "← File d'attente" } }
        (layout::notice(notice))
        h1 { "Ticket " (row.number) " " (status_badge(row.status)) }
        @match confirm {
            Some(action) => (confirmation(row, action, &session.csrf)),
            None => (action_form(row, &acting)),
        }
        dl {
            dt { "Sujet" } dd { (d.theme) }
            dt { "Démarche" } dd { (d.procedure_title) }
            @if let Some(p) = d.procedure {
                dt { "Organisme" } dd { (p.operator) }
            }
            dt { "Arrivée" } dd { (labels::clock_time(row.issued_at)) " (il y a " (d.waited) ")" }
            @if let Some(called) = row.called_at {
                dt { "Appel" } dd {
                    (labels::clock_time(called))
                    @if row.calls > 1 { " (appelé " (row.calls) " fois)" }
                }
            }
            @if let Some(desk) = &row.desk {
                dt { "Bureau" } dd { (desk) }
            }
            @if let Some(outcome) = row.outcome.as_deref().and_then(labels::outcome) {
                dt { "Résultat" } dd { (outcome) }
            }
            @if let Some(to) = &row.redirect_to {
                dt { "Orienté vers" } dd { (to) }
            }
            @if let Some(autonomy) = row.autonomy.as_deref().and_then(Autonomy::parse) {
                dt { "Qui a fait la démarche" } dd { (labels::autonomy_label(autonomy)) }
            }
        }
        h2 { "À savoir" }
        (needs(d))
        @if d.priority.is_none() && d.language.is_none() && d.have.is_empty() && d.missing.is_empty() {
            p { "Rien de particulier." }
        }
        @if let Some(p) = d.procedure {
            h2 { "Documents à préparer" }
            ul { @for doc in &p.documents { li { (doc) } } }
        }
    };
    layout::page(chrome, &format!("Ticket {}", row.number), false, body)
}
