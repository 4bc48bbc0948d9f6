//! The queue workflow over HTTP, as the ticket page's form sends it: two desks on one
//! ticket, recalls before "absent", a change of queue that keeps the visitor's place, an
//! ending with where to and who did it, and the service day.

use crate::console::{day, get, location, login, login_as, post, text, Browser, Site};
use axum::http::StatusCode;
use axum::Router;

/// Posts the ticket page's form with `action`, the revision the page showed and `extra`;
/// returns the page it leads back to.
async fn act(
    router: &Router,
    who: &Browser,
    site: &Site,
    id: i64,
    action: &str,
    rev: i64,
    extra: &[(&str, &str)],
) -> String {
    let token = site.row(id).token;
    let back = format!("/t/{token}");
    let rev = rev.to_string();
    let mut fields = vec![("csrf", who.csrf.as_str()), ("rev", rev.as_str()), ("back", back.as_str())];
    fields.extend_from_slice(extra);
    let response = post(router, &format!("/tickets/{id}/{action}"), &who.cookie, &fields).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, back.as_str()), "{action}");
    text(get(router, &back, &who.cookie).await).await
}

#[tokio::test]
async fn two_desks_calling_the_same_ticket_the_second_is_told_and_nothing_is_overwritten() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&[], None).await;
    let (marie, claire) = (login(&router).await, login_as(&router, "claire").await);
    // Both pages show the ticket waiting, at the same revision.
    let shown = site.row(ticket.id).rev;
    for who in [&marie, &claire] {
        let page = text(get(&router, &format!("/t/{}", ticket.token), &who.cookie).await).await;
        assert!(page.contains(&format!(r#"name="rev" value="{shown}""#)), "the form carries the revision");
    }
    let first = act(&router, &marie, &site, ticket.id, "call", shown, &[("desk", "Bureau 1")]).await;
    assert!(first.contains("est appelé au bureau « Bureau 1 »"), "{first}");
    let second = act(&router, &claire, &site, ticket.id, "call", shown, &[("desk", "Bureau 2")]).await;
    assert!(second.contains("Ce ticket a changé entre-temps"), "{second}");
    let row = site.row(ticket.id);
    assert_eq!((row.desk.as_deref(), row.calls), (Some("Bureau 1"), 1), "the first desk keeps it");
}

#[tokio::test]
async fn absent_is_offered_only_after_the_recall() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&[], None).await;
    let marie = login(&router).await;
    let page = act(&router, &marie, &site, ticket.id, "call", site.row(ticket.id).rev, &[("desk", "Bureau 1")]).await;
    assert!(!page.contains(">Absent<"), "no absent button at the first call");
    let early = act(&router, &marie, &site, ticket.id, "no-show", site.row(ticket.id).rev, &[("confirm", "yes")]).await;
    assert!(early.contains("rappelez la personne avant de la noter absente"), "{early}");
    assert_eq!(site.status_of(ticket.id), "called");
    let page = act(&router, &marie, &site, ticket.id, "call", site.row(ticket.id).rev, &[]).await;
    assert!(page.contains("appelé 2 fois") && page.contains(">Absent…<"), "{page}");
    // "Absent…" is a link to a question; the action itself wants the question's "yes".
    let question = text(get(&router, &format!("/t/{}?confirmer=no-show", ticket.token), &marie.cookie).await).await;
    let asked = format!("Noter {} absent ?", site.row(ticket.id).number);
    assert!(question.contains(&asked) && question.contains(r#"name="confirm" value="yes""#), "{question}");
    let unasked = act(&router, &marie, &site, ticket.id, "no-show", site.row(ticket.id).rev, &[]).await;
    assert!(unasked.contains("demandent une confirmation"), "{unasked}");
    assert_eq!(site.status_of(ticket.id), "called", "nothing done without the confirmation");
    act(&router, &marie, &site, ticket.id, "no-show", site.row(ticket.id).rev, &[("confirm", "yes")]).await;
    assert_eq!(site.status_of(ticket.id), "no_show");
}

#[tokio::test]
async fn a_change_of_queue_keeps_the_place_by_arrival() {
    let site = Site::open().await;
    let router = site.router();
    let early = site.issue(&[], None).await;
    let marie = login(&router).await;
    let page = text(get(&router, &format!("/t/{}", early.token), &marie.cookie).await).await;
    assert!(page.contains(r#"<option value="S">S – Santé et retraite</option>"#), "the other queues are offered");
    act(&router, &marie, &site, early.id, "transfer", site.row(early.id).rev, &[("queue", "S")]).await;
    assert_eq!((site.row(early.id).queue, site.status_of(early.id)), ('S', "waiting"));
    let queue = text(get(&router, "/", &marie.cookie).await).await;
    let (_, row) = queue.split_once(&format!(">{}</a>", early.number)).expect("a row for the ticket");
    let row = row.split("</tr>").next().unwrap_or_default();
    assert!(row.contains("→ file S"), "shown in its new queue: {row}");
    let bogus = post(
        &router,
        &format!("/tickets/{}/transfer", early.id),
        &marie.cookie,
        &[("csrf", marie.csrf.as_str()), ("queue", "Z")],
    )
    .await;
    assert_eq!(bogus.status(), StatusCode::BAD_REQUEST, "a queue the catalogue does not have");
    let fields = [("csrf", marie.csrf.as_str()), ("desk", "Bureau 1"), ("queue", "S")];
    post(&router, "/call-next", &marie.cookie, &fields).await;
    assert_eq!(site.status_of(early.id), "called", "first in queue S, as it arrived first");
}

#[tokio::test]
async fn a_visit_ends_with_where_the_visitor_was_sent_and_who_did_it() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&[], None).await;
    let marie = login(&router).await;
    act(&router, &marie, &site, ticket.id, "call", site.row(ticket.id).rev, &[("desk", "Bureau 1")]).await;
    let rev = site.row(ticket.id).rev;
    let caf = "Caisse d'allocations familiales (CAF)";
    let no_outcome = act(&router, &marie, &site, ticket.id, "finish", rev, &[("autonomy", "with_them")]).await;
    assert!(no_outcome.contains("choisissez le résultat"), "{no_outcome}");
    assert_eq!(site.status_of(ticket.id), "called", "no outcome chosen for staff");
    let missing = act(&router, &marie, &site, ticket.id, "finish", rev, &[("outcome", "redirected")]).await;
    assert!(missing.contains("Choisissez dans « Orienté vers »"), "{missing}");
    assert_eq!(site.status_of(ticket.id), "called", "nothing recorded without where to");
    let ending = [("outcome", "redirected"), ("redirect_to", caf), ("autonomy", "with_them")];
    let page = act(&router, &marie, &site, ticket.id, "finish", rev, &ending).await;
    assert!(
        page.contains("Orienté ailleurs : Caisse d&#39;allocations familiales (CAF)") || page.contains(caf),
        "{page}"
    );
    assert!(page.contains("Fait avec la personne"), "{page}");
    let row = site.row(ticket.id);
    assert_eq!(
        (row.outcome.as_deref(), row.redirect_to.as_deref(), row.autonomy.as_deref()),
        (Some("redirected"), Some(caf), Some("with_them"))
    );
    let forged = [("outcome", "redirected"), ("redirect_to", "Evil Corp")];
    let other = site.issue(&[], None).await;
    let response = post(
        &router,
        &format!("/tickets/{}/finish", other.id),
        &marie.cookie,
        &[[("csrf", marie.csrf.as_str())].as_slice(), &forged].concat(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "only listed organisations");
}

#[tokio::test]
async fn an_administrator_opens_a_new_day_by_hand_and_yesterday_s_tickets_close_as_not_seen() {
    let site = Site::open().await;
    let router = site.router();
    let left = site.issue(&[], None).await;
    let claire = login_as(&router, "claire").await;
    assert!(text(get(&router, "/", &claire.cookie).await).await.contains("Ouvrir une nouvelle journée"));
    site.clock.set_day(day(22)); // the kiosk's clock went back: the service day does not
    let response = post(&router, "/day/open", &claire.cookie, &[("csrf", claire.csrf.as_str())]).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, "/"));
    let page = text(get(&router, "/", &claire.cookie).await).await;
    assert!(page.contains("Nouvelle journée : le 24/11/2026"), "{page}");
    assert!(page.contains("Le ticket encore ouvert est fermé"), "{page}");
    assert_eq!(site.status_of(left.id), "not_seen");
    assert_eq!(site.issue(&[], None).await.number, "A-001");
    let forged = post(&router, "/day/open", &claire.cookie, &[("csrf", "forged")]).await;
    assert_ne!(forged.status(), StatusCode::SEE_OTHER, "a forged form opens nothing");
}

#[tokio::test]
async fn an_agent_cannot_open_a_new_day_and_is_not_offered_to() {
    let site = Site::open().await;
    let router = site.router();
    let open = site.issue(&[], None).await;
    let marie = login(&router).await;
    let page = text(get(&router, "/", &marie.cookie).await).await;
    assert!(!page.contains("Ouvrir une nouvelle journée") && !page.contains("/day/open"), "{page}");
    let response = post(&router, "/day/open", &marie.cookie, &[("csrf", marie.csrf.as_str())]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(text(response).await.contains("Réservé aux administrateurs"));
    assert_eq!(site.status_of(open.id), "waiting", "nothing closed");
    assert_eq!(site.issue(&[], None).await.number, "A-002", "the numbering goes on");
}
