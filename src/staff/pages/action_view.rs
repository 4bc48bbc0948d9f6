//! A ticket's actions. On its own page: one form with a button per allowed action
//! (`formaction`), so the CSRF token, the revision the page shows and the desk are
//! written once, with the queue to move it to. Ending a visit is one button per outcome
//! (nothing chosen in advance, so no default skews the report), the optional details
//! beside them. "Absent" and "Annuler" are links to a question on the ticket's page
//! (`confirmation`): they are never one click away from a routine button.

use super::facts::key;
use super::labels;
use crate::config::MAX_DESK;
use crate::core::catalogue::Queue;
use crate::core::outcome::{Autonomy, Outcome};
use crate::core::queue::{may_note_absent, transition, Action, Status};
use crate::store::TicketRow;
use maud::{html, Markup};

/// What the ticket page's action form needs besides the ticket.
pub(crate) struct Acting<'a> {
    pub csrf: &'a str,
    /// Where the form comes back to (the ticket's page).
    pub back: &'a str,
    /// Calls before "Absent" is offered (the office's rule).
    pub calls_before_absent: u32,
    /// The desk shown in the field (the session's, else the ticket's).
    pub desk: &'a str,
    pub desks: &'a [String],
    pub queues: &'a [Queue],
    pub details: Details<'a>,
}

/// What the optional details of an ending offer.
pub(crate) struct Details<'a> {
    /// Where a visitor can be sent.
    pub targets: &'a [String],
}

/// The actions offered for `row`, in button order.
fn offered(row: &TicketRow, acting: &Acting<'_>) -> Vec<Action> {
    let others = acting.queues.iter().any(|q| q.prefix != row.queue);
    labels::ACTIONS
        .into_iter()
        .filter(|a| transition(row.status, *a).is_ok())
        .filter(|a| *a != Action::NoShow || may_note_absent(row.calls, acting.calls_before_absent))
        .filter(|a| *a != Action::Transfer || others)
        .collect()
}

fn url(row: &TicketRow, action: Action) -> String {
    format!("/tickets/{}/{}", row.id, labels::action_slug(action))
}

/// The ticket page's form: the routine actions as buttons, the ending as outcome
/// buttons, then the links to "Absent…" and "Annuler…".
pub(crate) fn action_form(row: &TicketRow, acting: &Acting<'_>) -> Markup {
    let allowed = offered(row, acting);
    let routine: Vec<Action> = allowed.iter().copied().filter(|a| !is_ending(*a)).collect();
    let Some(first) = allowed.first() else {
        return html! {};
    };
    html! {
        form.line method="post" action=(url(row, *first)) {
            input type="hidden" name="csrf" value=(acting.csrf);
            input type="hidden" name="back" value=(acting.back);
            input type="hidden" name="rev" value=(row.rev);
            @if routine.iter().any(|a| matches!(a, Action::Call | Action::Start)) {
                (desk_field(&format!("desk-{}", row.id), acting.desk, acting.desks, false))
            }
            @if routine.contains(&Action::Transfer) { (queue_field(row, acting.queues)) }
            @for action in &routine {
                @let label = labels::action_button(*action, row.status);
                button class=[is_secondary(*action).then_some("quiet")] type="submit"
                    formaction=(url(row, *action)) aria-label={ (label) " " (row.number) } {
                    (label)
                }
            }
            @if allowed.contains(&Action::Finish) { (outcome_buttons(row, &acting.details)) }
        }
        (confirm_links(row, acting.calls_before_absent))
    }
}

/// Finishing, "Absent" and "Annuler": not plain buttons of the routine row.
fn is_ending(action: Action) -> bool {
    matches!(action, Action::Finish | Action::NoShow | Action::Cancel)
}

/// How the visit ended: one button per outcome (the keys 1 to 4), and the optional
/// details (where the visitor was sent, who did the procedure, a first visit) folded
/// beside them. Inside a form that carries the CSRF token and the revision.
pub(crate) fn outcome_buttons(row: &TicketRow, details: &Details<'_>) -> Markup {
    let id = row.id;
    html! {
        fieldset.ending {
            legend { "Terminer " (row.number) " avec le résultat" }
            @for (i, o) in Outcome::ALL.into_iter().enumerate() {
                @let n = (i + 1).to_string();
                button type="submit" name="outcome" value=(o.as_str()) formaction=(url(row, Action::Finish)) data-key=(n) {
                    (labels::outcome_label(o)) (key(&n))
                }
            }
            details.more {
                summary { "Précisions (facultatif)" }
                div.line {
                    div {
                        label for={ "redirect-" (id) } { "Orienté vers" }
                        select id={ "redirect-" (id) } name="redirect_to" {
                            option value="" { "(personne)" }
                            @for target in details.targets { option value=(target) { (target) } }
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
    }
}

/// "Absent…" (once the office's calls are made) and "Annuler…": links to the question.
pub(crate) fn confirm_links(row: &TicketRow, calls_before_absent: u32) -> Markup {
    let absent = row.status == Status::Called && may_note_absent(row.calls, calls_before_absent);
    let cancel = transition(row.status, Action::Cancel).is_ok();
    html! {
        @if absent || cancel {
            p.line.rare {
                @if absent {
                    a.button.quiet href={ "/t/" (row.token) "?confirmer=no-show" } aria-label={ "Absent… " (row.number) } { "Absent…" }
                }
                @if cancel {
                    a.button.quiet href={ "/t/" (row.token) "?confirmer=cancel" } aria-label={ "Annuler… " (row.number) } { "Annuler…" }
                }
            }
        }
    }
}

/// The question before "Absent" or "Annuler", on the ticket's page: yes posts the
/// action (with `confirm=yes`, which the console requires), no goes back to the queue.
pub(crate) fn confirmation(row: &TicketRow, action: Action, csrf: &str) -> Markup {
    let (question, why, yes) = match action {
        Action::NoShow => (
            format!("Noter {} absent ?", row.number),
            format!("Appelé {} fois. Le ticket sort de la file, compté comme absent.", row.calls),
            "Oui, noter absent",
        ),
        _ => (
            format!("Annuler {} ?", row.number),
            "Le ticket sort de la file sans visite (la personne est partie, ou le ticket est en double).".to_string(),
            "Oui, annuler le ticket",
        ),
    };
    html! {
        section.confirm aria-labelledby="confirm-title" {
            h2 #confirm-title { (question) }
            p { (why) }
            form.line method="post" action=(url(row, action)) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="back" value="/";
                input type="hidden" name="rev" value=(row.rev);
                input type="hidden" name="confirm" value="yes";
                button type="submit" { (yes) }
                a.button.quiet href="/" { "Non, revenir à la file" }
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
