//! What staff read goes to the audit log too: a ticket's details (its page, opened from
//! the queue or by scanning its QR code), the report's exports, and the board's address
//! (its key lets any screen show the calls).

use crate::console::{get, login, login_as, Site};
use axum::http::StatusCode;

#[tokio::test]
async fn reading_a_ticket_exporting_the_report_and_seeing_the_board_key_are_audited() {
    let site = Site::open().await;
    let router = site.router();
    let ticket = site.issue(&["id-card"], Some("mobility")).await;
    let marie = login(&router).await;
    let claire = login_as(&router, "claire").await;
    let page = get(&router, &format!("/t/{}", ticket.token), &marie.cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    for path in ["/rapport.csv?from=2026-11-01&to=2026-11-23", "/rapport.json?from=2026-11-01&to=2026-11-23"] {
        assert_eq!(get(&router, path, &marie.cookie).await.status(), StatusCode::OK, "{path}");
    }
    assert!(site.store.new_board_key().await.is_ok());
    assert_eq!(get(&router, "/admin/tableau", &claire.cookie).await.status(), StatusCode::OK);
    site.store.flush().await.unwrap();
    let log = site.store.reader().with(|c| guichet::store::audit_log(c, 100)).unwrap();
    let read: Vec<_> = log
        .iter()
        .rev()
        .filter(|e| e.action != "login")
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        read,
        vec![
            ("marie", "ticket-view", ticket.number.as_str()),
            ("marie", "report-export", "CSV 2026-11-01 → 2026-11-23"),
            ("marie", "report-export", "JSON 2026-11-01 → 2026-11-23"),
            ("claire", "board-key-view", ""),
        ]
    );
    let journal = crate::console::text(get(&router, "/admin/journal", &claire.cookie).await).await;
    for said in ["Ouvre la fiche d&#39;un ticket", "Exporte le rapport", "Voit l&#39;adresse du tableau"] {
        assert!(journal.contains(said) || journal.contains(&said.replace("&#39;", "'")), "{said}: {journal}");
    }
}
