//! The action buttons of one ticket: a single form with a button per allowed action
//! (`formaction`), so the CSRF token, the revision the page shows, the desk and the
//! ending are written once. On the ticket's own page the form also holds the desk, how
//! the visit ended (outcome, where to, who did it) and the queue to move it to; in the
//! queue's rows "Terminer" leads there.

use super::labels;
use crate::config::MAX_DESK;
use crate::core::catalogue::Queue;
use crate::core::outcome::{Autonomy, Outcome};
use crate::core::queue::{may_note_absent, transition, Action};
use crate::store::TicketRow;
use maud::{html, Markup};

/// What the action forms need besides the ticket.
pub(crate) struct Acting<'a> {
    pub csrf: &'a str,
    /// Where the form comes back to ("/" or the ticket's page).
    pub back: &'a str,
    /// Calls before "Absent" is offered (the office's rule).
    pub calls_before_absent: u32,
    /// On the ticket's own page: the fields that take room.
    pub full: Option<Full<'a>>,
}

/// The ticket page's extra fields.
pub(crate) struct Full<'a> {
    /// The desk shown in the field (the session's, else the ticket's).
    pub desk: &'a str,
    pub desks: &'a [String],
    pub queues: &'a [Queue],
    /// Where a visitor can be sent.
    pub targets: &'a [String],
}

/// The actions offered for `row` here, in button order.
fn offered(row: &TicketRow, acting: &Acting<'_>) -> Vec<Action> {
    let others = acting.full.as_ref().is_some_and(|f| f.queues.iter().any(|q| q.prefix != row.queue));
    labels::ACTIONS
        .into_iter()
        .filter(|a| transition(row.status, *a).is_ok())
        .filter(|a| *a != Action::NoShow || may_note_absent(row.calls, acting.calls_before_absent))
        .filter(|a| *a != Action::Transfer || others)
        .collect()
}

pub(crate) fn action_form(row: &TicketRow, acting: &Acting<'_>) -> Markup {
    let allowed = offered(row, acting);
    let url = |a: Action| format!("/tickets/{}/{}", row.id, labels::action_slug(a));
    let Some(first) = allowed.first() else {
        return html! {};
    };
    html! {
        form.line method="post" action=(url(*first)) {
            input type="hidden" name="csrf" value=(acting.csrf);
            input type="hidden" name="back" value=(acting.back);
            input type="hidden" name="rev" value=(row.rev);
            @if let Some(full) = &acting.full {
                (desk_field(&format!("desk-{}", row.id), full.desk, full.desks, false))
                @if allowed.contains(&Action::Finish) { (ending_fields(row, full)) }
                @if allowed.contains(&Action::Transfer) { (queue_field(row, full.queues)) }
            }
            @for action in &allowed {
                @let label = labels::action_button(*action, row.status);
                @if *action == Action::Finish && acting.full.is_none() {
                    a.button href={ "/t/" (row.token) "#fin" } aria-label={ "Terminer " (row.number) } { "Terminer…" }
                } @else {
                    button class=[is_secondary(*action).then_some("quiet")] type="submit"
                        formaction=(url(*action)) aria-label={ (label) " " (row.number) } {
                        (label)
                    }
                }
            }
        }
    }
}

/// How the visit ended: the outcome, where the visitor was sent, who did it.
fn ending_fields(row: &TicketRow, full: &Full<'_>) -> Markup {
    let id = row.id;
    html! {
        fieldset #fin {
            legend { "Fin de l'accompagnement" }
            div {
                label for={ "outcome-" (id) } { "Résultat" }
                select id={ "outcome-" (id) } name="outcome" {
                    @for o in Outcome::ALL { option value=(o.as_str()) { (labels::outcome_label(o)) } }
                }
            }
            div {
                label for={ "redirect-" (id) } { "Orienté vers" }
                select id={ "redirect-" (id) } name="redirect_to" {
                    option value="" { "(personne)" }
                    @for target in full.targets { option value=(target) { (target) } }
                }
            }
            div {
                label for={ "autonomy-" (id) } { "Qui a fait la démarche" }
                select id={ "autonomy-" (id) } name="autonomy" {
                    option value="" { "(non précisé)" }
                    @for a in Autonomy::ALL { option value=(a.as_str()) { (labels::autonomy_label(a)) } }
                }
            }
            div {
                label for={ "first-" (id) } { "Première visite ici" }
                select id={ "first-" (id) } name="first_visit" {
                    option value="" { "(ne sait pas)" }
                    option value="yes" { "Oui" }
                    option value="no" { "Non, déjà venue" }
                }
            }
        }
    }
}

/// The queue to move the ticket to (the others than its own).
fn queue_field(row: &TicketRow, queues: &[Queue]) -> Markup {
    html! {
        div {
            label for={ "queue-" (row.id) } { "Autre file" }
            select id={ "queue-" (row.id) } name="queue" {
                @for q in queues.iter().filter(|q| q.prefix != row.queue) {
                    option value=(q.prefix) { (q.prefix) " – " (q.name) }
                }
            }
        }
    }
}

fn is_secondary(action: Action) -> bool {
    matches!(action, Action::NoShow | Action::Cancel | Action::Requeue | Action::Transfer)
}

/// "Votre bureau": a list of the configured desks, or a text field when there are none.
pub(crate) fn desk_field(id: &str, current: &str, desks: &[String], required: bool) -> Markup {
    html! {
        div {
            label for=(id) { "Votre bureau" }
            @if desks.is_empty() {
                input type="text" id=(id) name="desk" value=(current) required[required] maxlength=(MAX_DESK) placeholder="Bureau 2";
            } @else {
                select id=(id) name="desk" required[required] {
                    option value="" selected[current.is_empty()] { "Choisissez votre bureau" }
                    @for desk in desks {
                        option value=(desk) selected[desk == current] { (desk) }
                    }
                }
            }
        }
    }
}
