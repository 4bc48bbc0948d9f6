//! The login throttle against many addresses: a name guessed from everywhere at once is
//! slowed down, whatever the address, while its owner's own browser still gets in; the
//! addresses of one IPv6 /64 are one client, an IPv4-mapped address is its IPv4 address.

use crate::console::{cookie_pair, get, login_as, set_cookie, text, try_login_from, try_login_with, Site, PASSWORD};
use axum::body::Body;
use axum::http::{Response, StatusCode};
use guichet::staff::ConsoleConfig;
use std::net::SocketAddr;
use std::time::Duration;

fn from(ip: &str) -> Option<SocketAddr> {
    Some(SocketAddr::new(ip.parse().unwrap(), 50_000))
}

/// The session cookie of a login that worked.
fn logged_in(response: &Response<Body>) -> bool {
    response.status() == StatusCode::SEE_OTHER && set_cookie(response, "guichet_session").is_some()
}

#[tokio::test]
async fn a_name_guessed_from_many_addresses_is_slowed_but_its_owners_browser_gets_in() {
    let site = Site::with(ConsoleConfig { max_failures: 3, lockout_minutes: 15, ..ConsoleConfig::default() }).await;
    let router = site.router();
    // Marie logged in from her desk's browser earlier: it keeps a cookie for the login page.
    let earlier = try_login_from(&router, from("10.0.0.2"), "marie", PASSWORD, "").await;
    assert!(logged_in(&earlier));
    let device = set_cookie(&earlier, "guichet_device").map(str::to_string);

    // Six wrong passwords (twice the per-address limit), each from another address: each
    // is checked, and no address is locked.
    for i in 0..6 {
        let answer = try_login_from(&router, from(&format!("10.0.1.{i}")), "marie", "wrong", "").await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // The next one, from yet another address, waits: even the right password is not checked.
    let waits = try_login_from(&router, from("10.0.1.100"), "marie", PASSWORD, "").await;
    assert_eq!(waits.status(), StatusCode::TOO_MANY_REQUESTS, "a seventh guess from a seventh address");
    assert!(set_cookie(&waits, "guichet_session").is_none());
    let page = text(waits).await;
    assert!(page.contains("réessayez dans 1 seconde."), "{page}");
    // The same from marie's own desk without the cookie (another browser)…
    let other_browser = try_login_from(&router, from("10.0.0.2"), "marie", PASSWORD, "").await;
    assert_eq!(other_browser.status(), StatusCode::TOO_MANY_REQUESTS);
    // … but her browser, which logged in before, gets in at once, from anywhere.
    let device = device.expect("a cookie for the login page, set at marie's earlier login");
    assert!(device.contains("Path=/login") && device.contains("HttpOnly"), "{device}");
    let device = cookie_pair(&device);
    assert!(logged_in(&try_login_with(&router, from("10.0.0.2"), &device, "marie", PASSWORD, "").await));
    assert!(logged_in(&try_login_with(&router, from("10.0.0.7"), &device, "marie", PASSWORD, "").await));
    // Other names are not slowed.
    assert!(logged_in(&try_login_from(&router, from("10.0.1.100"), "claire", PASSWORD, "").await));
    // Once the wait is over, the next attempt is checked again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(logged_in(&try_login_from(&router, from("10.0.1.101"), "marie", PASSWORD, "").await));
}

#[tokio::test]
async fn the_wait_is_audited_once_when_it_begins_and_an_unlock_lifts_it() {
    let site = Site::with(ConsoleConfig { max_failures: 2, lockout_minutes: 15, ..ConsoleConfig::default() }).await;
    let router = site.router();
    for i in 0..4 {
        try_login_from(&router, from(&format!("10.0.1.{i}")), "claire", "wrong", "").await;
    }
    for i in 4..8 {
        let answer = try_login_from(&router, from(&format!("10.0.1.{i}")), "claire", "wrong", "").await;
        assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS, "attempt {i} waits");
    }
    site.store.flush().await.unwrap();
    let log = site.store.reader().with(|c| guichet::store::audit_log(c, 100)).unwrap();
    let actions: Vec<_> = log.iter().rev().map(|e| (e.actor.as_str(), e.action.as_str())).collect();
    let failed = ("claire", "login-failed");
    assert_eq!(actions, vec![failed, failed, failed, failed, ("claire", "slowed")]);
    // What `guichet staff unlock claire` or the admin page does.
    assert!(site.store.unlock_staff("claire".into()).await.unwrap());
    assert!(logged_in(&try_login_from(&router, from("10.0.1.9"), "claire", PASSWORD, "").await));
}

#[tokio::test]
async fn an_ipv6_network_is_counted_as_one_address_and_a_mapped_ipv4_as_its_ipv4() {
    let site = Site::with(ConsoleConfig { max_failures: 3, lockout_minutes: 15, ..ConsoleConfig::default() }).await;
    let router = site.router();
    // Three wrong passwords from three addresses of one /64 (one LAN: a client picks any
    // address in it): the third locks the name from that client.
    let addresses = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ab:cd:ef:1"];
    let mut answers = Vec::new();
    for address in addresses {
        answers.push(try_login_from(&router, from(address), "marie", "wrong", "").await.status());
    }
    let (refused, locks) = (StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers, [refused, refused, locks]);
    let same_lan = try_login_from(&router, from("2001:db8:1:2:ffff::9"), "marie", PASSWORD, "").await;
    assert_eq!(same_lan.status(), StatusCode::TOO_MANY_REQUESTS, "another address of the same /64 is locked out");
    assert!(text(same_lan).await.contains("Compte bloqué pendant 15 minutes"));
    assert!(logged_in(&try_login_from(&router, from("2001:db8:1:3::1"), "marie", PASSWORD, "").await));

    // An IPv4 client seen by a dual-stack listener as ::ffff:a.b.c.d is its IPv4 address.
    for _ in 0..3 {
        try_login_from(&router, from("::ffff:10.0.0.9"), "claire", "wrong", "").await;
    }
    let plain = try_login_from(&router, from("10.0.0.9"), "claire", PASSWORD, "").await;
    assert_eq!(plain.status(), StatusCode::TOO_MANY_REQUESTS, "::ffff:10.0.0.9 is 10.0.0.9");
    assert!(logged_in(&try_login_from(&router, from("::ffff:10.0.0.10"), "claire", PASSWORD, "").await));
    site.store.flush().await.unwrap();
    let log = site.store.reader().with(|c| guichet::store::audit_log(c, 100)).unwrap();
    assert!(log.iter().any(|e| e.address == "10.0.0.9"), "the audit log names the IPv4 address: {log:?}");
    assert!(log.iter().any(|e| e.address == "2001:db8:1:2:ab:cd:ef:1"), "and the whole IPv6 address");
}

#[tokio::test]
async fn a_clock_jump_ends_neither_a_session_nor_a_lockout_and_an_unlock_after_it_counts() {
    // Sessions and lockouts run on monotonic time; the wall clock only dates the unlock.
    let site = Site::with(ConsoleConfig { max_failures: 2, lockout_minutes: 15, ..ConsoleConfig::default() }).await;
    let router = site.router();
    let claire = login_as(&router, "claire").await;
    let day_ms = 86_400_000;
    for jump in [40 * day_ms, -41 * day_ms] {
        for _ in 0..2 {
            try_login_from(&router, from("10.0.0.3"), "marie", "wrong", "").await;
        }
        site.clock.advance(jump);
        assert_eq!(get(&router, "/", &claire.cookie).await.status(), StatusCode::OK, "jump {jump}: still logged in");
        let locked = try_login_from(&router, from("10.0.0.3"), "marie", PASSWORD, "").await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "jump {jump}: still locked");
        assert!(site.store.unlock_staff("marie".into()).await.unwrap());
        let unlocked = try_login_from(&router, from("10.0.0.3"), "marie", PASSWORD, "").await;
        assert!(logged_in(&unlocked), "jump {jump}: unlocked");
    }
}
