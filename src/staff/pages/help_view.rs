//! Calls for help from the kiosk, on top of the live queue: which kiosk, since when, on
//! which screen (nothing about the visitor), and a "J'y vais" button (the answer is `help::answer`).

use crate::core::help::{waited, HelpCall};
use maud::{html, Markup};

/// The alert's name in the tab's title: "(1) Appel à l'aide – File d'attente".
pub(crate) const ALERT: &str = "Appel à l'aide";

/// The open calls, shown first in the live part of the queue page (an alert, so screen
/// readers say it when it appears).
pub(crate) fn calls(calls: &[HelpCall], now_ms: i64, csrf: &str) -> Markup {
    html! {
        @if !calls.is_empty() {
            section.help role="alert" {
                h2 { (ALERT) }
                ul {
                    @for c in calls {
                        li data-alert=(ALERT) data-alert-id={ "help-" (c.id) } {
                            span { strong { "Borne « " (c.kiosk) " »" } " · " (waited(c.since_ms, now_ms))
                                " · écran : " (c.screen) }
                            form.line method="post" action={ "/help/" (c.id) "/answer" } {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" aria-label={ "J'y vais, borne " (c.kiosk) } { "J'y vais" }
                            }
                        }
                    }
                }
            }
        }
    }
}
