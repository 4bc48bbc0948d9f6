//! Putting each screen up, in each language, the way a visitor would see it.

use crate::common::Rig;
use guichet::core::journey::{Event, Screen};
use guichet::core::lang::Lang;
use guichet::ui::KioskApi;
use slint::ComponentHandle;

/// Every screen and overlay a visitor can see.
pub use crate::common::displays::SCREENS as ALL;

/// Shows `name` in `lang` (a real ticket for the ticket screen) and lets it settle.
pub fn show(r: &Rig, name: &str, lang: Lang) {
    let base = match name {
        "staff" => Screen::Attract,
        _ => Screen::from_name(name).unwrap_or(Screen::Theme),
    };
    if base == Screen::Ticket {
        r.kiosk.show(Screen::Summary, lang);
        r.settle();
        r.app().global::<KioskApi>().invoke_get_ticket();
        r.pump_until("the ticket", |r| r.app().global::<KioskApi>().get_screen() == guichet::ui::Screen::Ticket);
    } else {
        r.kiosk.show(base, lang);
    }
    let api = r.app().global::<KioskApi>();
    match name {
        "help" => api.invoke_help(true),
        "settings" => api.invoke_settings(true),
        "staff" => {
            r.kiosk.set_console(Some(&example_console()));
            api.invoke_staff(true);
        }
        "warning" => {
            for _ in 0..crate::common::POLICY.timeout - crate::common::POLICY.warning {
                r.kiosk.handle(Event::Tick);
            }
        }
        _ => {}
    }
    r.settle();
}

/// A console over HTTPS, as a kiosk on the office network shows it on its staff panel.
pub fn example_console() -> guichet::kiosk::staff::ConsoleInfo {
    guichet::kiosk::staff::ConsoleInfo {
        address: "https://guichet-saint-martin.local:8080".into(),
        fingerprint: Some(
            "3A:7F:00:C2:19:D4:8B:E6:51:0F:AA:94:2C:6D:B3:17:E8:45:9C:01:7E:D2:66:B8:F3:0A:5C:91:24:DE:8F:13".into(),
        ),
    }
}

/// Closes overlays so the next `show` starts clean.
pub fn close_overlays(r: &Rig) {
    let api = r.app().global::<KioskApi>();
    api.invoke_help(false);
    api.invoke_settings(false);
    api.invoke_staff(false);
    r.kiosk.handle(Event::MoreTime);
    r.settle();
}

/// Title and instruction of the frame on top (screens and overlays are labelled groups).
pub fn top_frame(r: &Rig) -> (String, String) {
    let frames = i_slint_backend_testing::ElementQuery::from_root(r.app())
        .match_accessible_role(i_slint_backend_testing::AccessibleRole::Groupbox)
        .find_all();
    frames
        .last()
        .map(|f| {
            let s = |v: Option<slint::SharedString>| v.map(|s| s.to_string()).unwrap_or_default();
            (s(f.accessible_label()), s(f.accessible_description()))
        })
        .unwrap_or_default()
}
