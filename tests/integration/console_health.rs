//! The kiosk's health on the staff console: the printer alert over the live queue (page,
//! fragment, live stream) and the page "État de la borne"; `guichet serve` has no kiosk.

use crate::console::{get, location, login, text, Site};
use axum::http::StatusCode;
use guichet::hardware::printer_status::PrinterState;
use guichet::health::{Health, SpeechHealth};
use http_body_util::BodyExt;
use std::time::Duration;

const BANNER: &str = "Imprimante de la borne";

#[tokio::test]
async fn a_printer_alert_shows_over_the_queue_until_the_printer_is_fixed() {
    let health = Health::new();
    let site = Site::open().await.with_health(health.clone());
    let router = site.router();
    let browser = login(&router).await;
    health.printer(PrinterState::Ready);
    assert!(!text(get(&router, "/", &browser.cookie).await).await.contains(BANNER));
    health.printer(PrinterState::PaperOut);
    let page = text(get(&router, "/", &browser.cookie).await).await;
    assert!(page.contains(BANNER) && page.contains("Plus de papier : changez le rouleau"), "{page}");
    assert!(page.contains(r#"role="alert""#));
    for state in [PrinterState::PaperLow, PrinterState::CoverOpen, PrinterState::Offline] {
        health.printer(state);
        let fragment = text(get(&router, "/queue", &browser.cookie).await).await;
        assert!(fragment.contains(BANNER) && fragment.contains(&state.to_string()), "{state:?}: {fragment}");
    }
    health.printer(PrinterState::Ready);
    assert!(!text(get(&router, "/queue", &browser.cookie).await).await.contains(BANNER));
}

#[tokio::test]
async fn open_queue_pages_are_told_when_the_printer_alert_comes() {
    let health = Health::new();
    let site = Site::open().await.with_health(health.clone());
    let router = site.router();
    let browser = login(&router).await;
    let response = get(&router, "/events", &browser.cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    health.printer(PrinterState::CoverOpen);
    let mut received = String::new();
    while !received.contains("data: printer") {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame()).await.expect("an event within 5 s");
        let frame = frame.expect("the stream is open").unwrap();
        received.push_str(&String::from_utf8_lossy(frame.data_ref().unwrap()));
    }
}

#[tokio::test]
async fn the_kiosk_page_shows_version_uptime_printer_speech_disk_and_last_error() {
    let health = Health::new();
    let site = Site::open().await.with_health(health.clone());
    let router = site.router();
    let stranger = get(&router, "/borne", "").await;
    assert!(location(&stranger).starts_with("/login"), "{:?}", stranger.status());
    let browser = login(&router).await;
    let fresh = text(get(&router, "/borne", &browser.cookie).await).await;
    for words in ["Pas encore vérifiée", "Pas de voix sur cette borne", "Aucune depuis le démarrage"] {
        assert!(fresh.contains(words), "{words}: {fresh}");
    }
    health.printer(PrinterState::CoverOpen);
    health.speech(SpeechHealth::Lost("le moteur de synthèse s'est arrêté".into()));
    health.error("impression du ticket A-012 impossible");
    let page = get(&router, "/borne", &browser.cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = text(page).await;
    for words in [
        "État de la borne",
        env!("CARGO_PKG_VERSION"),
        "En marche depuis",
        "Capot ouvert : refermez-le",
        "Vérifiée le ",
        "Perdue : le moteur de synthèse s'est arrêté",
        "impression du ticket A-012 impossible",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    let free = page.split("Espace libre").nth(1).expect("a free space line");
    assert!(free.contains(" Mo<") || free.contains(" Go<"), "{free}");
    health.speech(SpeechHealth::Working);
    assert!(text(get(&router, "/borne", &browser.cookie).await).await.contains("Fonctionne"));
}

#[tokio::test]
async fn a_console_without_a_kiosk_says_there_is_none() {
    let site = Site::open().await;
    let router = site.router();
    let browser = login(&router).await;
    let page = text(get(&router, "/borne", &browser.cookie).await).await;
    assert!(page.contains("Pas de borne dans ce processus"), "{page}");
    assert!(!text(get(&router, "/", &browser.cookie).await).await.contains(BANNER));
}
