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

/// A member of staff at the console from the host, with curl (cookies kept in a jar),
/// trusting the kiosk's certificate alone (its key pinned; the name and dates are the
/// pin's business, as with the fingerprint staff compare).
pub struct Desk {
    base: String,
    pin: String,
    jar: tempfile::TempDir,
}

impl Desk {
    /// Logged in as `name`, as the login form does (its CSRF field and cookie).
    pub fn login(port: u16, cert: &Path, name: &str, password: &str) -> Desk {
        let desk = Desk {
            base: format!("https://127.0.0.1:{port}"),
            pin: format!("sha256//{}", spki_pin(cert)),
            jar: tempfile::tempdir().unwrap(),
        };
        let form = desk.get("/login");
        let marker = r#"name="csrf" value=""#;
        let at = form.find(marker).unwrap_or_else(|| panic!("no login form:\n{form}")) + marker.len();
        let csrf = form[at..].split('"').next().unwrap_or_default().to_string();
        let fields = [format!("name={name}"), format!("password={password}"), format!("csrf={csrf}"), "next=".into()];
        let welcome = desk.curl(&["-L"], &fields, "/login");
        assert!(welcome.contains("Se déconnecter") || welcome.contains("logout"), "login refused:\n{welcome}");
        desk
    }

    /// The page at `path`, as its HTML.
    pub fn get(&self, path: &str) -> String {
        self.curl(&[], &[], path)
    }

    fn curl(&self, flags: &[&str], fields: &[String], path: &str) -> String {
        let jar = self.jar.path().join("cookies");
        let mut command = Command::new("curl");
        command.args(["-sS", "-k", "--max-time", "60", "--pinnedpubkey", &self.pin]);
        command.arg("-c").arg(&jar).arg("-b").arg(&jar).args(flags);
        for field in fields {
            command.args(["--data-urlencode", field]);
        }
        let out = command.arg(format!("{}{path}", self.base)).output().expect("curl (apt-get install curl)");
        assert!(out.status.success(), "curl {path}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    }
}

/// The agent at the console of machine `m` (its certificate fetched from the guest, kept in
/// `scratch`).
pub fn desk(m: &super::machine::Machine, scratch: &Path) -> Desk {
    let (code, pem, _) = m.run("cat /var/lib/guichet/console-cert.pem", std::time::Duration::from_secs(60));
    assert_eq!(code, 0, "the kiosk made no console certificate");
    let cert = scratch.join("console-cert.pem");
    std::fs::write(&cert, pem).unwrap();
    Desk::login(m.console_port, &cert, "agent", super::steps::PASSWORD)
}
