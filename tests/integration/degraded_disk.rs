//! The disk fills while the kiosk runs: a visitor asking for a ticket is told it could not
//! be made (no number shown that is not stored), the screen answers, staff see the fault
//! (console banner, status LED), nothing saved before is lost, and the next ticket after
//! space comes back is saved and clears the fault.
//!
//! The kiosk (testing backend, real store thread and issuer) runs in a child test process
//! inside a mount namespace of its own, its data directory a 2 MB tmpfs it fills itself.

use crate::degraded_kiosk::{ask_for_a_ticket, child_data, kiosk, run_child, saved_numbers};
use crate::startup::in_own_mounts;
use guichet::core::journey::Event;
use guichet::core::lang::Lang;
use guichet::hardware::lamp::Lamp;
use guichet::health::Health;
use guichet::ui::KioskApi;
use slint::ComponentHandle;
use std::io::Write;
use std::path::{Path, PathBuf};

const CHILD: &str = "degraded_disk::a_kiosk_whose_disk_fills";

#[test]
fn a_disk_that_fills_while_the_kiosk_runs_loses_nothing_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let script = r#"mount -t tmpfs -o size=2m,mode=0755 guichet-disk "$D"
        exec "$T" --exact "$C" --ignored --nocapture --test-threads=1"#;
    let Some(command) = in_own_mounts(&data, script) else { return };
    run_child(CHILD, &data, Some(command));
}

/// Run by the test above only (in its mount namespace).
#[test]
#[ignore = "run by a_disk_that_fills_while_the_kiosk_runs_loses_nothing_and_recovers"]
fn a_kiosk_whose_disk_fills() {
    let Some(data) = child_data() else { return };
    let health = Health::new();
    let rig = kiosk(&data, None, &health);
    let first = ask_for_a_ticket(&rig, Lang::Fr).expect("a ticket on a disk with room");
    rig.kiosk.handle(Event::Finish);

    let filler = fill(&data);
    rig.transcript.clear();
    assert_eq!(ask_for_a_ticket(&rig, Lang::Fr), None, "a ticket shown that was not saved");
    let api = rig.app().global::<KioskApi>();
    assert!(api.get_ticket_failed() && api.get_ticket_number().is_empty());
    assert!(rig.heard("Le ticket n'a pas pu être créé"), "the visitor was not told: {:?}", rig.transcript.said());
    let snapshot = health.snapshot();
    let fault = snapshot.faults.iter().find(|f| f.part == "disk").expect("staff see the fault");
    assert!(fault.problem.what.contains("le disque de la borne est plein"), "{}", fault.problem.what);
    assert_eq!(Lamp::from_health(&health), Lamp::Fault);

    // Space comes back: the same visitor touches "Prendre mon ticket" again.
    std::fs::remove_file(filler).unwrap();
    let second = ask_for_a_ticket(&rig, Lang::Fr).expect("a ticket once there is room again");
    assert!(health.snapshot().faults.is_empty(), "{:?}", health.snapshot().faults);
    drop(rig);
    let mut shown = vec![first, second];
    shown.sort();
    assert_eq!(saved_numbers(&data), shown, "the tickets saved are the ones shown, none lost");
}

/// Fills the file system holding `dir` to the last byte.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = [0u8; 4096];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
    path
}
