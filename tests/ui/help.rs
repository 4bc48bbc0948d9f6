//! Help that brings a person: "Appeler quelqu'un" on the Help screen reaches the staff
//! side (which kiosk, which screen, nothing about the visitor); when a staff member
//! answers, the visitor sees and hears that someone is coming, even with the Help screen
//! closed; a visit that ends withdraws a call nobody answered.

use crate::common::{rig, POLICY};
use crate::screens::top_frame;
use crate::{ensure, Check};
use guichet::core::journey::{Event, Screen};
use guichet::core::lang::Lang;
use libtest_mimic::Failed;

pub const CHECKS: &[(&str, Check)] = &[("help_call_brings_someone_and_the_visitor_hears_it", help_call)];

fn help_call() -> Result<(), Failed> {
    let r = rig();
    r.kiosk.show(Screen::Procedure, Lang::Fr);
    r.settle();
    r.tap("Aide");
    r.settle();
    ensure!(r.find("Aide").is_empty(), "the Help screen shows a Help button");
    r.tap("Appeler quelqu'un");
    r.settle();
    let calls = r.store.open_help().wait()?;
    ensure!(calls.len() == 1, "calls: {calls:?}");
    ensure!(calls[0].kiosk == "Test" && calls[0].screen == "choix de la démarche", "call: {:?}", calls[0]);
    let (_, said) = top_frame(&r);
    ensure!(said.starts_with("L'accueil est prévenu"), "after the call the screen says {said:?}");
    ensure!(r.heard("L'accueil est prévenu"), "the call is not said");
    ensure!(r.find("Appeler quelqu'un").is_empty(), "the call button stays after the call");
    // The visitor closes the Help screen; a staff member answers.
    r.tap("Fermer");
    r.settle();
    r.store.answer_help(calls[0].id).wait()?;
    r.pump_until("someone is coming", |r| top_frame(r).0 == "Quelqu'un arrive");
    ensure!(r.heard("Une personne de l'accueil vient vers vous"), "the coming is not said");
    // A second answer is told that the call is gone.
    ensure!(r.store.answer_help(calls[0].id).wait().is_err(), "a second answer went through");
    // The next visitor starts afresh; a call nobody answers is withdrawn when the
    // visit ends.
    r.tap("Fermer");
    end_visit(&r);
    r.kiosk.show(Screen::Theme, Lang::Fr);
    r.settle();
    r.tap("Aide");
    r.tap("Appeler quelqu'un");
    r.settle();
    ensure!(r.store.open_help().wait()?.len() == 1, "the second call is not open");
    end_visit(&r);
    let left = r.store.open_help().wait()?;
    ensure!(left.is_empty(), "the call outlived the visit: {left:?}");
    Ok(())
}

/// Lets the inactivity time-out end the visit.
fn end_visit(r: &crate::common::Rig) {
    for _ in 0..=POLICY.timeout {
        r.kiosk.handle(Event::Tick);
    }
    r.settle();
}
