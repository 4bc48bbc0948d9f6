//! For administrators: the board's address (`/admin/tableau`). The key in it is what lets
//! a TV show the calls without logging in; a new key makes the old address stop working
//! (a TV moved, an address seen by someone who should not have it).

use super::actions::Bare;
use super::console::Console;
use super::extract::{Admin, Posted};
use crate::staff::access::auth::Notice;
use crate::staff::pages::{self, board_view, paths, Plain};
use crate::store;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

pub(crate) async fn page(State(console): State<Console>, Admin(staff): Admin) -> Response {
    match console.read(store::board_key).await {
        Ok(key) => {
            // The key lets any screen show the calls: who saw it is in the audit log.
            if key.is_some() {
                staff.audit(&console, "board-key-view", "");
            }
            let notice = console.auth.take_notice(&staff.session_id);
            let url =
                key.map(|k| format!("{}{}?key={k}", console.config.public_url.trim_end_matches('/'), paths::BOARD));
            board_view::admin_page(&staff.chrome(&console), &staff.session.csrf, notice.as_ref(), url.as_deref())
                .into_response()
        }
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e),
    }
}

/// POST: a new key.
pub(crate) async fn renew(State(console): State<Console>, Posted { staff, form: _ }: Posted<Bare>) -> Response {
    if !staff.is_admin() {
        return pages::plain(&staff.chrome(&console), Plain::AdminOnly);
    }
    match console.store.new_board_key().await {
        Ok(_) => {
            staff.audit(&console, "board-key", "");
            let notice = Notice::info("Nouvelle adresse du tableau : ouvrez-la sur l'écran de la salle d'attente.");
            console.auth.update(&staff.session_id, |s| s.notice = Some(notice));
            Redirect::to(paths::BOARD_ADMIN).into_response()
        }
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    }
}
