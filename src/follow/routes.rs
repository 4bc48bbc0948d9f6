//! The routes: a ticket's page (`/s/<token>`) and its live stream, the page's style,
//! script and chime, and "not found" for everything else. Every response carries the
//! security headers; every request counts in its client's rate; only GET is served.

use super::limits::{self, Limits};
use super::{live, view, Follow, PATH};
use crate::store::is_follow_token;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::{Arc, OnceLock};

const CSS: &str = include_str!("../../assets/follow/follow.css");
const JS: &str = include_str!("../../assets/follow/follow.js");

/// Nothing but this server's own style, script and sound; no frames, forms or plugins.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub(super) fn router(follow: Follow) -> Router {
    let limits: Arc<Limits> = follow.limits.clone();
    Router::new()
        .route(&format!("{PATH}{{token}}"), get(page))
        .route("/follow.css", get(|| async { asset(CSS, "text/css; charset=utf-8") }))
        .route("/follow.js", get(|| async { asset(JS, "text/javascript; charset=utf-8") }))
        .route("/chime.wav", get(chime))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .fallback(|| async { not_found() })
        .layer(middleware::from_fn(limits::time_limit))
        .route(&format!("{PATH}{{token}}/events"), get(live::events))
        .layer(DefaultBodyLimit::max(1024))
        .layer(middleware::from_fn_with_state(limits, limits::rate))
        .layer(middleware::from_fn(headers))
        .with_state(follow)
}

/// Middleware: the security headers on every response.
async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    add_headers(response.headers_mut());
    response
}

fn add_headers(headers: &mut HeaderMap) {
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // The token is in the page's address: never sent anywhere else.
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    for (name, value) in [
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

async fn chime() -> Response {
    static CHIME: OnceLock<Vec<u8>> = OnceLock::new();
    let mut response = CHIME.get_or_init(crate::board::audio::chime).clone().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("audio/wav"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    response
}

/// Any unknown address, a malformed or unknown token, another day's ticket: one page.
pub(super) fn not_found() -> Response {
    (StatusCode::NOT_FOUND, view::not_found()).into_response()
}

/// The store could not be read: said plainly, nothing of the cause.
pub(super) fn unavailable(error: crate::store::StoreError) -> Response {
    eprintln!("follow: {error}");
    (StatusCode::SERVICE_UNAVAILABLE, "Réessayez dans un instant.").into_response()
}

/// The ticket's token from the address, if it has the shape of one.
pub(super) fn ticket_token(path: Result<Path<String>, axum::extract::rejection::PathRejection>) -> Option<String> {
    path.ok().map(|Path(token)| token).filter(|token| is_follow_token(token))
}

async fn page(
    State(follow): State<Follow>,
    token: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Some(token) = ticket_token(token) else { return not_found() };
    let events = format!("{PATH}{token}/events");
    match follow.lookup(token).await {
        Ok(Some((ticket, turn))) => view::page(&view::Page {
            site: &follow.config.site_name,
            lang: ticket.lang,
            number: &ticket.number,
            turn: &turn,
            calls: ticket.calls,
            events: &events,
        })
        .into_response(),
        Ok(None) => not_found(),
        Err(e) => unavailable(e),
    }
}
