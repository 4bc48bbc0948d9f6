//! The staff console through a real browser: Debian's chromium, driven by playwright-core
//! (tests/browser/console.mjs), against a console served on a real socket. The script
//! does what a member of staff does — scan a ticket, log in, call, serve, log out — with
//! the page's own links, fields and buttons only; this test then checks the database.
//!
//! Needs node, npm and /usr/bin/chromium (scripts/setup-debian.sh installs them); the
//! pinned playwright-core is installed by `npm ci` on first run (it never downloads a
//! browser). Screenshots go to a temporary folder, or to `GUICHET_BROWSER_SHOTS` if set.
//! The console listens on 127.0.0.1, or on `GUICHET_BROWSER_BIND` if set.

use guichet::core::catalogue::Catalogue;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::queue::Status;
use guichet::kiosk::ticket::{self, IssueContext};
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{self, Store, TicketRow};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
const NAME: &str = "marie";
const PASSWORD: &str = "Tournesol 42 !";
const DESK: &str = "Bureau 2";
/// What the script picks in the "Résultat" list, and what the database must then hold.
const OUTCOME: (&str, &str) = ("redirected", "Orienté ailleurs");
/// Where the visitor is sent, and who did the procedure (stored value, label).
const REDIRECT: &str = "Caisse d'allocations familiales (CAF)";
const AUTONOMY: (&str, &str) = ("with_them", "Fait avec la personne");
/// A visit takes a few seconds, the audit of every page two or three minutes; this only
/// stops a stuck browser.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(420);

pub(crate) fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// A program the test needs, or a failure that says how to get it.
fn require(program: &str, what: &str) {
    let found = Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    assert!(
        found.is_ok_and(|s| s.success()),
        "{what} ({program}) is needed for the browser test: run scripts/setup-debian.sh"
    );
}

/// node 20 or newer, as the pinned playwright-core needs (Debian 12's own nodejs is 18).
pub(crate) fn require_node() {
    let output = Command::new("node").arg("--version").output();
    let version = output.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    let major = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse::<u32>().ok());
    assert!(
        major.is_some_and(|m| m >= 20),
        "the browser test needs node 20 or newer, found {}: see scripts/setup-debian.sh",
        if version.is_empty() { "no node" } else { &version }
    );
}

/// Installs the pinned playwright-core, axe-core, Lighthouse and html-validate
/// (package-lock.json) if they are not there yet.
pub(crate) fn ensure_playwright() {
    // The browser tests run on parallel threads of one process: two `npm ci` at once in the
    // same folder leave it broken (seen in a fresh clone: a truncated playwright-core file
    // and npm's exit 217). One installs, the others wait and find it installed.
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = browser_dir();
    let packages = ["playwright-core", "axe-core", "lighthouse", "html-validate"];
    let installed = packages.iter().all(|p| dir.join("node_modules").join(p).join("package.json").is_file());
    if installed {
        return;
    }
    require("npm", "npm");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .status()
        .expect("npm could not be started");
    assert!(status.success(), "`npm ci` failed in {} ({status})", dir.display());
}

/// A request for an identity card in queue A, with nothing to show and no priority.
pub(crate) fn request(lang: Lang) -> TicketRequest {
    TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue: 'A',
        lang,
        have: vec![],
        priority: None,
    }
}

/// A ticket as the kiosk issues it: committed, with the URL its QR code carries.
struct Issued {
    id: i64,
    number: String,
    qr_url: String,
}

/// The kiosk's settings for issuing, its staff links opening `public_url`.
pub(crate) fn issue_context(public_url: &str) -> IssueContext {
    IssueContext {
        site_name: "France Services de test".into(),
        public_url: public_url.into(),
        minutes_per_visit: 15,
        desks: 2,
        follow_base: None,
    }
}

fn issue(store: &Store, catalogue: &Catalogue, public_url: &str, priority: Option<&str>) -> Issued {
    let context = issue_context(public_url);
    let request = TicketRequest {
        theme: "papiers".into(),
        procedure: "carte-identite".into(),
        queue: 'A',
        lang: Lang::Fr,
        have: vec!["id-card".into()],
        priority: priority.map(String::from),
    };
    let (issued, view) = ticket::issue(store, catalogue, &context, &request).expect("a ticket is issued");
    Issued { id: issued.id, number: issued.number, qr_url: view.url }
}

fn ticket_row(store: &Store, id: i64) -> TicketRow {
    let row = store.reader().with(|c| store::ticket_by_id(c, id)).expect("the store can be read");
    row.unwrap_or_else(|| panic!("ticket {id} is in the store"))
}

/// Runs `script` (in tests/browser), its output going to `log`; kills it after
/// [`SCRIPT_TIMEOUT`].
pub(crate) fn run_script(script: &str, env: &[(&str, String)], log: &Path) -> ExitStatus {
    let out = File::create(log).expect("a log file for the script");
    let err = out.try_clone().expect("a second handle on the log file");
    let mut child = Command::new("node")
        .arg(browser_dir().join(script))
        .current_dir(browser_dir())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("node could not be started");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("the script's status") {
            return status;
        }
        if started.elapsed() > SCRIPT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            let output = std::fs::read_to_string(log).unwrap_or_default();
            panic!("the browser script was still running after {SCRIPT_TIMEOUT:?}; its output:\n{output}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One browser test's run of its script: what it needs is checked (node, Chromium, the
/// pinned packages), and it gets a temporary folder, the file the script writes when it
/// is ready and the one it writes its result to, and the screenshots' folder (a
/// temporary one, or `GUICHET_BROWSER_SHOTS`).
pub(crate) struct Run {
    pub dir: tempfile::TempDir,
    pub ready: PathBuf,
    pub result: PathBuf,
    pub shots: PathBuf,
}

impl Run {
    pub fn start() -> Run {
        require_node();
        assert!(
            Path::new(CHROMIUM).is_file(),
            "{CHROMIUM} is needed for the browser test: run scripts/setup-debian.sh"
        );
        ensure_playwright();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let shots = std::env::var_os("GUICHET_BROWSER_SHOTS").map_or_else(|| dir.path().join("shots"), PathBuf::from);
        std::fs::create_dir_all(&shots).expect("a folder for the screenshots");
        Run { ready: dir.path().join("ready"), result: dir.path().join("result.json"), shots, dir }
    }

    /// The test's own variables, then those every script reads.
    pub fn env<const N: usize>(&self, own: [(&'static str, String); N]) -> Vec<(&'static str, String)> {
        let common = [
            ("GUICHET_READY_FILE", self.ready.display().to_string()),
            ("GUICHET_RESULT_FILE", self.result.display().to_string()),
            ("GUICHET_SHOTS_DIR", self.shots.display().to_string()),
            ("CHROMIUM_PATH", CHROMIUM.to_string()),
        ];
        own.into_iter().chain(common).collect()
    }

    /// Runs `script` with `env`, prints what it said, and fails the test if it failed.
    pub fn script(&self, script: &str, env: &[(&'static str, String)]) {
        let log = self.dir.path().join(format!("{script}.log"));
        let status = run_script(script, env, &log);
        let output = std::fs::read_to_string(&log).unwrap_or_default();
        println!("{output}");
        assert!(status.success(), "{script} failed in the browser ({status}); it said:\n{output}");
    }

    /// What the script wrote to its result file.
    pub fn result(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(&self.result).expect("the script's result")).expect("JSON")
    }
}

#[test]
fn staff_log_in_call_serve_and_log_out_in_a_real_browser() {
    let began = Instant::now();
    let run = Run::start();
    let store = Store::open(&run.dir.path().join("guichet.sqlite")).expect("a temporary store");
    let hash = staff::hash_password(PASSWORD).expect("a password hash");
    store.add_staff(NAME.into(), hash, guichet::store::Role::Admin).wait().expect("a staff account");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("the built-in catalogue"));
    let config = ConsoleConfig { site_name: "France Services de test".into(), ..ConsoleConfig::default() };
    let console = Console::new(store.clone(), catalogue.clone(), config);
    // Browsers send Fetch Metadata (`Sec-Fetch-Site`) to 127.0.0.1 but not to a plain-HTTP
    // LAN address: GUICHET_BROWSER_BIND=<this machine's LAN address>:0 tries the latter.
    let bind = std::env::var("GUICHET_BROWSER_BIND").unwrap_or_else(|_| "127.0.0.1:0".into());
    let addr = bind.parse().unwrap_or_else(|_| panic!("GUICHET_BROWSER_BIND={bind} is not an address:port"));
    let server = staff::spawn(console, addr).expect("the console starts");
    // The console never reads its `public_url`: the kiosk puts it in the QR code. The
    // kiosk here prints the address the server really listens on, so the code works.
    let base = format!("http://{}", server.addr);

    let first = issue(&store, &catalogue, &base, None);
    let urgent = issue(&store, &catalogue, &base, Some("mobility"));
    assert_eq!(first.qr_url, format!("{base}/t/{}", ticket_row(&store, first.id).token));

    let env = run.env([
        ("GUICHET_BASE_URL", base.clone()),
        ("GUICHET_STAFF_NAME", NAME.to_string()),
        ("GUICHET_STAFF_PASSWORD", PASSWORD.to_string()),
        ("GUICHET_TICKET_URL", first.qr_url.clone()),
        ("GUICHET_TICKET_NUMBER", first.number.clone()),
        ("GUICHET_PRIORITY_NUMBER", urgent.number.clone()),
        ("GUICHET_DESK", DESK.to_string()),
        ("GUICHET_OUTCOME_LABEL", OUTCOME.1.to_string()),
        ("GUICHET_REDIRECT_LABEL", REDIRECT.to_string()),
        ("GUICHET_AUTONOMY_LABEL", AUTONOMY.1.to_string()),
    ]);
    let script_began = Instant::now();
    run.script("console.mjs", &env);

    let called = ticket_row(&store, urgent.id);
    assert_eq!(called.status, Status::Done, "{} was finished in the browser", urgent.number);
    assert_eq!(called.outcome.as_deref(), Some(OUTCOME.0), "with the outcome chosen in the browser");
    assert_eq!(called.redirect_to.as_deref(), Some(REDIRECT), "and where the visitor was sent");
    assert_eq!(called.autonomy.as_deref(), Some(AUTONOMY.0), "and who did the procedure");
    assert_eq!(called.desk.as_deref(), Some(DESK), "at the desk typed in the browser");
    let other = ticket_row(&store, first.id);
    assert_eq!(other.status, Status::Waiting, "{} still waits: the priority ticket went first", first.number);

    server.stop();
    println!(
        "browser test: {:.1} s in the browser, {:.1} s in all; screenshots in {}",
        script_began.elapsed().as_secs_f64(),
        began.elapsed().as_secs_f64(),
        run.shots.display()
    );
}
