//! A whole visit with keys only (EN 301 549 5.1.3, closed functionality): no touch, the
//! focus moved with the arrows and each control said as it takes the focus, Enter to
//! choose, in French and in Arabic (where Left moves forward). The keys are the
//! window's own key events, as a keyboard, a USB keypad or the GPIO keypad send them.

use crate::common::{rig, ui_tr, Rig};
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use guichet::ui::{KioskApi, Screen};
use libtest_mimic::Failed;
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, SharedString};

pub const CHECKS: &[(&str, Check)] = &[
    ("5_1_3_a_whole_visit_with_keys_only_in_french", visit_fr),
    ("5_1_3_a_whole_visit_with_keys_only_in_arabic", visit_ar),
    ("keypad_keys_stand_for_keyboard_keys", keypad),
];

fn key(r: &Rig, text: impl Into<SharedString>) {
    let text = text.into();
    r.app().window().dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
    r.app().window().dispatch_event(WindowEvent::KeyReleased { text });
    r.pump();
    r.settle();
}

fn focused(r: &Rig) -> String {
    r.app().global::<KioskApi>().get_focus_name().to_string()
}

fn screen(r: &Rig) -> Screen {
    r.app().global::<KioskApi>().get_screen()
}

/// Moves the focus with `next` until the focused control's name starts with `label`,
/// checking that each control reached is said.
fn focus_on(r: &Rig, next: &SharedString, label: &str) -> Result<(), Failed> {
    for _ in 0..40 {
        if focused(r).starts_with(label) {
            return Ok(());
        }
        key(r, next.clone());
        let name = focused(r);
        ensure!(!name.is_empty(), "no focus after a key on {:?}", screen(r));
        // Speech drops the isolation marks around Latin words in Arabic.
        ensure!(r.heard(&guichet::core::bidi::strip_isolates(&name)), "focus on {name:?} was not said");
    }
    Err(format!("{label:?} never took the focus on {:?} (last: {:?})", screen(r), focused(r)).into())
}

/// Enter on the focused control, which must be `label`.
fn choose(r: &Rig, label: &str) -> Result<(), Failed> {
    ensure!(focused(r).starts_with(label), "focus on {:?}, not {label:?}", focused(r));
    key(r, Key::Return);
    Ok(())
}

fn visit(lang: Lang, next: SharedString) -> Result<(), Failed> {
    let r = rig();
    let t = |fr: &str| ui_tr(lang, fr);
    ensure!(screen(&r) == Screen::Attract, "the visit does not start on the first screen");
    // The first key says how the keys work and where the focus is, and does nothing else.
    key(&r, Key::Return);
    ensure!(screen(&r) == Screen::Attract, "the first key acted");
    ensure!(r.heard("Passez d'un bouton à l'autre"), "the first key did not say how the keys work");
    ensure!(focused(&r).starts_with("Commencer"), "the first screen starts on {:?}", focused(&r));
    choose(&r, "Commencer")?;
    ensure!(screen(&r) == Screen::Language, "Commencer did not open the languages");
    focus_on(&r, &next, lang.native_name())?;
    choose(&r, lang.native_name())?;
    ensure!(screen(&r) == Screen::Theme, "no theme screen after the language");
    let theme = r.tr(lang, "Papiers et permis");
    ensure!(r.heard(&theme), "the theme screen did not say its first theme");
    focus_on(&r, &next, &theme)?;
    choose(&r, &theme)?;
    let procedure = r.tr(lang, "Carte d'identité ou passeport");
    focus_on(&r, &next, &procedure)?;
    choose(&r, &procedure)?;
    ensure!(screen(&r) == Screen::Have, "no 'have' screen");
    let id = r.tr(lang, "Ma pièce d'identité");
    focus_on(&r, &next, &id)?;
    choose(&r, &id)?;
    ensure!(r.heard(&t("Coché")), "a ticked choice does not say it is ticked");
    focus_on(&r, &next, &t("Continuer"))?;
    choose(&r, &t("Continuer"))?;
    ensure!(screen(&r) == Screen::Priority, "no priority screen");
    let wait = r.tr(lang, "Non, je peux attendre");
    focus_on(&r, &next, &wait)?;
    choose(&r, &wait)?;
    ensure!(screen(&r) == Screen::Summary, "no summary");
    // Read every page, then take the ticket.
    let ticket = t("Prendre mon ticket");
    for _ in 0..8 {
        if r.find(&ticket).is_empty() {
            focus_on(&r, &next, &t("Lire la suite"))?;
            key(&r, Key::Return);
        }
    }
    focus_on(&r, &next, &ticket)?;
    choose(&r, &ticket)?;
    r.pump_until("the ticket", |r| screen(r) == Screen::Ticket);
    let open = r.store.reader().with(guichet::store::open_tickets)?;
    ensure!(open.len() == 1, "{} tickets in the queue, not 1", open.len());
    Ok(())
}

fn visit_fr() -> Result<(), Failed> {
    visit(Lang::Fr, Key::DownArrow.into())
}

fn visit_ar() -> Result<(), Failed> {
    // Right to left: the left arrow moves forward.
    visit(Lang::Ar, Key::LeftArrow.into())
}

/// Each keypad key sends the window the key a keyboard user would press.
fn keypad() -> Result<(), Failed> {
    use guichet::hardware::keys::Key as Pad;
    let r = rig();
    key(&r, Key::Return); // the first key
    guichet::kiosk::press(r.app(), Pad::Validate);
    r.pump();
    ensure!(screen(&r) == Screen::Language, "Validate did not start the visit");
    let first = focused(&r);
    guichet::kiosk::press(r.app(), Pad::Next);
    r.pump();
    r.settle();
    ensure!(focused(&r) != first, "Next did not move the focus");
    guichet::kiosk::press(r.app(), Pad::Previous);
    r.pump();
    r.settle();
    ensure!(focused(&r) == first, "Previous did not come back");
    guichet::kiosk::press(r.app(), Pad::Back);
    r.pump();
    ensure!(screen(&r) == Screen::Attract, "Back did not go back");
    guichet::kiosk::press(r.app(), Pad::Help);
    r.pump();
    ensure!(r.app().global::<KioskApi>().get_help_open(), "Help did not open help");
    Ok(())
}
