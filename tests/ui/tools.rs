//! The tools keep their words (issue 25 item 5): a visitor who cannot read a pictogram
//! reads "Aide", "Répéter", "Langue" under it, in large print too, on every reference
//! display. Read from the pixels the real binary draws: inside each tool button, under
//! the pictogram's band of ink, a band of letters as tall as the print size's letters.

use crate::common::capture::{read_png, Capture};
use crate::common::ui_tr;
use crate::edges::{render_all, Case};
use crate::pages::{display_rig, SIZES};
use crate::screens::show;
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use libtest_mimic::Failed;

pub const CHECKS: &[(&str, Check)] = &[("tools_show_their_words_in_both_print_sizes", tool_words)];

/// The settings panel has Fermer where screens have Retour.
const SCREENS: [(&str, [&str; 4]); 2] =
    [("theme", ["Retour", "Aide", "Répéter", "Langue"]), ("settings", ["Fermer", "Aide", "Répéter", "Langue"])];
const LANGS: [Lang; 3] = [Lang::Fr, Lang::Ar, Lang::Uk];
/// Where large print keeps the pictograms alone (open work, docs/ARCHITECTURE.md): named
/// tools (a rail of 43 mm in French, 59 mm in Ukrainian) take the 10.1" panel's column
/// from 188 mm to 149-165 mm, and Ukrainian and Romanian lists and the ticket are cut.
/// On the first 7" panel (86 mm high) three tools of 20.4 mm and their gaps already take
/// the rail's whole height: a word of 7.3 mm capitals under each needs 28 mm a tool.
/// On the 7" portrait panel (88 mm wide) three tools take the strip, 25 mm each: "Répéter"
/// in 7.3 mm capitals is about 45 mm.
/// The check fails if the words show there, so this list cannot outlive the gap.
const BARE_IN_LARGE: [&str; 3] = ["10.1\"", "7\" landscape", "7\""];

/// Least height of the word's band of ink, in mm: capitals of 7.3 mm in large print
/// (EN 301 549 5.1.4; a word's band holds a capital, or Arabic's tall letters and
/// descents); normal print's tool names have capitals of about 3.2 mm.
fn least_word_mm(large: bool) -> f32 {
    if large {
        7.3
    } else {
        3.0
    }
}

/// The bands of rows holding ink inside a button (x, y, w, h in pixels), top to
/// bottom, as (first row, rows); the border and rounded corners (1.5 mm) are left out.
/// Parts less than 1 mm apart are one band (the dot over the language pictogram's "x",
/// an accent over its letter); the word stands 4 mm or more under its pictogram.
fn ink_bands(png: &Capture, (x, y, w, h): (f32, f32, f32, f32), mm: f32) -> Vec<(u32, u32)> {
    let inset = 1.5 * mm;
    let (x0, x1) = ((x + inset).round() as u32, (x + w - inset).round() as u32);
    let (y0, y1) = ((y + inset).round() as u32, (y + h - inset).round() as u32);
    let mut counts = std::collections::HashMap::new();
    for row in y0..y1 {
        for col in x0..x1 {
            *counts.entry(png.pixels[(row * png.width + col) as usize]).or_insert(0usize) += 1;
        }
    }
    let Some((paper, _)) = counts.into_iter().max_by_key(|(_, n)| *n) else { return Vec::new() };
    let inked = |row: u32| {
        (x0..x1)
            .any(|col| png.pixels[(row * png.width + col) as usize].iter().zip(paper).any(|(a, b)| a.abs_diff(b) > 60))
    };
    let mut bands: Vec<(u32, u32)> = Vec::new();
    for row in y0..y1 {
        if !inked(row) {
            continue;
        }
        match bands.last_mut() {
            Some((first, rows)) if ((row - (*first + *rows)) as f32) < mm => *rows = row + 1 - *first,
            _ => bands.push((row, 1)),
        }
    }
    bands
}

fn tool_words() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let mut cases = Vec::new();
    for size in 0..SIZES.len() {
        for lang in LANGS {
            for (screen, _) in SCREENS {
                let png = dir.path().join(format!("{size}-{}-{screen}.png", lang.code()));
                cases.push(Case { size, lang, screen, png });
            }
        }
    }
    let count = cases.len();
    let (mut found, mut seen) = (Vec::new(), 0);
    for case in render_all(dir.path(), cases).iter() {
        let case = case?;
        let (d, large) = SIZES[case.size];
        let r = display_rig(d, large);
        show(&r, case.screen, case.lang);
        let png = read_png(&case.png);
        let mm = d.config().px_per_mm();
        let print = if large { "large" } else { "normal" };
        let words = SCREENS.iter().find(|(s, _)| *s == case.screen).map(|(_, w)| w).ok_or("no tools")?;
        let frames = ElementQuery::from_root(r.app()).match_accessible_role(AccessibleRole::Groupbox).find_all();
        let top = frames.last().ok_or("no frame")?;
        let buttons = top.query_descendants().match_accessible_role(AccessibleRole::Button).find_all();
        for word in words.iter().map(|w| ui_tr(case.lang, w)) {
            let at = format!("{} {print} {:?} {} {word:?}", d.name, case.lang, case.screen);
            // Found by its word: the accessible label, also what speech-first mode says.
            let Some(b) = buttons.iter().find(|b| b.accessible_label().as_deref() == Some(word.as_str())) else {
                found.push(format!("{at}: no tool labelled so"));
                continue;
            };
            let (p, s) = (b.absolute_position(), b.size());
            if s.width < 19.95 * mm || s.height < 19.95 * mm {
                found.push(format!("{at}: {:.1}×{:.1} mm", s.width / mm, s.height / mm));
            }
            let bands = ink_bands(&png, (p.x, p.y, s.width, s.height), mm);
            let word_mm = bands.iter().skip(1).map(|(_, rows)| *rows as f32 / mm).fold(0.0, f32::max);
            seen += 1;
            let named = bands.len() >= 2 && word_mm >= least_word_mm(large);
            if large && BARE_IN_LARGE.contains(&d.name) {
                if named {
                    found.push(format!("{at}: named now: take it out of BARE_IN_LARGE"));
                }
                continue;
            }
            if !named {
                let tall: Vec<String> = bands.iter().map(|(_, rows)| format!("{:.1}", *rows as f32 / mm)).collect();
                found.push(format!("{at}: bands of ink {tall:?} mm tall, no word under the pictogram"));
            }
        }
        let _ = std::fs::remove_file(&case.png);
    }
    ensure!(seen > 0, "no tool checked in {count} renders");
    ensure!(found.is_empty(), "{} tools of {seen} in {count} renders:\n{}", found.len(), found.join("\n"));
    Ok(())
}
