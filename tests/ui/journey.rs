//! A visitor's whole journey through the real UI (Slint testing backend), by accessible
//! labels only, then the ticket in SQLite, the printout and the spoken transcript.

use crate::common::{self, rig, ui_tr, POLICY};
use guichet::core::lang::Lang;
use guichet::core::queue::Status;
use guichet::speech::Heard;
use guichet::ui::{KioskApi, Screen, Theme};
use i_slint_backend_testing::mock_elapsed_time;
use libtest_mimic::Failed;
use slint::ComponentHandle;
use std::time::Duration;

fn tick(r: &common::Rig, seconds: u32) {
    mock_elapsed_time(Duration::ZERO);
    for _ in 0..seconds {
        mock_elapsed_time(Duration::from_secs(1));
    }
    r.pump();
}

pub const CHECKS: &[(&str, crate::Check)] =
    &[("journey_visitor_gets_a_durable_ticket_in_english_and_the_kiosk_resets", visitor_gets_a_durable_ticket)];

fn visitor_gets_a_durable_ticket() -> Result<(), Failed> {
    let r = rig();
    let api = r.app().global::<KioskApi>();
    let en = |s: &str| ui_tr(Lang::En, s);
    assert_eq!(api.get_screen(), Screen::Attract);
    assert!(r.heard("Bonjour"), "the attract screen speaks: {:?}", r.transcript.said());

    r.tap("Commencer");
    assert_eq!(api.get_screen(), Screen::Language);
    r.tap("English");
    assert_eq!(api.get_screen(), Screen::Theme);
    assert_eq!(api.get_lang(), "en");

    let theme = &r.catalogue.themes[0];
    let procedure = &theme.procedures[0];
    assert!(r.heard(&r.tr(Lang::En, &theme.title)), "theme screen speaks its choices in English");
    r.tap(&r.tr(Lang::En, &theme.title));
    assert_eq!(api.get_screen(), Screen::Procedure);
    r.tap(&r.tr(Lang::En, &procedure.title));
    assert_eq!(api.get_screen(), Screen::Have);

    let id_card = r.tr(Lang::En, &r.catalogue.have[0].label);
    r.tap(&id_card);
    let checked = r.find(&id_card).iter().any(|e| e.accessible_checked() == Some(true));
    assert!(checked, "the ticked item is announced as checked");
    r.tap(&en("Continuer"));
    assert_eq!(api.get_screen(), Screen::Priority);
    r.tap(&r.tr(Lang::En, &r.catalogue.priority[1].label));
    assert_eq!(api.get_screen(), Screen::Summary);
    assert!(r.heard(&r.tr(Lang::En, &procedure.title)));

    r.transcript.clear();
    r.tap(&en("Prendre mon ticket"));
    r.pump_until("the ticket screen", |r| r.app().global::<KioskApi>().get_screen() == Screen::Ticket);
    let number = api.get_ticket_number().to_string();
    assert_eq!(number, format!("{}-001", theme.queue));

    // Durable: a fresh read-only connection sees it, with the visitor's choices.
    let open = r.store.reader().with(guichet::store::open_tickets).unwrap();
    let t = open.iter().find(|t| t.number == number).expect("ticket in SQLite");
    assert_eq!((t.status, t.lang, t.procedure.as_str()), (Status::Waiting, Lang::En, procedure.id.as_str()));
    assert_eq!(t.have, vec![r.catalogue.have[0].id.clone()]);
    assert_eq!(t.priority.as_deref(), Some(r.catalogue.priority[1].id.as_str()));
    assert_eq!(t.token.len(), 32);

    // Spoken digit by digit, in English.
    let spelled = format!("{} 0 0 1", theme.queue);
    assert!(r.heard(&spelled), "ticket spoken: {:?}", r.transcript.said());
    let voice_lang = r.transcript.entries().iter().rev().find_map(|h| match h {
        Heard::Said { text, voice } if text.contains(&spelled) => Some(voice.lang),
        _ => None,
    });
    assert_eq!(voice_lang, Some(Lang::En));

    // Printed (simulated printer), with the QR data pointing at this ticket.
    r.pump_until("the printout", |r| r.dir.path().join(format!("printer/{number}.escpos")).exists());
    let paper = std::fs::read(r.dir.path().join(format!("printer/{number}.escpos"))).unwrap();
    let url = format!("http://kiosk.test:8080/t/{}", t.token);
    assert!(paper.windows(url.len()).any(|w| w == url.as_bytes()));

    // Nothing stays for the next visitor once the ticket time is over.
    api.set_print_state(guichet::ui::PrintState::Printed);
    r.app().global::<Theme>().set_large(true);
    tick(&r, POLICY.ticket_timeout + 1);
    assert_eq!(api.get_screen(), Screen::Attract);
    assert_eq!(api.get_ticket_number(), "");
    assert_eq!(api.get_lang(), "fr");
    assert!(!r.app().global::<Theme>().get_large(), "large print reset for the next visitor");
    Ok(())
}
