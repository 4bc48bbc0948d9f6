//! Desks from the config: staff pick theirs in a list, once per session; a desk that is
//! not in the list is refused and nothing is called.

use crate::console::{csrf_field, get, location, login, post, text, Site};
use axum::http::StatusCode;
use guichet::staff::ConsoleConfig;

fn with_desks() -> ConsoleConfig {
    let desks = vec!["Bureau 1".to_string(), "Salle Marianne".to_string()];
    ConsoleConfig { desks, ..ConsoleConfig::default() }
}

#[tokio::test]
async fn staff_pick_a_configured_desk_once_and_another_is_refused() {
    let site = Site::with(with_desks()).await;
    let router = site.router();
    let ticket = site.issue(&[], None).await;
    let marie = login(&router).await;
    let page = text(get(&router, "/", &marie.cookie).await).await;
    assert!(page.contains(r#"<select id="desk" name="desk" required"#), "a list, not a text field: {page}");
    assert!(page.contains(r#"<option value="Salle Marianne">Salle Marianne</option>"#));

    let call = |desk: &'static str| {
        let (router, cookie, csrf) = (router.clone(), marie.cookie.clone(), marie.csrf.clone());
        async move { post(&router, "/call-next", &cookie, &[("csrf", &csrf), ("desk", desk), ("queue", "")]).await }
    };
    let refused = call("Bureau 9").await;
    assert_eq!((refused.status(), location(&refused)), (StatusCode::SEE_OTHER, "/"));
    let page = text(get(&router, "/", &marie.cookie).await).await;
    assert!(
        page.contains("Choisissez d&#39;abord votre bureau dans la liste.")
            || page.contains("Choisissez d'abord votre bureau dans la liste."),
        "{page}"
    );
    assert_eq!(site.status_of(ticket.id), "waiting", "nothing called");

    call("Salle Marianne").await;
    assert_eq!(site.status_of(ticket.id), "called");
    let page = text(get(&router, "/", &marie.cookie).await).await;
    assert!(page.contains(&format!("{} est appelé au bureau « Salle Marianne »", ticket.number)), "{page}");
    assert!(page.contains(r#"<option value="Salle Marianne" selected>"#), "remembered for the session");
    assert_eq!(csrf_field(&page), marie.csrf);
}
