//! Calls for help on the staff console: shown on the queue page and its live fragment
//! (kiosk, since when, screen), pushed to open pages, answered once with the session's
//! CSRF token; a second desk is told someone already went.

use crate::console::{get, location, login, post, text, Site};
use axum::http::StatusCode;

#[tokio::test]
async fn a_call_for_help_shows_live_and_is_answered_once() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    let mut events = site.store.subscribe();
    let call = site.store.call_help("Accueil".into(), "choix de la démarche".into()).await.unwrap();
    assert!(
        matches!(events.recv().await, Ok(guichet::store::DomainEvent::HelpCalled { .. })),
        "open pages are not told"
    );
    let fragment = text(get(&router, "/queue", &browser.cookie).await).await;
    assert!(fragment.contains("Appel à l'aide"), "{fragment}");
    assert!(fragment.contains("Borne « Accueil »") && fragment.contains("écran : choix de la démarche"));
    let url = format!("/help/{}/answer", call.id);
    // Without the session's token nothing happens.
    let forged = post(&router, &url, &browser.cookie, &[("csrf", "forged")]).await;
    assert_ne!(forged.status(), StatusCode::SEE_OTHER);
    assert_eq!(site.store.open_help().await.unwrap().len(), 1);
    // A logged-out client gets nothing.
    let stranger = post(&router, &url, "", &[("csrf", browser.csrf.as_str())]).await;
    assert!(
        location(&stranger).starts_with("/login") || stranger.status().is_client_error(),
        "{:?}",
        stranger.status()
    );
    assert_eq!(site.store.open_help().await.unwrap().len(), 1);
    let answered = post(&router, &url, &browser.cookie, &[("csrf", browser.csrf.as_str())]).await;
    assert_eq!((answered.status(), location(&answered)), (StatusCode::SEE_OTHER, "/"));
    let page = text(get(&router, "/", &browser.cookie).await).await;
    assert!(page.contains("dit que quelqu'un arrive"), "{page}");
    assert!(!page.contains("Appel à l'aide"));
    // A second desk answering the same call is told.
    post(&router, &url, &browser.cookie, &[("csrf", browser.csrf.as_str())]).await;
    let page = text(get(&router, "/", &browser.cookie).await).await;
    assert!(page.contains("Quelqu'un a déjà répondu à cet appel"), "{page}");
    // Nonsense ids are not found.
    let bad = post(&router, "/help/x1/answer", &browser.cookie, &[("csrf", browser.csrf.as_str())]).await;
    assert_ne!(bad.status(), StatusCode::SEE_OTHER);
}
