//! Large print: nothing cut at any size, and text longer than a screen shown page by
//! page with a button, every row reachable.

use crate::common::{rig, Rig};
use crate::screens::{self, show};
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use guichet::ui::Theme;
use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use libtest_mimic::Failed;
use slint::ComponentHandle;

pub const CHECKS: &[(&str, Check)] = &[
    ("no_clipped_text_in_any_language_at_every_size", no_clipping),
    ("large_print_pages_reach_every_summary_row", summary_pages),
    ("large_print_pages_reach_every_document_to_bring", document_pages),
];

/// Landscape and portrait displays, normal and large print.
const SIZES: [(f32, f32, bool); 4] =
    [(1280.0, 800.0, false), (720.0, 1280.0, false), (1280.0, 800.0, true), (720.0, 1280.0, true)];

fn sized_rig(w: f32, h: f32, large: bool) -> Rig {
    let r = rig();
    r.app().window().set_size(slint::LogicalSize::new(w, h));
    r.app().global::<Theme>().set_large(large);
    r
}

/// Large-print cuts not fixed yet (open work in docs/ARCHITECTURE.md), one per line as
/// the test prints them. Normal print has none. A cut not listed fails the test, and so
/// does a listed cut that is gone (take it off the list): the list only shrinks.
const KNOWN_LARGE_CUTS: &str = include_str!("known-large-print-cuts.txt");

fn no_clipping() -> Result<(), Failed> {
    let known: Vec<&str> = KNOWN_LARGE_CUTS.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    let (mut new, mut large) = (Vec::new(), Vec::new());
    for (w, h, large_print) in SIZES {
        for lang in Lang::ALL {
            for name in screens::ALL {
                let r = sized_rig(w, h, large_print);
                show(&r, name, lang);
                let mut cuts = r.kiosk.clipped_texts();
                cuts.sort();
                for text in cuts {
                    let line = format!("{w}x{h} {lang} {name}: {text:?}");
                    if large_print {
                        large.push(line.clone());
                    }
                    if !large_print || !known.contains(&line.as_str()) {
                        new.push(format!("{line}{}", if large_print { " (large print)" } else { "" }));
                    }
                }
            }
        }
    }
    let fixed: Vec<&&str> = known.iter().filter(|k| !large.contains(&k.to_string())).collect();
    ensure!(new.is_empty(), "{} clipped texts:\n{}", new.len(), new.join("\n"));
    ensure!(fixed.is_empty(), "fixed, take them off known-large-print-cuts.txt:\n{fixed:#?}");
    Ok(())
}

/// Texts shown now (hidden rows are not found).
fn visible_texts(r: &Rig) -> Vec<String> {
    ElementQuery::from_root(r.app())
        .match_accessible_role(AccessibleRole::Text)
        .find_all()
        .iter()
        .filter_map(|t| t.accessible_label().map(|l| l.to_string()))
        .collect()
}

/// Turns the pages with "Lire la suite" until "Revoir le début" (or none: one page);
/// returns every page's texts.
fn read_all_pages(r: &Rig) -> Result<Vec<Vec<String>>, Failed> {
    let mut pages = vec![visible_texts(r)];
    for _ in 0..12 {
        if !r.find("Revoir le début").is_empty() {
            return Ok(pages);
        }
        if r.find("Lire la suite").is_empty() {
            return Ok(pages);
        }
        r.tap("Lire la suite");
        r.settle();
        let page = visible_texts(r);
        // A row taller than a page stops the paging: it is a listed cut
        // (known-large-print-cuts.txt); the rows before it must all have been shown.
        if pages.last() == Some(&page) {
            return Ok(pages);
        }
        pages.push(page);
    }
    Err(format!("more than 12 pages: {pages:?}").into())
}

fn summary_pages() -> Result<(), Failed> {
    for (w, h) in [(1280.0, 800.0), (720.0, 1280.0)] {
        let r = sized_rig(w, h, true);
        show(&r, "summary", Lang::Fr);
        let pages = read_all_pages(&r)?;
        ensure!(pages.len() > 1, "{w}x{h}: the summary fits one page in large print? {pages:?}");
        let seen: Vec<&String> = pages.iter().flatten().collect();
        for row in ["Sujet : ", "Démarche : ", "Vous avez : ", "Priorité : "] {
            ensure!(seen.iter().any(|t| t.starts_with(row)), "{w}x{h}: no page shows {row:?}: {pages:?}");
        }
        let unknown: Vec<String> = r
            .kiosk
            .clipped_texts()
            .into_iter()
            .filter(|t| !KNOWN_LARGE_CUTS.lines().any(|k| k == format!("{w}x{h} fr summary: {t:?}")))
            .collect();
        ensure!(unknown.is_empty(), "{w}x{h}: cut: {unknown:?}");
    }
    Ok(())
}

fn document_pages() -> Result<(), Failed> {
    let r = sized_rig(720.0, 1280.0, true);
    show(&r, "ticket", Lang::Fr);
    r.tap("Papiers");
    r.settle();
    let pages = read_all_pages(&r)?;
    let docs: Vec<String> = pages.iter().flatten().filter(|t| t.starts_with("• ")).cloned().collect();
    ensure!(docs.len() >= 2, "too few documents seen: {pages:?}");
    let mut unique = docs.clone();
    unique.dedup();
    ensure!(unique.len() == docs.len(), "a document shows on two pages: {docs:?}");
    r.tap("Mon numéro");
    r.settle();
    ensure!(!r.find("Papiers").is_empty(), "no way back to the number");
    Ok(())
}
