//! The printer out of paper, its cover open, or offline, seen from the kiosk: the ticket
//! is saved and shown anyway, the ticket screen tells the visitor to ask the desk for a
//! paper ticket (in every language, nothing cut), staff see the state, and when the
//! printer is back the next ticket prints. The printer is the real ESC/POS adapter over
//! the simulated port (its `status` file gives the replies to DLE EOT); the states' bytes
//! on a serial line and a network port are in `printer.rs`.

use crate::degraded_kiosk::{ask_for_a_ticket, child_data, kiosk, run_child, saved_numbers};
use guichet::core::journey::Event;
use guichet::core::lang::Lang;
use guichet::hardware::escpos::Layout;
use guichet::hardware::printer::{EscPosPrinter, FolderPrinter};
use guichet::hardware::printer_status::PrinterState;
use guichet::health::Health;
use guichet::ui::{KioskApi, PrintState};
use slint::ComponentHandle;
use std::time::Duration;

const CHILD: &str = "degraded_printer::a_kiosk_whose_printer_stops";

#[test]
fn a_printer_that_stops_leaves_the_ticket_saved_shown_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    run_child(CHILD, dir.path(), None);
}

/// Run by the test above only (one testing backend per process).
#[test]
#[ignore = "run by a_printer_that_stops_leaves_the_ticket_saved_shown_and_explained"]
fn a_kiosk_whose_printer_stops() {
    let Some(data) = child_data() else { return };
    let paper = data.join("printer");
    std::fs::create_dir_all(&paper).unwrap();
    let port = Box::new(FolderPrinter(paper.clone()));
    let printer = Box::new(EscPosPrinter::new(port, Layout::default(), Duration::from_millis(500)));
    let health = Health::new();
    let rig = kiosk(&data, Some(printer), &health);
    let print_state = |state: PrintState| {
        rig.pump_until("the printer's news", |r| r.app().global::<KioskApi>().get_print_state() == state);
        rig.app().global::<KioskApi>().get_print_state() == state
    };
    let mut shown = Vec::new();
    let states = [
        ("paper-out", PrinterState::PaperOut),
        ("cover-open", PrinterState::CoverOpen),
        ("offline", PrinterState::Offline),
    ];
    for (n, lang) in Lang::ALL.into_iter().enumerate() {
        let (word, state) = states[n % states.len()];
        std::fs::write(paper.join("status"), word).unwrap();
        rig.transcript.clear();
        let number = ask_for_a_ticket(&rig, lang).unwrap_or_else(|| panic!("{word}: no ticket shown"));
        assert!(print_state(PrintState::Failed), "{word}: the screen does not say the printer failed");
        assert_eq!(health.snapshot().printer, Some(state));
        assert!(!paper.join(format!("{number}.escpos")).exists(), "{word}: printed anyway");
        // What the visitor hears (and reads) in their language, and nothing cut.
        let told = crate::common::ui_tr(
            lang,
            "L'imprimante ne marche pas. Retenez votre numéro, ou demandez un ticket papier à l'accueil.",
        );
        assert!(rig.heard(&told), "{lang:?}: {:?}", rig.transcript.said());
        assert_eq!(rig.cut_texts(), Vec::<String>::new(), "{lang:?}: cut on the ticket screen");
        shown.push(number);
        rig.kiosk.handle(Event::Finish);
    }
    // The printer is back (no status file: ready): the next ticket prints.
    std::fs::remove_file(paper.join("status")).unwrap();
    let number = ask_for_a_ticket(&rig, Lang::Fr).expect("a ticket");
    assert!(print_state(PrintState::Printed));
    assert_eq!(health.snapshot().printer, Some(PrinterState::Ready));
    assert!(paper.join(format!("{number}.escpos")).exists());
    shown.push(number);
    shown.sort();
    drop(rig);
    assert_eq!(saved_numbers(&data), shown, "every ticket shown was saved");
}
