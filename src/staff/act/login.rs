//! Logging in and out. The same message for a wrong name and a wrong password; a name
//! is locked (from the address that tried it) after too many wrong passwords, whether or
//! not it exists, and its attempts wait after too many from all addresses together
//! (except from a browser it logged in from: a cookie only the login page gets). Every
//! login, failure, lock and start of a wait goes to the audit log.

use super::console::{Console, ConsoleError};
use super::extract::{ClientAddr, CsrfForm, PageNonce, Posted};
use crate::server_thread::places::client_net;
use crate::staff::access::auth::{decoy_hash, new_secret, same_secret, verify_password, MAX_NAME};
use crate::staff::access::devices;
use crate::staff::access::guard::{cookie, safe_next};
use crate::staff::access::throttle::Refused;
use crate::staff::pages::{self, LoginForm, Plain};
use crate::store::{self, StaffAccount};
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header::{HeaderMap, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::time::{Duration, Instant};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NextQuery {
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LoginFields {
    name: String,
    password: String,
    csrf: String,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CsrfOnly {
    csrf: String,
}

impl CsrfForm for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

enum Verdict {
    /// The right password; the browser's token for its cookie.
    Welcome(StaffAccount, String),
    /// Wrong name or password; `known` says whether the name is an account's; `slowed`
    /// when this very attempt made the name's next attempts wait.
    Refused { known: bool, slowed: bool },
    /// The name's attempts wait for `left` (guessed too often from all addresses).
    Wait { left: Duration },
    /// Locked for `left`; `now` when this very attempt locked it; `known` and `slowed` as above.
    Locked { left: Duration, now: bool, known: bool, slowed: bool },
}

pub(crate) async fn login_page(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    headers: HeaderMap,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let next = query.map(|Query(q)| q.next).unwrap_or_default();
    let next = safe_next(&next);
    if cookie(&headers, console.cookies().session())
        .is_some_and(|id| console.auth.session(id, Instant::now()).is_some())
    {
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
    let existing = cookie(headers, console.cookies().login_csrf())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let csrf = existing.map_or_else(new_secret, str::to_string);
    let markup = pages::login(&console.chrome(nonce, None), &LoginForm { csrf: &csrf, ..form });
    let cookies = console.cookies();
    let set = cookies.set(cookies.login_csrf(), &csrf, "/login", None);
    (status, [(SET_COOKIE, set)], markup).into_response()
}

pub(crate) async fn login(
    State(console): State<Console>,
    PageNonce(nonce): PageNonce,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LoginFields>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => return pages::plain(&console.chrome(&nonce, None), Plain::form_refused(&rejection)),
    };
    if !same_secret(&fields.csrf, cookie(&headers, console.cookies().login_csrf()).unwrap_or_default()) {
        return pages::plain(&console.chrome(&nonce, None), Plain::Forbidden);
    }
    let name = fields.name.trim();
    let next = safe_next(&fields.next);
    // A name that is no account is not written down: it may be a password typed in the
    // wrong field.
    let who = |known: bool| if known { name } else { UNKNOWN };
    let device = cookie(&headers, console.cookies().device());
    let (problem, status) = match check(&console, &address, name, &fields.password, device).await {
        Ok(Verdict::Welcome(account, device)) => {
            console.audit(name, "login", "", &address);
            return open_session(&console, &account, next, &device);
        }
        Ok(Verdict::Refused { known, slowed }) => {
            console.audit(who(known), "login-failed", "", &address);
            if slowed {
                console.audit(who(known), "slowed", "", &address);
            }
            ("Nom ou mot de passe incorrect.".to_string(), StatusCode::UNAUTHORIZED)
        }
        Ok(Verdict::Wait { left }) => (wait_message(left), StatusCode::TOO_MANY_REQUESTS),
        Ok(Verdict::Locked { left, now, known, slowed }) => {
            if now {
                console.audit(who(known), "locked", &format!("{} min", left.as_secs().div_ceil(60)), &address);
            }
            if slowed {
                console.audit(who(known), "slowed", "", &address);
            }
            (locked_message(left), StatusCode::TOO_MANY_REQUESTS)
        }
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

fn wait_message(left: Duration) -> String {
    let seconds = left.as_millis().div_ceil(1000).max(1);
    let unit = if seconds == 1 { "seconde" } else { "secondes" };
    format!(
        "Trop d'essais sur ce nom depuis plusieurs postes : réessayez dans {seconds} {unit}. \
         Depuis un navigateur où vous vous êtes déjà connecté, vous pouvez entrer tout de suite."
    )
}

/// How a failed login with a name that is no account appears in the audit log.
const UNKNOWN: &str = "(nom inconnu)";

/// Takes a password-check slot, then reserves the attempt under the throttle's lock (so
/// a burst of concurrent attempts gets no more checks than the limit), then checks.
async fn check(
    console: &Console,
    address: &str,
    name: &str,
    password: &str,
    device: Option<&str>,
) -> Result<Verdict, ConsoleError> {
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Ok(Verdict::Refused { known: false, slowed: false });
    }
    let _slot = console.auth.verify_slot().await;
    let owned = name.to_string();
    let account = console.read(move |conn| store::staff(conn, &owned)).await?;
    let unlocked_at = account.as_ref().and_then(|a| a.unlocked_at);
    // The throttle counts a client's network: an IPv6 host may take any address in its /64.
    let client = address.parse().map_or_else(|_| address.to_string(), |ip| client_net(ip).to_string());
    let attempt = match console.auth.begin_attempt(&client, name, device, unlocked_at, Instant::now()) {
        Ok(attempt) => attempt,
        Err(Refused::Locked(left)) => {
            return Ok(Verdict::Locked { left, now: false, known: account.is_some(), slowed: false })
        }
        Err(Refused::Wait(left)) => return Ok(Verdict::Wait { left }),
    };
    // An unknown name is checked against a decoy, so that it takes as long.
    let hash = account.as_ref().map_or_else(|| decoy_hash().to_string(), |a| a.password_hash.clone());
    let password = password.to_string();
    let right = tokio::task::spawn_blocking(move || verify_password(&hash, &password)).await?;
    // A wrong password ends the attempt when it is dropped, below (see `auth::Attempt`).
    Ok(match account {
        Some(account) if right => Verdict::Welcome(account, attempt.succeeded(Instant::now())),
        account if attempt.locks() => Verdict::Locked {
            left: console.auth.lock_duration(),
            now: true,
            known: account.is_some(),
            slowed: attempt.slows(),
        },
        account => Verdict::Refused { known: account.is_some(), slowed: attempt.slows() },
    })
}

/// The session's cookie, and the browser's token for the login page (see `devices`).
fn open_session(console: &Console, account: &StaffAccount, next: &str, device: &str) -> Response {
    let id = console.auth.open_session(account, Instant::now());
    let cookies = console.cookies();
    let set = cookies.set(cookies.session(), &id, "/", Some(console.auth.session_length()));
    let known = cookies.set(cookies.device(), device, "/login", Some(devices::LIFETIME));
    (AppendHeaders([(SET_COOKIE, set), (SET_COOKIE, known)]), Redirect::to(next)).into_response()
}

pub(crate) async fn logout(State(console): State<Console>, posted: Posted<CsrfOnly>) -> Response {
    console.auth.close_session(&posted.staff.session_id);
    console.audit(&posted.staff.session.name, "logout", "", &posted.staff.address);
    let cookies = console.cookies();
    let clear = cookies.set(cookies.session(), "", "/", Some(Duration::ZERO));
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

    #[test]
    fn the_wait_message_counts_whole_seconds() {
        assert!(wait_message(Duration::from_millis(400)).contains("réessayez dans 1 seconde."));
        assert!(wait_message(Duration::from_millis(1200)).contains("réessayez dans 2 secondes."));
        assert!(wait_message(Duration::from_secs(60)).contains("réessayez dans 60 secondes."));
    }
}
