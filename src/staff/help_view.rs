//! Calls for help from the kiosk, on top of the live queue: which kiosk, since when, on
//! which screen (nothing about the visitor), and a "J'y vais" button. `POST
//! /help/{id}/answer` answers; a second desk is told that someone already went.

use super::auth::Notice;
use super::extract::{CsrfForm, Posted};
use super::pages::{self, Plain};
use super::Console;
use crate::core::help::{waited, HelpCall};
use crate::store::StoreError;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;

/// The open calls, shown first in the live part of the queue page (an alert, so screen
/// readers say it when it appears).
pub(super) fn calls(calls: &[HelpCall], now_ms: i64, csrf: &str) -> Markup {
    html! {
        @if !calls.is_empty() {
            section.help role="alert" {
                h2 { "Appel à l'aide" }
                ul {
                    @for c in calls {
                        li {
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

#[derive(Deserialize)]
pub(super) struct AnswerFields {
    csrf: String,
}

impl CsrfForm for AnswerFields {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub(super) async fn answer(
    State(console): State<Console>,
    id: Result<Path<String>, PathRejection>,
    Posted { staff, form: _ }: Posted<AnswerFields>,
) -> Response {
    let Some(id) = id.ok().and_then(|Path(id)| id.parse::<u64>().ok()) else {
        return pages::plain(&staff.chrome(&console), Plain::NotFound);
    };
    let notice = match console.store.answer_help(id).await {
        Ok(call) => {
            staff.audit(&console, "help-answer", &call.kiosk);
            Notice::info(format!("C'est noté : la borne « {} » dit que quelqu'un arrive.", call.kiosk))
        }
        Err(StoreError::Help(_)) => Notice::problem("Quelqu'un a déjà répondu à cet appel, ou la personne est partie."),
        Err(e) => return console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    };
    console.auth.update(&staff.session_id, |s| s.notice = Some(notice));
    Redirect::to("/").into_response()
}
