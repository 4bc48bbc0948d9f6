//! Layout decisions with a margin: the same screens laid out with every measured text
//! width 0.5 px narrower or wider give the same layout (same buttons on the page, each
//! within a pixel or two of its place). A decision that flips on half a pixel would flip
//! on another machine's rounding.

use crate::common::Rig;
use crate::pages::{display_rig, sample_languages, SIZES};
use crate::screens::{self, show};
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use guichet::kiosk::measure::perturb;
use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use libtest_mimic::Failed;

pub const CHECKS: &[(&str, Check)] = &[("layout_holds_when_text_widths_move_half_a_pixel", half_pixel)];

/// Each button on screen: its label and its rectangle.
fn layout(r: &Rig) -> Vec<(String, [f32; 4])> {
    ElementQuery::from_root(r.app())
        .match_accessible_role(AccessibleRole::Button)
        .find_all()
        .iter()
        .map(|b| {
            let (p, s) = (b.absolute_position(), b.size());
            (b.accessible_label().unwrap_or_default().to_string(), [p.x, p.y, s.width, s.height])
        })
        .collect()
}

/// Screens whose layout depends on measured text: grids, the rail, text pages.
fn screens_checked() -> Vec<&'static str> {
    if std::env::var_os("GUICHET_FULL_MATRIX").is_some() {
        return screens::ALL.to_vec();
    }
    vec!["language", "theme", "have", "settings"]
}

fn half_pixel() -> Result<(), Failed> {
    let mut moved = Vec::new();
    let full = std::env::var_os("GUICHET_FULL_MATRIX").is_some();
    for (size_index, (d, large)) in SIZES.into_iter().enumerate() {
        // The suite: the three scripts (Latin, Arabic, Cyrillic); the full matrix: all.
        let langs = if full { sample_languages(size_index) } else { vec![Lang::Fr, Lang::Ar, Lang::Uk] };
        for lang in langs {
            for name in screens_checked() {
                let at = |bias: f32| {
                    perturb(bias);
                    let r = display_rig(d, large);
                    show(&r, name, lang);
                    let l = layout(&r);
                    perturb(0.0);
                    l
                };
                let base = at(0.0);
                for bias in [-0.5, 0.5] {
                    let other = at(bias);
                    let same_buttons = base.iter().map(|b| &b.0).eq(other.iter().map(|b| &b.0));
                    let near =
                        base.iter().zip(&other).all(|(a, b)| a.1.iter().zip(&b.1).all(|(x, y)| (x - y).abs() <= 2.0));
                    if !same_buttons || !near {
                        let print = if large { "large" } else { "normal" };
                        moved.push(format!("{} {print} {lang} {name} {bias:+}: {base:?}\n  → {other:?}", d.name));
                    }
                }
            }
        }
    }
    ensure!(moved.is_empty(), "{} layouts flip on half a pixel:\n{}", moved.len(), moved.join("\n"));
    Ok(())
}
