//! The console as a desk tool, in Debian's chromium (tests/browser/desk.mjs): with twelve
//! people waiting, how many rows a desk sees without scrolling at 1366×768, where the
//! first ticket is on a phone (360×740), how many clicks take a visitor from "call next"
//! to "finished, with an outcome" at both sizes, the keyboard shortcuts, the confirmation
//! before "Absent" and "Annuler" — with no page load on the way (the page script swaps the
//! page) — the kiosk's call for help, printer and disk alerts in the tab's title and as a
//! tone the browser plays, and a visit without JavaScript. The script asks this test to
//! play the kiosk (a call for help, the paper running out, the printer back, the disk full,
//! the disk fixed) by writing a request file; this test then checks the database.

use super::browser::{issue_context, request, Run};
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::core::queue::Status;
use guichet::hardware::printer_status::PrinterState;
use guichet::health::Health;
use guichet::kiosk::ticket;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{self, Role, Store, TicketRow};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const NAME: &str = "nadia";
const PASSWORD: &str = "Bleuet du matin 3";
const DESK: &str = "Bureau 1";

/// Twelve people waiting, in five languages, some with a priority, some lacking papers.
fn twelve_waiting(store: &Store, public_url: &str) -> Vec<TicketRow> {
    let catalogue = guichet::assets::load_catalogue(None).expect("the built-in catalogue");
    let context = issue_context(public_url);
    let langs = [Lang::Fr, Lang::Ar, Lang::Uk, Lang::Fr, Lang::Tr];
    (0..12)
        .map(|i| {
            let request = TicketRequest {
                have: if i % 3 == 0 { vec!["id-card".into()] } else { vec![] },
                priority: (i % 5 == 2).then(|| "mobility".to_string()),
                ..request(langs[i % langs.len()])
            };
            let (issued, _) = ticket::issue(store, &catalogue, &context, &request).expect("a ticket is issued");
            row(store, issued.id)
        })
        .collect()
}

fn row(store: &Store, id: i64) -> TicketRow {
    let row = store.reader().with(|c| store::ticket_by_id(c, id)).expect("the store can be read");
    row.unwrap_or_else(|| panic!("ticket {id} is in the store"))
}

/// The kiosk's side, on request of the script: `<dir>/<what>` appears, this does it and
/// writes `<dir>/<what>.done`.
fn play_the_kiosk(dir: &Path, store: &Store, health: &Health, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        for what in ["help", "paper-out", "printer-ready", "disk-full", "disk-fixed"] {
            let asked = dir.join(what);
            if !asked.exists() {
                continue;
            }
            match what {
                "help" => drop(store.call_help("Borne 1".into(), "Accueil".into()).wait().expect("a call for help")),
                "paper-out" => health.printer(PrinterState::PaperOut),
                "disk-full" => health.fault("disk", "le disque de la borne est plein"),
                "disk-fixed" => health.fixed("disk"),
                _ => health.printer(PrinterState::Ready),
            }
            std::fs::remove_file(&asked).expect("the request is taken");
            std::fs::write(dir.join(format!("{what}.done")), "").expect("the answer is written");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_desk_calls_serves_and_ends_a_visit_in_three_clicks_and_hears_the_kiosk() {
    let run = Run::start();
    let store = Store::open(&run.dir.path().join("guichet.sqlite")).expect("a temporary store");
    let hash = staff::hash_password(PASSWORD).expect("a password hash");
    store.add_staff(NAME.into(), hash, Role::Agent).wait().expect("an agent account");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("the built-in catalogue"));
    let config = ConsoleConfig { site_name: "France Services de test".into(), ..ConsoleConfig::default() };
    let health = Health::new();
    health.printer(PrinterState::Ready);
    let console = Console::new(store.clone(), catalogue, config).with_health(health.clone());
    let server = staff::spawn(console, "127.0.0.1:0".parse().expect("an address")).expect("the console starts");
    let base = format!("http://{}", server.addr);
    let waiting = twelve_waiting(&store, &base);
    let numbers: Vec<&str> = waiting.iter().map(|t| t.number.as_str()).collect();

    let requests = run.dir.path().join("kiosk");
    std::fs::create_dir_all(&requests).expect("a folder for the kiosk's requests");
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| play_the_kiosk(&requests, &store, &health, &stop));
        let env = run.env([
            ("GUICHET_BASE_URL", base.clone()),
            ("GUICHET_STAFF_NAME", NAME.to_string()),
            ("GUICHET_STAFF_PASSWORD", PASSWORD.to_string()),
            ("GUICHET_DESK", DESK.to_string()),
            ("GUICHET_WAITING", numbers.join(" ")),
            ("GUICHET_KIOSK_DIR", requests.display().to_string()),
        ]);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run.script("desk.mjs", &env)));
        stop.store(true, Ordering::Relaxed);
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    });
    server.stop();

    let result = run.result();
    println!("desk figures: {result}");
    // What the browser did, as the database saw it: the visitors it served ended with the
    // outcome it chose, the one it noted absent after confirming, the one it kept.
    for served in result["served"].as_array().expect("the served visitors") {
        let (number, outcome) = (served[0].as_str().unwrap_or_default(), served[1].as_str().unwrap_or_default());
        let ticket = waiting.iter().find(|t| t.number == number).expect("a ticket of the morning");
        let now = row(&store, ticket.id);
        assert_eq!((now.status, now.outcome.as_deref()), (Status::Done, Some(outcome)), "{number}");
        assert_eq!(now.desk.as_deref(), Some(DESK), "{number} at the desk chosen in the browser");
    }
    let absent = result["absent"].as_str().expect("the visitor noted absent");
    let absent = waiting.iter().find(|t| t.number == absent).expect("a ticket of the morning");
    assert_eq!(row(&store, absent.id).status, Status::NoShow, "noted absent once confirmed");
    let kept = result["kept"].as_str().expect("the visitor whose cancel was not confirmed");
    let kept = waiting.iter().find(|t| t.number == kept).expect("a ticket of the morning");
    assert_ne!(row(&store, kept.id).status, Status::Cancelled, "not cancelled without the confirmation");
}
