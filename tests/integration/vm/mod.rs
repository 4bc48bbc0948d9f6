//! The appliance, booted: the amd64 twin of the Pi package installed offline from a USB
//! stick in a Debian 12 virtual machine (systemd, a virtio-gpu DRM screen, a keyboard, a
//! tablet and a uinput touch screen through libinput, an HDA sound card recorded to WAV, a
//! serial ticket printer, no network beyond a forwarded console port), following the
//! technician's guide to the letter, then used as visitors and staff would.
//!
//! Run by `firmware-config/tests/vm-test.sh`, which builds the package, the bundle, the
//! stick and the system image, and sets GUICHET_VM_IMAGE, GUICHET_VM_STICK and
//! GUICHET_VM_DIR. Where to touch comes from the same UI laid out in-process on the
//! testing backend (as in the window test); what the panel shows is compared with the
//! headless render of the same screen, same configuration.

mod agent;
mod card;
mod clock;
mod console;
mod disk;
mod machine;
mod printer;
mod sound;
mod steps;
mod visits;
mod words;

use machine::{Arch, Image, Machine};
use printer::Printer;
use std::path::PathBuf;
use std::time::Duration;

const SITE: &str = "France Services de Saint-Martin";
/// The stick, mounted as the guide says (its USB disk may appear a little after the boot).
const STICK: &str = "for i in $(seq 60); do [ -e /dev/disk/by-label/GUICHET ] && break; sleep 1; done; \
                     mkdir -p /media/usb && (mountpoint -q /media/usb || mount -L GUICHET /media/usb)";

fn provision(m: &Machine, flags: &str) -> String {
    let bundle = "/media/usb/guichet-bundle";
    let command = format!("{STICK} && bash {bundle}/provision.sh --offline {bundle} {flags} 2>&1");
    let (code, out, err) = m.run(&command, Duration::from_secs(1500));
    println!("---- provision.sh {flags}\n{out}{err}");
    assert_eq!(code, 0, "provision.sh failed ({code}):\n{out}{err}");
    out
}

/// What every booted test starts with: the fonts and the in-process UI (to know where to
/// touch), its run folder, and a writable copy of `image` there named `disk`.
fn start(disk: &str, image: &std::path::Path) -> (PathBuf, PathBuf) {
    guichet::kiosk::fonts::install();
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let dir = setting("GUICHET_VM_DIR");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(disk);
    let copied =
        std::process::Command::new("cp").args(["--sparse=always", "--reflink=auto"]).arg(image).arg(&copy).status();
    assert!(copied.is_ok_and(|s| s.success()), "could not copy {}", image.display());
    (dir, copy)
}

/// Only these stages after the installation: GUICHET_VM_STAGES=disk,clock (vm-test.sh --run
/// --stages disk,clock), to try one fault stage without the whole run. Unset: the whole
/// run, where both fault stages follow the power cut, on boot 2.
fn only_stages() -> Option<String> {
    std::env::var("GUICHET_VM_STAGES").ok().filter(|s| !s.is_empty())
}

/// The stages that leave the machine as they found it: the SD card failing while the kiosk
/// runs (the data folder back on the root file system after), then the clock starting in
/// 1970 and set while it runs (put back to the host's time at the end).
fn faults(kiosk: &steps::Kiosk, stages: &str) {
    if stages.contains("disk") {
        timed("the card turning read-only", || disk::card_turns_read_only(kiosk));
    }
    if stages.contains("clock") {
        timed("the clock in 1970, then set", || clock::wrong_then_set(kiosk));
    }
}

fn timed(what: &str, stage: impl FnOnce()) {
    let started = std::time::Instant::now();
    stage();
    println!("---- stage: {what}: {} s", started.elapsed().as_secs());
}

fn setting(name: &str) -> PathBuf {
    PathBuf::from(
        std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run firmware-config/tests/vm-test.sh")),
    )
}

#[test]
#[ignore = "boots a virtual appliance for minutes: firmware-config/tests/vm-test.sh runs it"]
fn the_appliance_installs_offline_boots_on_drm_and_serves_visitors_and_staff() {
    let image_dir = setting("GUICHET_VM_IMAGE");
    let (dir, disk) = start("disk.img", &image_dir.join("root.img"));
    let image = Image {
        arch: Arch::Amd64,
        kernel: image_dir.join("vmlinuz"),
        initrd: image_dir.join("initrd.img"),
        disk,
        stick: Some(setting("GUICHET_VM_STICK")),
    };
    let printer = Printer::default();
    let landscape = (1280, 800);

    // ---- The technician: provision.sh from the stick, offline, then reboot.
    let m = Machine::boot(&image, &dir, 1, landscape, &printer);
    m.wait_booted(Duration::from_secs(300));
    let (_, route, _) = m.run("getent ahosts deb.debian.org || echo unreachable", Duration::from_secs(30));
    assert!(route.contains("unreachable"), "the machine must have no internet: {route}");
    let first = provision(
        &m,
        &format!(
            "--site '{SITE}' --hostname guichet-stmartin --display 1280x800@217x136 --printer serial:/dev/ttyS1@9600"
        ),
    );
    steps::doctor_output_passes(&first);
    let again = provision(
        &m,
        &format!(
            "--site '{SITE}' --hostname guichet-stmartin --display 1280x800@217x136 --printer serial:/dev/ttyS1@9600"
        ),
    );
    assert!(again.contains(" 0 change(s)"), "a second run must change nothing:\n{again}");
    steps::add_staff(&m);
    steps::reboot(&m);
    if let Some(stages) = only_stages() {
        let kiosk = steps::Kiosk::new(&m, landscape);
        kiosk.wait_up();
        faults(&kiosk, &stages);
        return;
    }

    // ---- A visitor, with keys, a finger and a pointer; the staff; the self-test.
    let kiosk = steps::Kiosk::new(&m, landscape);
    kiosk.wait_on_screen();
    kiosk.input_devices_open();
    let number = kiosk.visit_by_keys_touch_and_pointer();
    kiosk.ticket_in_database(&number);
    steps::printed(&printer, &number);
    kiosk.staff_panel_and_console();
    kiosk.doctor_in_sandbox();
    kiosk.watchdog_restarts_a_frozen_kiosk(&number);

    // ---- speech-dispatcher killed, then a power cut in the middle of a ticket.
    let before = kiosk.tickets();
    kiosk.start_ticket_and_cut_power();
    drop(kiosk);
    m.power_cut();
    let m = Machine::boot(&image, &dir, 2, landscape, &printer);
    m.wait_booted(Duration::from_secs(300));
    let kiosk = steps::Kiosk::new(&m, landscape);
    kiosk.wait_on_screen();
    kiosk.survived_power_cut(&before);
    // ---- The SD card failing under the running kiosk, then the clock in 1970.
    faults(&kiosk, "disk,clock");
    drop(kiosk);
    m.shut_down();

    // ---- A portrait panel (Touch Display 2), then the waiting-room board role: a third
    // boot, with the slow matrices (scripts/test-full.sh), to keep CI's run under budget.
    if std::env::var_os("GUICHET_FULL_MATRIX").is_none() {
        println!("---- the portrait panel and the board role: scripts/test-full.sh boots them");
        return;
    }
    timed("a portrait panel, then the board role", || {
        let portrait = (720, 1280);
        let m = Machine::boot(&image, &dir, 3, portrait, &printer);
        m.wait_booted(Duration::from_secs(300));
        provision(
            &m,
            &format!("--site '{SITE}' --display 720x1280@88x155 --printer serial:/dev/ttyS1@9600 --force-config"),
        );
        let kiosk = steps::Kiosk::new(&m, portrait);
        kiosk.wait_on_screen();
        kiosk.portrait_takes_a_touch();
        drop(kiosk);
        steps::board_role(&m, provision);
        m.shut_down();
    });
}
