//! What one request may weigh: the console's forms are small, and a body over 16 KB is
//! refused (413) before it is read further, logged in or not.

use crate::console::{cookie_pair, csrf_field, get, login, set_cookie, text, Site, PASSWORD};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

const LIMIT: usize = 16 * 1024;

async fn post_raw(router: &Router, path: &str, cookie: &str, body: String) -> StatusCode {
    let request = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    router.clone().oneshot(request).await.unwrap().status()
}

/// `fields` then a padding field, `size` bytes in all.
fn padded(fields: &str, size: usize) -> String {
    let start = format!("{fields}&pad=");
    let pad = "x".repeat(size.saturating_sub(start.len()));
    format!("{start}{pad}")
}

#[tokio::test]
async fn a_login_form_over_16_kb_is_refused_as_too_large() {
    let site = Site::open().await;
    let router = site.router();
    let page = get(&router, "/login", "").await;
    let cookie = cookie_pair(set_cookie(&page, "guichet_csrf").unwrap());
    let csrf = csrf_field(&text(page).await);
    let fields = format!("name=marie&password={}&csrf={csrf}", PASSWORD.replace(' ', "+").replace('!', "%21"));
    for size in [LIMIT + 1, 2 * 1024 * 1024] {
        let status = post_raw(&router, "/login", &cookie, padded(&fields, size)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{size} bytes");
    }
    let status = post_raw(&router, "/login", &cookie, padded(&fields, LIMIT - 1024)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a form under the limit logs in");
}

#[tokio::test]
async fn a_staff_form_over_16_kb_is_refused_as_too_large() {
    let site = Site::open().await;
    let router = site.router();
    let marie = login(&router).await;
    let fields = format!("csrf={}&desk=Bureau+1", marie.csrf);
    for path in ["/call-next", "/logout", "/admin/accounts/add"] {
        let status = post_raw(&router, path, &marie.cookie, padded(&fields, LIMIT + 1)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
    }
    let status = post_raw(&router, "/call-next", &marie.cookie, padded(&fields, LIMIT - 1024)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a form under the limit is served");
}
