//! What protects every response: security headers with a per-response CSP nonce, the
//! rule that refuses cross-site POSTs (Fetch Metadata, else Origin check; the middleware
//! that applies both is in `http::routes`), cookie reading and writing, and the only
//! places a redirect may lead to.
//!
//! CSP choice: the page's one `<style>` and one `<script>` carry a nonce that is new for
//! every response, so the browser runs those blocks and nothing else. `'unsafe-inline'`
//! would also run any injected inline script; separate files would cost a request each.

use axum::http::header::{self, HeaderMap, HeaderValue};
use std::time::Duration;

pub(crate) const SESSION_COOKIE: &str = "guichet_session";
/// Double-submit token for the login form, before any session exists.
pub(crate) const LOGIN_CSRF_COOKIE: &str = "guichet_csrf";
/// A browser's token once a name logged in from it (see `devices`).
pub(crate) const DEVICE_COOKIE: &str = "guichet_device";

/// The cookies' names and attributes. Under HTTPS they are `Secure`, and prefixed so a
/// browser only accepts them from this very origin over HTTPS: `__Host-` for the session
/// (`Path=/`, no `Domain`), `__Secure-` for the login form's token and the browser's
/// token (their path is `/login`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cookies {
    pub secure: bool,
}

impl Cookies {
    pub fn session(self) -> &'static str {
        if self.secure {
            "__Host-guichet_session"
        } else {
            SESSION_COOKIE
        }
    }

    pub fn login_csrf(self) -> &'static str {
        if self.secure {
            "__Secure-guichet_csrf"
        } else {
            LOGIN_CSRF_COOKIE
        }
    }

    /// The token of a browser that logged in before (see `devices`; its path is `/login`).
    pub fn device(self) -> &'static str {
        if self.secure {
            "__Secure-guichet_device"
        } else {
            DEVICE_COOKIE
        }
    }

    /// A `Set-Cookie` value, `Secure` under HTTPS.
    pub fn set(self, name: &str, value: &str, path: &str, max_age: Option<Duration>) -> String {
        let mut cookie = set_cookie(name, value, path, max_age);
        if self.secure {
            cookie.push_str("; Secure");
        }
        cookie
    }
}

/// This response's CSP nonce, for the `<style>` and `<script>` blocks.
#[derive(Debug, Clone)]
pub(crate) struct Nonce(pub String);

/// The security headers of every response, with this response's CSP nonce.
pub(crate) fn add_security_headers(headers: &mut HeaderMap, nonce: &str) {
    let csp = format!(
        "default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src 'self'; \
         img-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Not `no-referrer`: with it, browsers send `Origin: null` on the console's own form
    // POSTs, which the cross-site check must refuse. `same-origin` still never tells
    // another site a ticket page's address (`/t/<token>`).
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
}

const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// Whether a POST may come from where it comes from.
///
/// Browsers send `Sec-Fetch-Site` on secure origins (HTTPS, `localhost`); it cannot be
/// forged by a page: `same-origin` (this console's own form) and `none` (the person
/// acted on the browser itself) are allowed, `same-site` (another port or device name on
/// the same domain) and `cross-site` are refused, as is any other value.
///
/// Without it (plain HTTP on the office LAN, older browsers), the `Origin` header must
/// name this very host; no `Origin` at all (older browsers, tools) is allowed, and
/// `Origin: null` (a sandboxed or privacy-redirected page) is refused.
pub(crate) fn origin_allowed(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get(SEC_FETCH_SITE) {
        return matches!(site.to_str().map(str::to_ascii_lowercase).as_deref(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let authority = origin.to_str().ok().and_then(|o| o.strip_prefix("http://").or_else(|| o.strip_prefix("https://")));
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

/// The value of cookie `name`, if the browser sent it.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// A `Set-Cookie` value: never readable by scripts, never sent by another site.
/// `max_age` of `None` makes it last until the browser closes.
fn set_cookie(name: &str, value: &str, path: &str, max_age: Option<Duration>) -> String {
    let mut cookie = format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={}", age.as_secs()));
    }
    cookie
}

/// A ticket token as the store makes them: 32 lowercase hex characters (128 bits).
pub(crate) fn is_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where a redirect may go: a ticket page or the queue, nothing else (no open redirect).
pub(crate) fn safe_next(next: &str) -> &str {
    match next.strip_prefix("/t/") {
        Some(token) if is_token(token) => next,
        _ => "/",
    }
}

/// The login page, coming back to `next` afterwards.
pub(crate) fn login_url(next: &str) -> String {
    match safe_next(next) {
        "/" => "/login".to_string(),
        next => format!("/login?next={}", percent_encode(next)),
    }
}

pub(crate) fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_ticket_pages_and_the_queue_are_redirect_targets() {
        assert_eq!(safe_next(&format!("/t/{TOKEN}")), format!("/t/{TOKEN}"));
        for bad in ["//evil.example/", "https://evil.example", "/t/../login", "/t/ABCDEF", "", "/queue", "/\\evil"] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
        assert_eq!(login_url(&format!("/t/{TOKEN}")), format!("/login?next=/t/{TOKEN}"));
        assert_eq!(login_url("/tickets/1/call"), "/login");
        assert_eq!(percent_encode("a b&c"), "a%20b%26c");
    }

    #[test]
    fn tokens_are_32_lowercase_hex() {
        assert!(is_token(TOKEN));
        assert!(!is_token(&TOKEN.to_uppercase()));
        assert!(!is_token(&TOKEN[1..]));
        assert!(!is_token("0123456789abcdef0123456789abcdeg"));
        assert!(!is_token("ééééééééééééééé0"));
    }

    #[test]
    fn under_https_cookies_are_secure_and_prefixed() {
        let https = Cookies { secure: true };
        assert_eq!(https.session(), "__Host-guichet_session");
        let set = https.set(https.session(), "abc", "/", None);
        assert!(set.ends_with("; Secure"), "{set}");
        let plain = Cookies { secure: false };
        assert!(!plain.set(plain.session(), "abc", "/", None).contains("Secure"));
        assert_eq!(plain.login_csrf(), LOGIN_CSRF_COOKIE);
        assert_eq!((https.device(), plain.device()), ("__Secure-guichet_device", DEVICE_COOKIE));
    }

    #[test]
    fn cookies_are_found_among_several() {
        let h = headers(&[(header::COOKIE, "a=1; guichet_session=abc"), (header::COOKIE, "b=2")]);
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, "guichet"), None);
    }

    fn fetch(site: &str, origin: Option<&str>) -> bool {
        let mut pairs = vec![(header::HOST, "127.0.0.1:8080")];
        pairs.extend(origin.map(|o| (header::ORIGIN, o)));
        let mut h = headers(&pairs);
        h.insert(SEC_FETCH_SITE, HeaderValue::from_str(site).unwrap());
        origin_allowed(&h)
    }

    #[test]
    fn fetch_metadata_decides_when_the_browser_sends_it() {
        assert!(fetch("same-origin", Some("http://127.0.0.1:8080")));
        assert!(fetch("same-origin", Some("null")), "the browser vouches for its own form");
        assert!(fetch("same-origin", None));
        assert!(fetch("none", None), "typed or bookmarked by the person");
        assert!(!fetch("cross-site", Some("http://evil.example")));
        assert!(!fetch("cross-site", Some("http://127.0.0.1:8080")), "Fetch Metadata wins over a matching Origin");
        assert!(!fetch("cross-site", None));
        assert!(!fetch("same-site", Some("http://127.0.0.1:9090")));
        assert!(!fetch("same-site", Some("null")));
        assert!(!fetch("something-new", Some("http://127.0.0.1:8080")), "unknown values are refused");
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_name_this_host() {
        let from = |origin: &str| {
            let host = (header::HOST, "192.168.1.20:8080");
            origin_allowed(&headers(&[host, (header::ORIGIN, origin)]))
        };
        assert!(from("http://192.168.1.20:8080"));
        assert!(!from("http://evil.example"));
        assert!(!from("http://192.168.1.20:9090"), "another port is another origin");
        assert!(!from("http://192.168.1.20:8080.evil.example"));
        assert!(!from("null"), "an opaque origin is not this console");
        let no_origin = headers(&[(header::HOST, "192.168.1.20:8080")]);
        assert!(origin_allowed(&no_origin), "older browsers send no Origin");
        let no_host = headers(&[(header::ORIGIN, "http://192.168.1.20:8080")]);
        assert!(!origin_allowed(&no_host));
    }
}
