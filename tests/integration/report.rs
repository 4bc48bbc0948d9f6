//! The activity report: visits recorded through the console's own forms come out as
//! anonymous figures on the page (SVG charts), in the CSV and the JSON; a logged-out
//! client gets nothing; bad dates get a plain answer; `guichet report` and `guichet purge`
//! on a real data directory (the purge wipes details and keeps the counts).

use crate::console::{get, location, login, post, text, Browser, Site};
use axum::http::{header, StatusCode};
use axum::Router;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::queue::Action;
use guichet::store::{Change, Store};
use std::process::Command;

const NOVEMBER: &str = "?from=2026-11-01&to=2026-11-30";

/// Posts one action of the ticket page's form, as the browser sends it.
async fn act(router: &Router, who: &Browser, site: &Site, id: i64, action: &str, extra: &[(&str, &str)]) {
    let rev = site.row(id).rev.to_string();
    let mut fields = vec![("csrf", who.csrf.as_str()), ("rev", rev.as_str()), ("back", "/"), ("desk", "Bureau 1")];
    fields.extend_from_slice(extra);
    let response = post(router, &format!("/tickets/{id}/{action}"), &who.cookie, &fields).await;
    assert_eq!((response.status(), location(&response)), (StatusCode::SEE_OTHER, "/"), "{action}");
}

/// Two visits seen to the end (one a first visit, one redirected), one visitor absent.
async fn a_morning(site: &Site, router: &Router, marie: &Browser) {
    let first = site.issue(&["email"], Some("disability")).await;
    let second = site.issue(&[], None).await;
    let absent = site.issue(&[], None).await;
    for (ticket, ending) in [
        (&first, vec![("outcome", "done"), ("autonomy", "with_them"), ("first_visit", "yes")]),
        (
            &second,
            vec![
                ("outcome", "redirected"),
                ("redirect_to", "Caisse d'allocations familiales (CAF)"),
                ("first_visit", "no"),
            ],
        ),
    ] {
        act(router, marie, site, ticket.id, "call", &[]).await;
        site.clock.advance(60_000);
        act(router, marie, site, ticket.id, "start", &[]).await;
        site.clock.advance(20 * 60_000);
        act(router, marie, site, ticket.id, "finish", &ending).await;
    }
    act(router, marie, site, absent.id, "call", &[]).await;
    act(router, marie, site, absent.id, "call", &[]).await;
    act(router, marie, site, absent.id, "no-show", &[("confirm", "yes")]).await;
}

#[tokio::test]
async fn visits_made_at_the_desks_come_out_as_anonymous_figures() {
    let site = Site::open().await;
    let router = site.router();
    let marie = login(&router).await;
    a_morning(&site, &router, &marie).await;

    let page = text(get(&router, &format!("/rapport{NOVEMBER}"), &marie.cookie).await).await;
    assert!(page.contains("Rapport d'activité") && page.contains("<svg"), "{page}");
    for shown in ["Papiers", "France Titres (ANTS)", "Fait avec la personne", "anglais", "handicap", "Première visite"]
    {
        assert!(page.contains(shown), "the page does not show {shown:?}");
    }
    let number = site.row(1).number;
    assert!(!page.contains(&number) && !page.contains(&site.row(1).token), "no ticket number or token");

    let csv = get(&router, &format!("/rapport.csv{NOVEMBER}"), &marie.cookie).await;
    assert_eq!(csv.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("activite-2026-11-01-2026-11-30.csv"));
    let csv = text(csv).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "du;au;rubrique;élément;nombre");
    for line in [
        "2026-11-01;2026-11-30;Total;Tickets pris à la borne;3",
        "2026-11-01;2026-11-30;Total;Visites accompagnées jusqu'au bout;2",
        "2026-11-01;2026-11-30;Total;Absents à l'appel;1",
        "2026-11-01;2026-11-30;Orienté vers;Caisse d'allocations familiales (CAF);1",
        "2026-11-01;2026-11-30;Première visite;oui;1",
        "2026-11-01;2026-11-30;Besoin prioritaire;handicap;1",
        "2026-11-01;2026-11-30;Durée de l'accompagnement (minutes);médiane;20",
    ] {
        assert!(lines.contains(&line), "no line {line:?} in\n{csv}");
    }
    assert!(!csv.contains(&number));

    let json: serde_json::Value =
        serde_json::from_str(&text(get(&router, &format!("/rapport.json{NOVEMBER}"), &marie.cookie).await).await)
            .unwrap();
    assert_eq!(
        (json["tickets"].as_u64(), json["visits"].as_u64(), json["no_shows"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(json["busy_hours"].as_array().map(Vec::len), Some(24));
}

#[tokio::test]
async fn the_report_answers_only_staff_and_only_sensible_dates() {
    let site = Site::open().await;
    let router = site.router();
    for path in ["/rapport", "/rapport.csv", "/rapport.json"] {
        let response = get(&router, path, "").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} without a login");
        assert!(location(&response).starts_with("/login"), "{path}");
    }
    let marie = login(&router).await;
    // The default: this month so far.
    let page = text(get(&router, "/rapport", &marie.cookie).await).await;
    assert!(page.contains(r#"value="2026-11-01""#) && page.contains(r#"value="2026-11-23""#), "{page}");
    for bad in ["?from=2026-11-30&to=2026-11-01", "?from=2020-01-01&to=2026-11-01", "?from=%3Cscript%3E"] {
        let response = get(&router, &format!("/rapport.csv{bad}"), &marie.cookie).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let page = text(response).await;
        assert!(page.contains("role=\"alert\"") && !page.contains("<script>"), "{page}");
    }
}

fn guichet(data: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_guichet")).arg("--data-dir").arg(data).args(args).output().unwrap();
    assert!(out.status.success(), "guichet {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_command_line_reports_and_purges_keeping_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    // Long ago, so that the purge (30 days by default, by today's clock) reaches it.
    let long_ago = chrono::NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
    let clock = std::sync::Arc::new(guichet::clock::ManualClock::new(long_ago));
    let store = Store::open_with_clock(&dir.path().join("guichet.sqlite"), clock).unwrap();
    let request = TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue: 'A',
        lang: Lang::Uk,
        have: vec!["email".into()],
        priority: Some("pregnancy".into()),
    };
    let t = store.issue(request).wait().unwrap();
    for action in [Action::Call, Action::Start, Action::Finish] {
        store.act(t.id, Change { desk: Some("Bureau 1".into()), ..Change::new(action) }).wait().unwrap();
    }
    drop(store);
    let span = ["report", "--from", "2024-03-01", "--to", "2024-03-31", "--format", "json"];
    let before: serde_json::Value = serde_json::from_str(&guichet(dir.path(), &span)).unwrap();
    assert_eq!(before["visits"].as_u64(), Some(1));
    let said = guichet(dir.path(), &["purge"]);
    assert!(said.contains("details wiped from 1 tickets"), "{said}");
    let after: serde_json::Value = serde_json::from_str(&guichet(dir.path(), &span)).unwrap();
    assert_eq!(before, after, "the purge keeps every figure");
    let csv = guichet(dir.path(), &["report", "--from", "2024-03-01", "--to", "2024-03-31"]);
    assert!(csv.contains(";Langue de la borne;ukrainien;1"), "{csv}");
    let db = rusqlite::Connection::open(dir.path().join("guichet.sqlite")).unwrap();
    let left: (String, String, Option<String>) = db
        .query_row("SELECT lang, have, priority FROM tickets", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!(left, (String::new(), "[]".into(), None), "the visitor's details are gone");
}
