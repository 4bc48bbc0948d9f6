//! Extractors that make the rules hard to forget: a handler that takes [`Staff`] only
//! runs for a logged-in person; one that takes [`Posted`] also only runs when the form
//! carries that session's CSRF token.

use super::auth::{same_secret, Session};
use super::guard::{cookie, login_url, Nonce, SESSION_COOKIE};
use super::pages::{self, Chrome, Plain};
use super::Console;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::de::DeserializeOwned;
use std::convert::Infallible;
use std::time::Instant;

/// A logged-in member of staff, with this response's CSP nonce.
pub(super) struct Staff {
    pub session_id: String,
    pub session: Session,
    pub nonce: String,
}

impl Staff {
    pub fn chrome<'a>(&'a self, console: &'a Console) -> Chrome<'a> {
        console.chrome(&self.nonce, Some(&self.session))
    }
}

/// This response's CSP nonce (set by the guard middleware on every request).
fn nonce(parts: &Parts) -> String {
    parts.extensions.get::<Nonce>().map(|n| n.0.clone()).unwrap_or_default()
}

/// The CSP nonce, for pages shown to anyone (login, not found).
pub(super) struct PageNonce(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PageNonce {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageNonce(nonce(parts)))
    }
}

impl FromRequestParts<Console> for Staff {
    /// Not logged in, or the session expired: to the login page, then back here.
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, console: &Console) -> Result<Self, Self::Rejection> {
        let found = cookie(&parts.headers, SESSION_COOKIE)
            .and_then(|id| console.auth.session(id, Instant::now()).map(|s| (id.to_string(), s)));
        match found {
            Some((session_id, session)) => Ok(Staff { session_id, session, nonce: nonce(parts) }),
            None => Err(Redirect::to(&login_url(parts.uri.path())).into_response()),
        }
    }
}

/// A form that carries a CSRF token.
pub(super) trait CsrfForm {
    fn csrf(&self) -> &str;
}

/// A POSTed form from a logged-in person, whose CSRF token matched the session's.
pub(super) struct Posted<T> {
    pub staff: Staff,
    pub form: T,
}

impl<T> FromRequest<Console> for Posted<T>
where
    T: DeserializeOwned + CsrfForm + Send,
{
    type Rejection = Response;

    async fn from_request(request: Request, console: &Console) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let staff = Staff::from_request_parts(&mut parts, console).await?;
        let refuse = |which| pages::plain(&console.chrome(&staff.nonce, Some(&staff.session)), which);
        let form = match Form::<T>::from_request(Request::from_parts(parts, body), console).await {
            Ok(Form(form)) => form,
            Err(_) => return Err(refuse(Plain::BadRequest)),
        };
        if !same_secret(form.csrf(), &staff.session.csrf) {
            return Err(refuse(Plain::Forbidden));
        }
        Ok(Posted { staff, form })
    }
}
