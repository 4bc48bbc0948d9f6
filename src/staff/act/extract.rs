//! Extractors that make the rules hard to forget: a handler that takes [`Staff`] only
//! runs for a logged-in person whose account still exists with the same password; one
//! that takes [`Admin`] only for an administrator; one that takes [`Posted`] also only
//! runs when the form carries that session's CSRF token.

use super::console::Console;
use crate::staff::access::auth::{same_secret, Session};
use crate::staff::access::guard::{cookie, login_url, Nonce};
use crate::staff::pages::{self, Chrome, Plain};
use crate::store::{self, Role};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::de::DeserializeOwned;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Instant;

/// A logged-in member of staff, with this response's CSP nonce and their address.
pub(crate) struct Staff {
    pub session_id: String,
    pub session: Session,
    pub nonce: String,
    pub address: String,
}

impl Staff {
    pub fn chrome<'a>(&'a self, console: &'a Console) -> Chrome<'a> {
        console.chrome(&self.nonce, Some(&self.session))
    }

    pub fn is_admin(&self) -> bool {
        self.session.role == Role::Admin
    }

    /// Writes what this person did to the audit log.
    pub fn audit(&self, console: &Console, action: &str, detail: &str) {
        console.audit(&self.session.name, action, detail, &self.address);
    }

    /// This person doing `action` to a ticket: the store writes the audit entry in the
    /// change's own transaction (a crash keeps both or neither).
    pub fn as_actor(&self, action: &str) -> store::Audit {
        store::Audit { actor: self.session.name.clone(), action: action.to_string(), address: self.address.clone() }
    }
}

/// The client's IP address ("" when the server was not told, as in router tests).
pub(crate) struct ClientAddr(pub String);

/// From the capped listener (router tests set one too); an IPv4-mapped IPv6 address (a
/// dual-stack listener's IPv4 client) as its IPv4 address.
fn client_addr(parts: &Parts) -> String {
    let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    addr.map(|a| a.ip().to_canonical().to_string()).unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_addr(parts)))
    }
}

/// This response's CSP nonce (set by the guard middleware on every request).
fn nonce(parts: &Parts) -> String {
    parts.extensions.get::<Nonce>().map(|n| n.0.clone()).unwrap_or_default()
}

/// The CSP nonce, for pages shown to anyone (login, not found).
pub(crate) struct PageNonce(pub String);

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
        let to_login = || Redirect::to(&login_url(parts.uri.path())).into_response();
        let found = cookie(&parts.headers, console.cookies().session())
            .and_then(|id| console.auth.session(id, Instant::now()).map(|s| (id.to_string(), s)));
        let Some((session_id, mut session)) = found else {
            return Err(to_login());
        };
        match console.current_role(&session_id, &session).await {
            Ok(Some(role)) => session.role = role,
            Ok(None) => return Err(to_login()),
            Err(e) => return Err(console.unavailable(&nonce(parts), None, e)),
        }
        Ok(Staff { session_id, session, nonce: nonce(parts), address: client_addr(parts) })
    }
}

/// A logged-in administrator; anyone else gets "refused" (and never learns more).
pub(crate) struct Admin(pub Staff);

impl FromRequestParts<Console> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, console: &Console) -> Result<Self, Self::Rejection> {
        let staff = Staff::from_request_parts(parts, console).await?;
        if !staff.is_admin() {
            return Err(pages::plain(&staff.chrome(console), Plain::AdminOnly));
        }
        Ok(Admin(staff))
    }
}

impl Console {
    /// The session's role as the store says now, or `None` (and the session is closed)
    /// if its account was removed (even if made again under the same name: another id)
    /// or its password changed, in this process or another.
    pub(crate) async fn current_role(
        &self,
        session_id: &str,
        session: &Session,
    ) -> Result<Option<Role>, super::console::ConsoleError> {
        let id = session.account;
        let account = self.read(move |conn| store::staff_by_id(conn, id)).await?;
        match account {
            Some(a) if a.generation == session.generation => Ok(Some(a.role)),
            _ => {
                self.auth.close_session(session_id);
                Ok(None)
            }
        }
    }
}

/// A form that carries a CSRF token.
pub(crate) trait CsrfForm {
    fn csrf(&self) -> &str;
}

/// A POSTed form from a logged-in person, whose CSRF token matched the session's.
pub(crate) struct Posted<T> {
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
            Err(rejection) => return Err(refuse(Plain::form_refused(&rejection))),
        };
        if !same_secret(form.csrf(), &staff.session.csrf) {
            return Err(refuse(Plain::Forbidden));
        }
        Ok(Posted { staff, form })
    }
}
