//! The desk's own column on the queue page: the visitors at this desk (called or being
//! served) with what comes next — recall, start, end with an outcome — and "call next".
//! A visit goes from "call next" to its outcome in three clicks on this page: call,
//! start, the outcome's button. The page script adds the keys (N, R, C, 1–4) and shows
//! them on the buttons; without it every button works by Tab and Enter.

use super::action_view::{confirm_links, desk_field, outcome_buttons, Details};
use super::facts::{key, needs, status_badge};
use super::labels::{self, Described};
use crate::core::catalogue::Catalogue;
use crate::core::queue::{Action, Status};
use crate::staff::access::auth::Session;
use crate::store::TicketRow;
use maud::{html, Markup};

/// What the desk's column needs besides the session.
pub(crate) struct Desk<'a> {
    pub catalogue: &'a Catalogue,
    /// The visitors called to or served at this desk, oldest call first.
    pub mine: Vec<Described<'a>>,
    /// The desks to pick from (empty: typed).
    pub desks: &'a [String],
    /// Where a visitor can be sent ("Orienté vers").
    pub targets: &'a [String],
    pub calls_before_absent: u32,
}

/// The open tickets at `desk` (none without a desk).
pub(crate) fn at_desk<'a>(tickets: &'a [TicketRow], desk: Option<&str>) -> Vec<&'a TicketRow> {
    let Some(desk) = desk else { return Vec::new() };
    let mut mine: Vec<&TicketRow> =
        tickets.iter().filter(|t| t.status != Status::Waiting && t.desk.as_deref() == Some(desk)).collect();
    mine.sort_by_key(|t| (t.called_at, t.id));
    mine
}

pub(crate) fn panel(desk: &Desk<'_>, session: &Session) -> Markup {
    html! {
        section.desk aria-labelledby="desk-title" {
            h2 #desk-title {
                "À ce bureau"
                @if let Some(name) = &session.desk { " : " (name) }
            }
            @for d in &desk.mine { (current(d, desk, &session.csrf)) }
            (call_next_form(desk, session))
            p.keys-legend {
                "Raccourcis clavier : " kbd { "N" } " appeler le suivant, " kbd { "R" } " rappeler, "
                kbd { "C" } " commencer, " kbd { "1" } " à " kbd { "4" } " terminer avec ce résultat."
            }
        }
    }
}

/// One visitor at the desk: number, what matters, and the next steps.
fn current(d: &Described<'_>, desk: &Desk<'_>, csrf: &str) -> Markup {
    let row = d.row;
    let url = |a: Action| format!("/tickets/{}/{}", row.id, labels::action_slug(a));
    let called = row.status == Status::Called;
    html! {
        div.current {
            p.who {
                a.number href={ "/t/" (row.token) } { (row.number) } " "
                (status_badge(row.status))
                @if row.calls > 1 { " appelé " (row.calls) " fois" }
            }
            (needs(d))
            form.line method="post" action=(url(if called { Action::Start } else { Action::Finish })) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="back" value="/";
                input type="hidden" name="rev" value=(row.rev);
                @if called {
                    button.quiet type="submit" formaction=(url(Action::Call)) data-key="r" { "Rappeler" (key("R")) }
                    button type="submit" formaction=(url(Action::Start)) data-key="c" { "Commencer" (key("C")) }
                } @else {
                    (outcome_buttons(row, &Details { targets: desk.targets }))
                }
            }
            @if called {
                (confirm_links(row, desk.calls_before_absent))
            }
        }
    }
}

/// "Appeler le suivant": the desk (asked until known, then one tap away) and the queue.
fn call_next_form(desk: &Desk<'_>, session: &Session) -> Markup {
    let chosen = session.desk.as_deref().unwrap_or_default();
    let fields = html! {
        (desk_field("desk", chosen, desk.desks, true))
        div {
            label for="queue" { "File" }
            select id="queue" name="queue" {
                option value="" selected[session.queue.is_none()] { "Toutes les files" }
                @for q in &desk.catalogue.queues {
                    option value=(q.prefix) selected[session.queue == Some(q.prefix)] { (q.prefix) " – " (q.name) }
                }
            }
        }
    };
    let queue = session.queue.map_or("toutes les files".to_string(), |q| format!("file {q}"));
    html! {
        form.line.call method="post" action="/call-next" {
            input type="hidden" name="csrf" value=(session.csrf);
            @if chosen.is_empty() {
                (fields)
            } @else {
                details.where {
                    summary { (chosen) ", " (queue) " (changer)" }
                    div.line { (fields) }
                }
            }
            button type="submit" data-key="n" { "Appeler le suivant" (key("N")) }
        }
    }
}
