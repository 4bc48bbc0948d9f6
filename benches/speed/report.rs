//! The activity report and the queue page with a long history, measured (not asserted):
//! One million closed tickets over three years are written
//! straight into a real database, with today's open queue on top; then, over a real
//! socket and logged in: the queue page, the report page on one month and on one year
//! (the longest span it takes), and the month's CSV. p50 and p99 of each.

use super::http::{get, login, request, PASSWORD};
use super::table::{p50_p99, Table};
use guichet::core::lang::Lang;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{Role, Store};
use rusqlite::params;
use std::sync::Arc;
use std::time::Instant;

const HISTORY: usize = 1_000_000;
const DAYS: usize = 3 * 365;
const RUNS: usize = 40;

/// A million closed tickets, ~900 a day, over the three years before today.
fn fill(path: &std::path::Path, today: chrono::NaiveDate) {
    let mut conn = rusqlite::Connection::open(path).expect("db");
    let tx = conn.transaction().expect("tx");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO tickets (number, queue, seq, service_day, token, lang, theme, procedure, have, priority,
                   status, desk, outcome, issued_at, called_at, first_called_at, started_at, finished_at, autonomy, first_visit)
                 VALUES (?1, 'A', ?2, ?3, ?4, ?5, ?6, ?7, '[\"email\"]', ?8, ?9, 'Bureau 1', ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?16)",
            )
            .expect("prepare");
        let langs = ["fr", "fr", "fr", "ar", "uk", "en", "tr", "ro"];
        let themes = [("papiers", "carte-identite"), ("famille", "caf-prime-activite"), ("sante", "cpam-carte-vitale")];
        let per_day = HISTORY.div_ceil(DAYS);
        for i in 0..HISTORY {
            let d = today - chrono::Duration::days((DAYS - i / per_day) as i64);
            let seq = (i % per_day + 1) as i64;
            let issued = d.and_hms_opt(8, 30, 0).unwrap_or_default().and_utc().timestamp_millis() + seq * 30_000;
            let (theme, procedure) = themes[i % themes.len()];
            let status = if i % 13 == 0 { "no_show" } else { "done" };
            insert
                .execute(params![
                    format!("A-{seq:03}"),
                    seq,
                    d.to_string(),
                    format!("{i:032x}"),
                    langs[i % langs.len()],
                    theme,
                    procedure,
                    (i % 9 == 0).then_some("mobility"),
                    status,
                    (status == "done").then_some("done"),
                    issued,
                    issued + 600_000,
                    issued + 660_000,
                    issued + 2_000_000,
                    (status == "done").then_some("with_them"),
                    (i % 4 == 0).then_some(true),
                ])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
}

pub fn run(t: &mut Table) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite");
    let today = chrono::Local::now().date_naive();
    drop(Store::open(&path).expect("schema"));
    let began = Instant::now();
    fill(&path, today);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "== the console with a long history\n{HISTORY} tickets written in {:.1} s ({} MB)",
        began.elapsed().as_secs_f64(),
        size / 1_000_000
    );
    let store = Store::open(&path).expect("store");
    let request = request(Lang::Ar);
    for _ in 0..30 {
        store.issue(request.clone()).wait().expect("ticket");
    }
    let hash = staff::hash_password(PASSWORD).expect("hash");
    store.add_staff("bench".into(), hash, Role::Agent).wait().expect("account");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("catalogue"));
    let console = Console::new(store.clone(), catalogue, ConsoleConfig::default());
    let server = staff::spawn(console, "127.0.0.1:0".parse().expect("addr")).expect("console");
    let session = login(server.addr, "bench");
    let month = format!("?from={}&to={today}", today - chrono::Duration::days(30));
    let year = format!("?from={}&to={today}", today - chrono::Duration::days(365));
    let cases = [
        ("queue page (30 waiting)", "/".to_string()),
        ("report page, 1 month", format!("/rapport{month}")),
        ("report page, 1 year", format!("/rapport{year}")),
        ("report CSV, 1 month", format!("/rapport.csv{month}")),
    ];
    for (name, path) in cases {
        let (head, body) = get(server.addr, &path, &session);
        assert!(head.starts_with("HTTP/1.1 200"), "{name}: {head}");
        assert!(body.len() > 1000, "{name}: {} bytes", body.len());
        let times = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                get(server.addr, &path, &session);
                t.elapsed()
            })
            .collect();
        let (text, p99) = p50_p99(times);
        if name.starts_with("queue") {
            t.at_most(format!("console {name}, 1 M tickets"), text, p99, 10.0, "p99 ≤ 10 ms");
        } else {
            t.track(format!("console {name}, 1 M tickets"), text);
        }
    }
}
