//! The ticket in large print on the 10.1" panel: page 1 says what to do now (take the
//! paper) and how long to wait, both codes are big enough for a phone held at arm's length, and the pages do
//! not grow.

use crate::common::ui_tr;
use crate::pages::{display_rig, visible_texts, DISPLAYS};
use crate::screens::show;
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use libtest_mimic::Failed;

pub const CHECKS: &[(&str, Check)] = &[("large_print_ticket_codes_of_30_mm_and_the_paper_on_page_1", large_ticket)];

/// The least side of a code on the screen, in millimetres (issue 25: 25 mm was too small
/// to scan from arm's length).
const LEAST_CODE_MM: f32 = 30.0;
/// The most pages the 10.1" ticket with both codes may take in large print (5 today:
/// fewer is open work, docs/ARCHITECTURE.md).
const MOST_PAGES: usize = 5;

fn large_ticket() -> Result<(), Failed> {
    let d = DISPLAYS[0];
    let px_per_mm = d.config().px_per_mm();
    for lang in [Lang::Fr, Lang::Ar, Lang::Uk] {
        let r = display_rig(d, true);
        show(&r, "ticket", lang);
        let codes = [
            ui_tr(lang, "Code QR de votre demande, pour la personne de l'accueil"),
            ui_tr(
                lang,
                "Code QR pour suivre votre tour sur votre téléphone. Connectez d'abord le téléphone au Wi-Fi de l'accueil.",
            ),
        ];
        // The paper's row, printing or printed (the rig's printer may not have answered).
        let paper = [ui_tr(lang, "Votre ticket est imprimé. Prenez-le."), ui_tr(lang, "Le ticket s'imprime.")];
        let mut sides = Vec::new();
        // Page by page with the pager, as a visitor reads them.
        let (more, again) = (ui_tr(lang, "Lire la suite"), ui_tr(lang, "Revoir le début"));
        let mut pages = Vec::new();
        for _ in 0..12 {
            pages.push(visible_texts(&r));
            for code in &codes {
                sides.extend(r.find(code).iter().map(|e| e.size().width.min(e.size().height) / px_per_mm));
            }
            if !r.find(&again).is_empty() || r.find(&more).is_empty() {
                break;
            }
            r.tap(&more);
            r.settle();
        }
        ensure!(pages.len() <= MOST_PAGES, "{lang:?}: {} pages: {pages:?}", pages.len());
        // Words the screen keeps together are joined by no-break spaces.
        let plain = |t: &str| t.replace(['\u{a0}', '\u{202f}'], " ").replace('\u{2060}', "");
        ensure!(
            pages[0].iter().any(|t| paper.contains(&plain(t))),
            "{lang:?}: page 1 without the paper's row: {:?}",
            pages[0]
        );
        // And the wait (the rig's ticket is the day's first: nobody before it).
        let wait = ui_tr(lang, "Personne n'attend avant vous.");
        ensure!(pages[0].iter().any(|t| plain(t) == wait), "{lang:?}: page 1 without the wait: {:?}", pages[0]);
        ensure!(sides.len() == 2, "{lang:?}: codes seen: {sides:?} mm");
        ensure!(sides.iter().all(|s| *s >= LEAST_CODE_MM), "{lang:?}: codes of {sides:?} mm");
        let cut = r.cut_texts();
        ensure!(cut.is_empty(), "{lang:?}: cut: {cut:?}");
    }
    Ok(())
}
