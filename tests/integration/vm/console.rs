//! The staff side seen from the host: the kiosk's console through qemu's forwarded port in
//! Chromium, trusting the kiosk's own certificate and no other; and a kiosk on the host
//! whose board the guest follows.

use guichet::staff::{self, tls, Console, ConsoleConfig, ServerHandle};
use guichet::store::Store;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

/// The base64 SHA-256 of the certificate's public key, as Chromium pins it.
fn spki_pin(cert: &Path) -> String {
    let script = format!(
        "openssl x509 -in '{}' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
        cert.display()
    );
    let out = Command::new("sh").args(["-c", &script]).output().expect("openssl");
    assert!(out.status.success(), "openssl: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The page Chromium shows at `url` (its DOM), trusting `pin` when given.
fn chromium_dom(url: &str, pin: Option<&str>, scratch: &Path) -> String {
    let profile = tempfile::tempdir_in(scratch).unwrap();
    let mut command = Command::new("chromium");
    command.args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]);
    command.args(["--disable-background-networking", "--disable-component-update", "--disable-sync"]);
    command.arg(format!("--user-data-dir={}", profile.path().display()));
    if let Some(pin) = pin {
        command.arg(format!("--ignore-certificate-errors-spki-list={pin}"));
    }
    let out =
        command.args(["--timeout=20000", "--dump-dom", url]).output().expect("chromium (apt-get install chromium)");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Chromium opens the login page over HTTPS when it trusts the kiosk's certificate, and
/// refuses the connection when it does not.
pub fn opens_in_chromium(port: u16, cert: &Path, scratch: &Path) {
    let url = format!("https://127.0.0.1:{port}/login");
    let pinned = chromium_dom(&url, Some(&spki_pin(cert)), scratch);
    assert!(
        pinned.contains("name=\"password\""),
        "Chromium trusting the kiosk's certificate shows no login form:\n{pinned}"
    );
    let unpinned = chromium_dom(&url, None, scratch);
    assert!(!unpinned.contains("name=\"password\""), "Chromium showed the console without trusting its certificate");
}

/// A kiosk's console on the host at `port`, HTTPS with the certificate it made; its board
/// key, fingerprint and store.
pub fn host_kiosk(dir: &Path, port: u16) -> (ServerHandle, String, String, Store) {
    let store = Store::open(&dir.join("guichet.sqlite")).unwrap();
    let identity = tls::load_or_create(None, dir, &["localhost".to_string()]).unwrap();
    let fingerprint = identity.fingerprint.clone();
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).unwrap());
    let console = Console::new(store.clone(), catalogue, ConsoleConfig::default()).with_tls(identity);
    let server = staff::spawn(console, format!("127.0.0.1:{port}").parse().unwrap()).unwrap();
    let key = store.new_board_key().wait().unwrap();
    (server, key, fingerprint, store)
}
