//! What the degraded-mode tests share: a kiosk on Slint's testing backend with the real
//! store thread and issuer, run in a child test process of its own (one testing backend
//! per process; some children also need a mount namespace), and a visitor asking for a
//! ticket from the summary.

use crate::common::Rig;
use guichet::core::journey::{Event, Screen};
use guichet::core::lang::Lang;
use guichet::hardware::printer::TicketPrinter;
use guichet::health::Health;
use guichet::kiosk::{Kiosk, KioskServices};
use guichet::speech::Transcript;
use guichet::store::Store;
use guichet::ui::KioskApi;
use slint::ComponentHandle;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The environment variable naming a child's data directory.
pub(crate) const CHILD_DATA: &str = "GUICHET_DEGRADED_CHILD";

/// This test binary running only the ignored test `name`, with `CHILD_DATA` set to `data`:
/// through `wrapper` (a command such as `unshare … sh -ec SCRIPT sh`, which runs `"$T"
/// --exact "$C" …` itself) or directly.
pub(crate) fn run_child(name: &str, data: &Path, wrapper: Option<Command>) {
    let me = std::env::current_exe().unwrap();
    let args = ["--exact", name, "--ignored", "--nocapture", "--test-threads=1"];
    let mut command = wrapper.unwrap_or_else(|| {
        let mut direct = Command::new(&me);
        direct.args(args);
        direct
    });
    let out = command.env("T", &me).env("C", name).env(CHILD_DATA, data).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && text.contains("1 passed"), "{text}");
}

/// The data directory a child test was given; `None` (and a note) when it runs on its
/// own, e.g. under `--ignored`: it does nothing then.
pub(crate) fn child_data() -> Option<PathBuf> {
    let data = std::env::var_os(CHILD_DATA).map(PathBuf::from);
    if data.is_none() {
        eprintln!("nothing done: this test is run by its parent test, in a process of its own");
    }
    data
}

/// A kiosk on the testing backend, its store in `data`, at 1280 × 800; the test rig's
/// helpers (pump, cut texts, what was heard) work on it.
pub(crate) fn kiosk(data: &Path, printer: Option<Box<dyn TicketPrinter>>, health: &Health) -> Rig {
    guichet::kiosk::fonts::install();
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let store = Store::open(&data.join("guichet.sqlite")).unwrap();
    let catalogue = std::sync::Arc::new(guichet::assets::load_catalogue(None).unwrap());
    let transcript = Transcript::default();
    let kiosk = Kiosk::new(KioskServices {
        store: store.clone(),
        catalogue: catalogue.clone(),
        speaker: guichet::speech::recording(transcript.clone()),
        printer,
        issue: guichet::kiosk::ticket::IssueContext {
            site_name: "Essai".into(),
            public_url: "http://kiosk.test:8080".into(),
            minutes_per_visit: 15,
            desks: 2,
            follow_base: None,
        },
        idle: crate::common::POLICY,
        px_per_mm: guichet::config::Display::default().px_per_mm(),
        health: health.clone(),
    })
    .unwrap();
    kiosk.window().window().set_size(slint::LogicalSize::new(1280.0, 800.0));
    kiosk.window().show().unwrap();
    let rig = Rig { kiosk, store, catalogue, transcript, dir: tempfile::tempdir().unwrap() };
    rig.settle();
    rig
}

/// From the summary in `lang`, "Prendre mon ticket": the number shown, or `None` when the
/// kiosk said it could not make one. The answer comes through the worker channel within
/// seconds: the UI thread never waits for the store or the printer.
pub(crate) fn ask_for_a_ticket(rig: &Rig, lang: Lang) -> Option<String> {
    let api = rig.app().global::<KioskApi>();
    if api.get_screen() != guichet::ui::Screen::Summary {
        rig.kiosk.show(Screen::Summary, lang);
    }
    let started = Instant::now();
    rig.kiosk.handle(Event::GetTicket);
    let answered = |r: &Rig| {
        let api = r.app().global::<KioskApi>();
        api.get_screen() == guichet::ui::Screen::Ticket || api.get_ticket_failed()
    };
    rig.pump_until("an answer to Prendre mon ticket", answered);
    assert!(answered(rig), "no answer to Prendre mon ticket");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    (api.get_screen() == guichet::ui::Screen::Ticket).then(|| api.get_ticket_number().to_string())
}

/// The numbers of the tickets saved in `data`'s database, sorted.
pub(crate) fn saved_numbers(data: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(data.join("guichet.sqlite")).unwrap();
    let mut statement = conn.prepare("SELECT number FROM tickets").unwrap();
    let mut numbers: Vec<String> = statement.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    numbers.sort();
    numbers
}
