//! What staff see of any ticket, wherever it shows: its status as a badge, what matters
//! about the visitor, and a keyboard key shown on a button once the page script runs.

use super::labels::{self, Described};
use crate::core::queue::Status;
use maud::{html, Markup};

/// A key shown on its button once the page script runs (" N"): the script listens for it.
pub(crate) fn key(key: &str) -> Markup {
    html! { " " kbd.key { (key) } }
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
