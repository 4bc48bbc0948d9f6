//! The whole catalogue on the tightest screens: every theme's list of procedures, and
//! every procedure's "have", summary and ticket, in every language. The display checks
//! (pages.rs) see the first theme and its first procedure; the words that ran longest
//! were elsewhere (a document to bring of five lines on the 7" panel in large print).

use crate::common::displays::{Display, DISPLAYS};
use crate::pages::display_rig;
use crate::{ensure, Check};
use guichet::core::journey::Screen;
use guichet::core::lang::Lang;
use guichet::ui::KioskApi;
use libtest_mimic::Failed;
use slint::ComponentHandle;

pub const CHECKS: &[(&str, Check)] = &[("every_procedure_holds_the_7_inch_panels_in_every_language", every_procedure)];

/// The displays walked, with their print size: the two 7" panels in large print (86 mm
/// high: the fewest lines a page; 88 mm wide: the fewest words a line) and the 7"
/// portrait panel in normal print (the narrowest rows of its print size).
const TIGHTEST: [(Display, bool); 3] = [(DISPLAYS[4], true), (DISPLAYS[3], true), (DISPLAYS[3], false)];

fn every_procedure() -> Result<(), Failed> {
    let catalogue = guichet::assets::load_catalogue(None).map_err(|e| e.to_string())?;
    let mut cuts = Vec::new();
    for (d, large) in TIGHTEST {
        let print = if large { "large" } else { "normal" };
        for lang in Lang::ALL {
            // One kiosk a language: its visits follow one another as at an office.
            let r = display_rig(d, large);
            for theme in &catalogue.themes {
                for (i, procedure) in theme.procedures.iter().enumerate() {
                    // The theme's list, once (with its first procedure).
                    let screens: &[Screen] = if i == 0 {
                        &[Screen::Procedure, Screen::Have, Screen::Summary]
                    } else {
                        &[Screen::Have, Screen::Summary]
                    };
                    for &screen in screens {
                        ensure!(r.kiosk.show_procedure(screen, lang, &procedure.id), "{} is not found", procedure.id);
                        r.settle();
                        let at = format!("{} {print} {lang} {} {screen:?}", d.name, procedure.id);
                        cuts.extend(r.cut_texts().into_iter().map(|t| format!("{at}: {t:?}")));
                    }
                    r.app().global::<KioskApi>().invoke_get_ticket();
                    r.pump_until("the ticket", |r| {
                        r.app().global::<KioskApi>().get_screen() == guichet::ui::Screen::Ticket
                    });
                    r.settle();
                    let at = format!("{} {print} {lang} {} ticket", d.name, procedure.id);
                    cuts.extend(r.cut_texts().into_iter().map(|t| format!("{at}: {t:?}")));
                }
            }
        }
    }
    ensure!(cuts.is_empty(), "{} texts cut:\n{}", cuts.len(), cuts.join("\n"));
    Ok(())
}
