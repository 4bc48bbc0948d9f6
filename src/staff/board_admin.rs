//! For administrators: the board's address (`/admin/tableau`). The key in it is what lets
//! a TV show the calls without logging in; a new key makes the old address stop working
//! (a TV moved, an address seen by someone who should not have it).

use super::actions::Bare;
use super::auth::Notice;
use super::extract::{Admin, Posted};
use super::pages::{self, Chrome, Plain};
use super::{board, Console};
use crate::store;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

pub(super) const PATH: &str = "/admin/tableau";

pub(super) async fn page(State(console): State<Console>, Admin(staff): Admin) -> Response {
    match console.read(store::board_key).await {
        Ok(key) => {
            // The key lets any screen show the calls: who saw it is in the audit log.
            if key.is_some() {
                staff.audit(&console, "board-key-view", "");
            }
            let notice = console.auth.take_notice(&staff.session_id);
            let url =
                key.map(|k| format!("{}{}?key={k}", console.config.public_url.trim_end_matches('/'), board::PATH));
            view(&staff.chrome(&console), &staff.session.csrf, notice.as_ref(), url.as_deref()).into_response()
        }
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e),
    }
}

fn view(chrome: &Chrome<'_>, csrf: &str, notice: Option<&Notice>, url: Option<&str>) -> maud::Markup {
    let body = html! {
        h1 { "Tableau de la salle d'attente" }
        (pages::notice(notice))
        p { "Sur une télévision ou un second écran, le tableau montre le numéro appelé et le bureau, "
            "avec un carillon puis l'appel dit en français et dans la langue de la personne. "
            "Il ne montre rien d'autre : ni nom, ni démarche. Il suffit d'ouvrir son adresse dans le navigateur "
            "de l'écran (sans compte) et de toucher une fois « Activer le son des appels »." }
        @match url {
            Some(url) => {
                h2 { "Adresse du tableau" }
                p.address { code { (url) } }
                p { a href=(url) { "Ouvrir le tableau" } }
            }
            None => p { "Aucun tableau n'est encore créé." }
        }
        form.stack method="post" action=(PATH) {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" {
                @if url.is_some() { "Nouvelle adresse (l'ancienne ne marchera plus)" } @else { "Créer l'adresse du tableau" }
            }
        }
    };
    pages::page(chrome, "Tableau", false, body)
}

/// POST: a new key.
pub(super) async fn renew(State(console): State<Console>, Posted { staff, form: _ }: Posted<Bare>) -> Response {
    if !staff.is_admin() {
        return pages::plain(&staff.chrome(&console), Plain::AdminOnly);
    }
    match console.store.new_board_key().await {
        Ok(_) => {
            staff.audit(&console, "board-key", "");
            let notice = Notice::info("Nouvelle adresse du tableau : ouvrez-la sur l'écran de la salle d'attente.");
            console.auth.update(&staff.session_id, |s| s.notice = Some(notice));
            Redirect::to(PATH).into_response()
        }
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
    }
}
