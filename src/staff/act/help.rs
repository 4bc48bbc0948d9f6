//! `POST /help/{id}/answer`: "J'y vais" on a call for help from the kiosk; a second desk
//! is told that someone already went.

use super::console::Console;
use super::extract::{CsrfForm, Posted};
use crate::staff::access::auth::Notice;
use crate::staff::pages::{self, Plain};
use crate::store::StoreError;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub(crate) struct AnswerFields {
    csrf: String,
}

impl CsrfForm for AnswerFields {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub(crate) async fn answer(
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
