//! Logging in and out. The same message for a wrong name and a wrong password; a name
//! is locked after too many wrong passwords in a row, whether or not it exists.

use super::auth::{decoy_hash, new_secret, same_secret, verify_password};
use super::extract::{CsrfForm, PageNonce, Posted};
use super::guard::{cookie, safe_next, set_cookie, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use super::pages::{self, LoginForm, Plain};
use super::{Console, ConsoleError};
use crate::store;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header::{HeaderMap, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// Longest accepted name; longer ones are refused without a database look-up.
pub(super) const MAX_NAME: usize = 64;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NextQuery {
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LoginFields {
    name: String,
    password: String,
    csrf: String,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CsrfOnly {
    csrf: String,
}

impl CsrfForm for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

enum Verdict {
    Welcome,
    Refused,
    Locked(Duration),
}

pub(super) async fn login_page(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    headers: HeaderMap,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let next = query.map(|Query(q)| q.next).unwrap_or_default();
    let next = safe_next(&next);
    if cookie(&headers, SESSION_COOKIE).is_some_and(|id| console.auth.session(id, Instant::now()).is_some()) {
        return Redirect::to(next).into_response();
    }
    let form = LoginForm { csrf: "", next, name: "", problem: None };
    login_form(&console, &nonce, &headers, form, StatusCode::OK)
}

/// The login page with its double-submit CSRF token (the browser's, or a new one).
fn login_form(
    console: &Console,
    nonce: &str,
    headers: &HeaderMap,
    form: LoginForm<'_>,
    status: StatusCode,
) -> Response {
    let existing =
        cookie(headers, LOGIN_CSRF_COOKIE).filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let csrf = existing.map_or_else(new_secret, str::to_string);
    let markup = pages::login(&console.chrome(nonce, None), &LoginForm { csrf: &csrf, ..form });
    let set = set_cookie(LOGIN_CSRF_COOKIE, &csrf, "/login", None);
    (status, [(SET_COOKIE, set)], markup).into_response()
}

pub(super) async fn login(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    headers: HeaderMap,
    form: Result<Form<LoginFields>, FormRejection>,
) -> Response {
    let Ok(Form(fields)) = form else {
        return pages::plain(&console.chrome(&nonce, None), Plain::BadRequest);
    };
    if !same_secret(&fields.csrf, cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default()) {
        return pages::plain(&console.chrome(&nonce, None), Plain::Forbidden);
    }
    let name = fields.name.trim();
    let next = safe_next(&fields.next);
    let (problem, status) = match check(&console, name, &fields.password).await {
        Ok(Verdict::Welcome) => return open_session(&console, name, next),
        Ok(Verdict::Refused) => ("Nom ou mot de passe incorrect.".to_string(), StatusCode::UNAUTHORIZED),
        Ok(Verdict::Locked(left)) => (locked_message(left), StatusCode::TOO_MANY_REQUESTS),
        Err(e) => return console.unavailable(&nonce, None, e),
    };
    let form = LoginForm { csrf: "", next, name, problem: Some(problem) };
    login_form(&console, &nonce, &headers, form, status)
}

fn locked_message(left: Duration) -> String {
    let minutes = left.as_secs().div_ceil(60).max(1);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Compte bloqué pendant {minutes} {unit}, après trop d'essais. Réessayez plus tard.")
}

async fn check(console: &Console, name: &str, password: &str) -> Result<Verdict, ConsoleError> {
    if let Some(left) = console.auth.locked_for(name, Instant::now()) {
        return Ok(Verdict::Locked(left));
    }
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Ok(Verdict::Refused);
    }
    if verify(console, name, password).await? {
        console.auth.record_success(name);
        return Ok(Verdict::Welcome);
    }
    Ok(match console.auth.record_failure(name, Instant::now()) {
        Some(lock) => Verdict::Locked(lock),
        None => Verdict::Refused,
    })
}

/// Checks the password; an unknown name is checked against a decoy so it takes as long.
async fn verify(console: &Console, name: &str, password: &str) -> Result<bool, ConsoleError> {
    let _slot = console.auth.verify_slot().await;
    let (name, password) = (name.to_string(), password.to_string());
    console
        .read(move |conn| {
            let account = store::staff(conn, &name)?;
            let hash = account.as_ref().map_or(decoy_hash(), |a| a.password_hash.as_str());
            Ok(verify_password(hash, &password) && account.is_some())
        })
        .await
}

fn open_session(console: &Console, name: &str, next: &str) -> Response {
    let id = console.auth.open_session(name, Instant::now());
    let set = set_cookie(SESSION_COOKIE, &id, "/", Some(console.auth.session_length()));
    ([(SET_COOKIE, set)], Redirect::to(next)).into_response()
}

pub(super) async fn logout(State(console): State<Console>, posted: Posted<CsrfOnly>) -> Response {
    console.auth.close_session(&posted.staff.session_id);
    let clear = set_cookie(SESSION_COOKIE, "", "/", Some(Duration::ZERO));
    ([(SET_COOKIE, clear)], Redirect::to("/login")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_message_counts_whole_minutes() {
        assert!(locked_message(Duration::from_secs(15 * 60)).starts_with("Compte bloqué pendant 15 minutes"));
        assert!(locked_message(Duration::from_secs(61)).starts_with("Compte bloqué pendant 2 minutes"));
        assert!(locked_message(Duration::from_secs(1)).starts_with("Compte bloqué pendant 1 minute,"));
    }
}
