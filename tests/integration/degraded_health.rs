//! Lasting faults of the kiosk on the staff console: a banner over the live queue (and a
//! reload of open pages when one comes), and their line on "État de la borne".

use crate::console::{get, login, text, Site};
use guichet::health::Health;
use http_body_util::BodyExt;
use std::time::Duration;

#[tokio::test]
async fn a_lasting_fault_shows_over_the_queue_and_on_the_kiosk_page_until_fixed() {
    let health = Health::new();
    let site = Site::open().await.with_health(health.clone());
    let router = site.router();
    let browser = login(&router).await;
    let events = get(&router, "/events", &browser.cookie).await;
    let mut body = events.into_body();
    health.fault("disk", "le disque de la borne est plein : libérez de la place");
    let mut received = String::new();
    while !received.contains("data: printer") {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame()).await.expect("an event within 5 s");
        received.push_str(&String::from_utf8_lossy(frame.expect("open").unwrap().data_ref().unwrap()));
    }
    let queue = text(get(&router, "/queue", &browser.cookie).await).await;
    assert!(queue.contains("Enregistrement des tickets") && queue.contains("libérez de la place"), "{queue}");
    assert!(queue.contains(r#"role="alert""#));
    let page = text(get(&router, "/borne", &browser.cookie).await).await;
    assert!(page.contains("le disque de la borne est plein") && page.contains("Depuis le "), "{page}");
    health.fixed("disk");
    assert!(!text(get(&router, "/queue", &browser.cookie).await).await.contains("Enregistrement des tickets"));
}
