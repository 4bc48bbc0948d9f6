//! The staff panel: a finger held 5 s on the welcome screen's top corner (or Ctrl+Alt+P)
//! shows where the staff console is and its certificate's fingerprint; a short touch
//! there, or the same press during a visit, does nothing; it closes with Close, Escape or
//! by itself after two minutes.

use crate::common::{rig, Rig};
use crate::screens::top_frame;
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use guichet::kiosk::staff::ConsoleInfo;
use guichet::ui::{KioskApi, Screen, Theme};
use i_slint_backend_testing::mock_elapsed_time;
use libtest_mimic::Failed;
use slint::platform::{Key, PointerEventButton, WindowEvent};
use slint::{ComponentHandle, LogicalPosition, SharedString};
use std::time::Duration;

pub const CHECKS: &[(&str, Check)] = &[("staff_panel_opens_on_a_long_press_and_shows_the_fingerprint", panel)];

const FINGERPRINT: &str =
    "3A:7F:00:C2:19:D4:8B:E6:51:0F:AA:94:2C:6D:B3:17:E8:45:9C:01:7E:D2:66:B8:F3:0A:5C:91:24:DE:8F:13";

fn open(r: &Rig) -> bool {
    r.app().global::<KioskApi>().get_staff_open()
}

/// A finger on the top corner of the start side, held `held`, then lifted.
fn hold_corner(r: &Rig, held: Duration) {
    let mm = r.app().global::<Theme>().get_mm();
    let at = LogicalPosition::new(8.0 * mm, 8.0 * mm);
    let window = r.app().window();
    window.dispatch_event(WindowEvent::PointerMoved { position: at });
    window.dispatch_event(WindowEvent::PointerPressed { position: at, button: PointerEventButton::Left });
    r.settle();
    mock_elapsed_time(held);
    r.settle();
    window.dispatch_event(WindowEvent::PointerReleased { position: at, button: PointerEventButton::Left });
    window.dispatch_event(WindowEvent::PointerExited);
    r.pump();
}

fn keys(r: &Rig, pressed: &[SharedString]) {
    for text in pressed {
        r.app().window().dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
    }
    for text in pressed.iter().rev() {
        r.app().window().dispatch_event(WindowEvent::KeyReleased { text: text.clone() });
    }
    r.pump();
}

fn panel() -> Result<(), Failed> {
    let r = rig();
    let info = ConsoleInfo { address: "https://guichet.local:8443".into(), fingerprint: Some(FINGERPRINT.into()) };
    r.kiosk.set_console(Some(&info));
    r.settle();
    hold_corner(&r, Duration::from_millis(1500));
    ensure!(!open(&r), "a short touch on the corner opened the staff panel");
    hold_corner(&r, Duration::from_secs(5));
    ensure!(open(&r), "holding the corner 5 s did not open the staff panel");
    ensure!(top_frame(&r).0 == "Pour le personnel", "on top: {:?}", top_frame(&r));
    ensure!(r.heard("Pour le personnel"), "the panel was not said");
    // The fingerprint, on four lines of eight pairs, and the address, as text on screen.
    let lines = guichet::kiosk::staff::fingerprint_lines(FINGERPRINT);
    ensure!(!r.find(&format!("Empreinte du certificat. {lines}")).is_empty(), "no fingerprint on the panel");
    ensure!(!r.find("Adresse de la console. https://guichet.local:8443").is_empty(), "no address on the panel");
    ensure!(!r.find("Code QR de la console du personnel").is_empty(), "no QR code on the panel");
    for large in [false, true] {
        r.app().global::<Theme>().set_large(large);
        let cut = r.cut_texts();
        ensure!(cut.is_empty(), "cut on the staff panel (large print {large}): {cut:?}");
    }
    r.app().global::<Theme>().set_large(false);
    r.settle();
    r.tap("Fermer");
    ensure!(!open(&r), "Fermer left the staff panel open");

    // Keyboard: Ctrl+Alt+P opens it, Escape closes it; left open, it closes by itself.
    keys(&r, &[Key::Control.into(), Key::Alt.into(), "p".into()]);
    ensure!(open(&r), "Ctrl+Alt+P did not open the staff panel");
    keys(&r, &[Key::Escape.into()]);
    ensure!(!open(&r), "Escape left the staff panel open");
    hold_corner(&r, Duration::from_secs(5));
    ensure!(open(&r), "the panel did not open a second time");
    mock_elapsed_time(Duration::from_secs(121));
    r.settle();
    ensure!(!open(&r), "the staff panel stayed open two minutes");

    // During a visit the corner is the screen's own (Back stands there): no staff panel.
    r.kiosk.show(guichet::core::journey::Screen::Theme, Lang::Fr);
    r.settle();
    hold_corner(&r, Duration::from_secs(6));
    ensure!(!open(&r), "the staff panel opened during a visit");
    ensure!(r.app().global::<KioskApi>().get_screen() != Screen::Attract, "the press ended the visit");

    // No console in this process: the panel says so, with no address and no QR code.
    r.kiosk.set_console(None);
    r.kiosk.show(guichet::core::journey::Screen::Attract, Lang::Fr);
    r.settle();
    hold_corner(&r, Duration::from_secs(5));
    ensure!(open(&r), "the panel did not open without a console");
    ensure!(top_frame(&r).1.contains("ne tourne pas"), "without a console: {:?}", top_frame(&r));
    ensure!(r.find("Code QR de la console du personnel").is_empty(), "a QR code without a console");

    // Its port held by another program: the panel names the port and the setting.
    r.kiosk.set_console_port_taken(Some(8080));
    r.settle();
    let said = top_frame(&r).1;
    ensure!(said.contains("le port 8080 est déjà pris") && said.contains("[console] bind"), "port taken: {said:?}");
    for large in [false, true] {
        r.app().global::<Theme>().set_large(large);
        let cut = r.cut_texts();
        ensure!(cut.is_empty(), "cut on the staff panel, port taken (large print {large}): {cut:?}");
    }
    Ok(())
}
