//! What staff read goes to the audit log too: a ticket's details (its page, opened from
//! the queue or by scanning its QR code), the report's exports, and the board's address
//! (its key lets any screen show the calls). The journal page shows it 100 entries at a
//! time, and its links reach every entry, both ways.

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

/// The `href` of the link that reads exactly `label`, as a browser would follow it.
fn link(html: &str, label: &str) -> Option<String> {
    let end = html.find(&format!(">{label}</a>"))?;
    let start = html[..end].rfind("<a ")?;
    let href = html[start..end].split("href=\"").nth(1)?.split('"').next()?;
    Some(href.replace("&amp;", "&"))
}

/// What each row of a journal page applied to (its "Sur" column), top to bottom.
fn details(html: &str) -> Vec<String> {
    let cell = r#"<td data-label="Sur">"#;
    html.split(cell).skip(1).map(|rest| rest.split("</td>").next().unwrap_or_default().to_string()).collect()
}

/// Follows the links that read `label` from `start`: every page's rows, in order.
async fn walk(router: &axum::Router, cookie: &str, start: &str, label: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut path = start.to_string();
    loop {
        let response = get(router, &path, cookie).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page = crate::console::text(response).await;
        pages.push(details(&page));
        assert!(pages.len() < 10, "the links go round in circles");
        match link(&page, label) {
            Some(next) => path = next,
            None => return pages,
        }
    }
}

#[tokio::test]
async fn the_journal_shows_100_entries_a_page_and_its_links_lead_to_the_oldest_and_back() {
    let site = Site::open().await;
    let router = site.router();
    for i in 0..250 {
        site.store.audit("marie", "call", &format!("entrée {i}"), "192.168.1.7");
    }
    let claire = login_as(&router, "claire").await; // one more entry: her login, on nothing
    site.store.flush().await.unwrap();
    let first = crate::console::text(get(&router, "/admin/journal", &claire.cookie).await).await;
    assert_eq!(details(&first).len(), 100, "the newest page");
    assert_eq!(link(&first, "Plus récentes"), None, "nothing newer than the newest page");
    // New entries arrive while claire reads: the older pages do not shift.
    for i in 250..260 {
        site.store.audit("marie", "call", &format!("entrée {i}"), "192.168.1.7");
    }
    site.store.flush().await.unwrap();
    let older = link(&first, "Plus anciennes").expect("a link to older entries");
    let mut back = vec![details(&first)];
    back.extend(walk(&router, &claire.cookie, &older, "Plus anciennes").await);
    let sizes: Vec<usize> = back.iter().map(Vec::len).collect();
    assert_eq!(sizes, [100, 100, 51]);
    let entry = |i: usize| format!("entrée {i}");
    let expected: Vec<String> = std::iter::once(String::new()).chain((0..250).rev().map(entry)).collect();
    assert_eq!(back.concat(), expected, "every entry once, newest first, down to the oldest");

    // From the oldest page back up, to the entries that came meanwhile.
    let second = crate::console::text(get(&router, &older, &claire.cookie).await).await;
    let third = link(&second, "Plus anciennes").expect("a link to the third page");
    let up = walk(&router, &claire.cookie, &third, "Plus récentes").await;
    let mut seen: Vec<String> = up.into_iter().rev().flatten().collect();
    seen.reverse();
    let mut expected: Vec<String> = (0..250).map(entry).collect();
    expected.push(String::new());
    expected.extend((250..260).map(entry));
    assert_eq!(seen, expected, "every entry once, oldest first, up to the newest");
}

#[tokio::test]
async fn a_journal_address_with_a_made_up_place_shows_the_newest_page() {
    let site = Site::open().await;
    let router = site.router();
    let claire = login_as(&router, "claire").await;
    site.store.flush().await.unwrap();
    for path in ["/admin/journal?avant=abc", "/admin/journal?apres=-5", "/admin/journal?avant=99999999999"] {
        let response = get(&router, path, &claire.cookie).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page = crate::console::text(response).await;
        assert!(page.contains("Journal de la console"), "{path}");
    }
}
