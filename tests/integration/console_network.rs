//! The network's figures on the console (`/rapport/reseau`, with `[network]`): two sites
//! send their November to a throwaway PostgreSQL (Debian's server); a third site's console
//! lists both with their counts, and its CSV and JSON are byte for byte what `guichet
//! report --network` prints for the same span. A network stopped, refusing or silent gets
//! a 503 page saying what is wrong and what to do, while the other pages answer; without
//! `[network]` the page is not there (404) and nothing links to it; logged out, the login
//! page, as for `/rapport`.

use crate::console::{get, location, login, text, Site};
use crate::network_sites::NetworkDb;
use axum::http::{header, StatusCode};
use axum::Router;
use guichet::store::network::Network;
use guichet::store::SiteLink;
use std::process::Command;
use std::time::{Duration, Instant};

const NOVEMBER: &str = "?from=2026-11-01&to=2026-11-30";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime")
}

/// `guichet report --network` on a data folder whose guichet.toml names `conninfo`.
fn command_line(conninfo: &str, args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(dir.path().join("guichet.toml"), format!("[network]\ndatabase = \"{conninfo}\"\n")).expect("toml");
    let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["report", "--network"])
        .args(args)
        .output()
        .expect("guichet runs");
    assert!(out.status.success(), "guichet report --network {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// The table row of `site` on the network page.
fn row<'a>(page: &'a str, site: &str) -> &'a str {
    page.split("<tr>").find(|r| r.contains(&format!(">{site}</a>"))).unwrap_or_else(|| panic!("no row for {site}"))
}

async fn bytes(router: &Router, path: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
    use http_body_util::BodyExt;
    let response = get(router, path, cookie).await;
    let status = response.status();
    (status, response.into_body().collect().await.expect("a body").to_bytes().to_vec())
}

#[test]
fn the_network_page_shows_every_site_and_downloads_what_the_command_line_prints() {
    let db = NetworkDb::start();
    let murat = db.site("France Services de Murat", &[2, 3, 4, 9, 10], 4, 0);
    let condat = db.site("Condat", &[2, 5, 6, 12, 13, 16, 17], 5, 3);
    let cli_csv = command_line(&db.conninfo, &["--from", "2026-11-01", "--to", "2026-11-30"]);
    let cli_json = command_line(&db.conninfo, &["--from", "2026-11-01", "--to", "2026-11-30", "--format", "json"]);
    let rt = runtime();
    rt.block_on(async {
        let site = Site::open().await.with_network(db.network.clone());
        let router = site.router();
        // Logged out: the login page, as for the site's own report.
        let mut to = Vec::new();
        for path in ["/rapport", "/rapport/reseau", "/rapport/reseau.csv"] {
            let response = get(&router, &format!("{path}{NOVEMBER}"), "").await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
            to.push(location(&response).to_string());
        }
        assert!(to[0].starts_with("/login") && to.iter().all(|l| *l == to[0]), "{to:?}");
        // Marie, an agent, as for /rapport.
        let marie = login(&router).await;
        let response = get(&router, &format!("/rapport/reseau{NOVEMBER}"), &marie.cookie).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = text(response).await;
        assert!(page.contains("Chiffres du réseau") && page.contains("<svg"), "{page}");
        let said = format!("Condat : {condat}, France Services de Murat : {murat}");
        assert!(page.contains(&said), "the visits per site chart says {said:?}:\n{page}");
        for (name, visits) in [("France Services de Murat", murat), ("Condat", condat)] {
            let r = row(&page, name);
            assert!(r.contains(&format!(r#"data-label="Visites accompagnées">{visits}<"#)), "{name}: {r}");
        }
        assert!(page.contains(r#"href="/rapport/reseau""#), "the menu links to the page");
        let report = text(get(&router, &format!("/rapport{NOVEMBER}"), &marie.cookie).await).await;
        assert!(report.contains(r#"href="/rapport/reseau""#), "the site's report links to it");

        // One site chosen: its own figures and charts.
        let one = text(get(&router, &format!("/rapport/reseau{NOVEMBER}&site=Condat"), &marie.cookie).await).await;
        assert!(one.contains("<h2>Condat</h2>") && one.contains("Thèmes") && !one.contains("Site par site"), "{one}");
        assert!(one.contains(r#"<option value="Condat" selected>"#), "the form keeps the site chosen");

        // The downloads are the command line's bytes.
        let csv = get(&router, &format!("/rapport/reseau.csv{NOVEMBER}"), &marie.cookie).await;
        assert_eq!(csv.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let disposition = csv.headers()[header::CONTENT_DISPOSITION].to_str().expect("ascii").to_string();
        assert!(disposition.contains("reseau-2026-11-01-2026-11-30.csv"), "{disposition}");
        let (_, csv) = bytes(&router, &format!("/rapport/reseau.csv{NOVEMBER}"), &marie.cookie).await;
        assert_eq!(String::from_utf8_lossy(&csv), String::from_utf8_lossy(&cli_csv));
        assert_eq!(csv, cli_csv, "the page's CSV is guichet report --network's, byte for byte");
        let line = format!("2026-11-01;2026-11-30;Tout le réseau;Visites par site;Condat;{condat}\r\n");
        assert!(String::from_utf8_lossy(&csv).contains(&line), "{line}");
        let (_, json) = bytes(&router, &format!("/rapport/reseau.json{NOVEMBER}"), &marie.cookie).await;
        assert_eq!(json, cli_json, "the page's JSON is guichet report --network --format json's");
        let (status, _) = bytes(&router, "/rapport/reseau?from=2026-11-30&to=2026-11-01", &marie.cookie).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // The network's server stopped: a page that says so, and fast.
        db.cluster.set_running(false).expect("the server stops");
        let began = Instant::now();
        let response = get(&router, &format!("/rapport/reseau{NOVEMBER}"), &marie.cookie).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let page = text(response).await;
        assert!(
            page.contains("n'arrive pas à joindre le serveur du réseau") && page.contains("role=\"alert\""),
            "{page}"
        );
        println!("network stopped: 503 in {} ms", began.elapsed().as_millis());
        assert_eq!(get(&router, &format!("/rapport{NOVEMBER}"), &marie.cookie).await.status(), StatusCode::OK);
        db.cluster.set_running(true).expect("the server starts again");
        let again = get(&router, &format!("/rapport/reseau{NOVEMBER}"), &marie.cookie).await;
        assert_eq!(again.status(), StatusCode::OK, "the page comes back with the server");
    });

    // A role the network gave no rights to read: the server refuses, the page says whose
    // rights to ask for.
    let mut admin = postgres::Client::connect(&db.conninfo, postgres::NoTls).expect("the owner");
    admin.batch_execute("CREATE ROLE lecteur LOGIN").expect("a role");
    let conninfo = db.conninfo.replace("user=guichet", "user=lecteur");
    let refused = Network::new(SiteLink::new(&conninfo, None).expect("the link"));
    rt.block_on(async {
        let site = Site::open().await.with_network(refused);
        let router = site.router();
        let marie = login(&router).await;
        let response = get(&router, "/rapport/reseau", &marie.cookie).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let page = text(response).await;
        assert!(page.contains("refuse de donner les chiffres") && page.contains("droits de lecture"), "{page}");
    });
}

#[test]
fn a_silent_network_gets_a_503_page_and_the_other_pages_answer_meanwhile() {
    // A "server" that takes the connection and never says a word.
    let dir = tempfile::tempdir().expect("a folder");
    let listener = std::os::unix::net::UnixListener::bind(dir.path().join(".s.PGSQL.5432")).expect("a socket");
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let silent = std::thread::spawn(move || {
        let held = listener.accept();
        let _ = stopped.recv();
        drop(held);
    });
    let conninfo = format!("host={} port=5432 user=guichet dbname=reseau", dir.path().display());
    let network = Network::new(SiteLink::new(&conninfo, None).expect("the link"));
    runtime().block_on(async {
        let site = Site::open().await.with_network(network);
        let router = site.router();
        let marie = login(&router).await;
        let began = Instant::now();
        let waiting = tokio::spawn({
            let (router, cookie) = (router.clone(), marie.cookie.clone());
            async move { get(&router, "/rapport/reseau", &cookie).await }
        });
        tokio::time::sleep(Duration::from_millis(500)).await;
        let other = Instant::now();
        assert_eq!(get(&router, "/rapport", &marie.cookie).await.status(), StatusCode::OK);
        assert_eq!(get(&router, "/", &marie.cookie).await.status(), StatusCode::OK);
        let meanwhile = other.elapsed();
        assert!(meanwhile < Duration::from_secs(2), "the other pages waited {meanwhile:?}");
        let response = waiting.await.expect("the request ends");
        let took = began.elapsed();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(took < Duration::from_secs(14), "the page waited {took:?}, under the console's 15 s limit");
        let page = text(response).await;
        assert!(page.contains("Le serveur du réseau ne répond pas (rien en 10 secondes)"), "{page}");
        println!(
            "silent network: 503 after {} ms; /rapport and / meanwhile in {} ms",
            took.as_millis(),
            meanwhile.as_millis()
        );
    });
    let _ = stop.send(());
    silent.join().expect("the silent server ends");
}

#[tokio::test]
async fn without_a_network_the_page_is_not_there_and_nothing_links_to_it() {
    let site = Site::open().await;
    let router = site.router();
    let marie = login(&router).await;
    for path in ["/rapport/reseau", "/rapport/reseau.csv", "/rapport/reseau.json"] {
        let response = get(&router, path, &marie.cookie).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let report = text(get(&router, "/rapport", &marie.cookie).await).await;
    assert!(report.contains("Rapport d'activité") && !report.contains("/rapport/reseau"), "{report}");
}
