//! Seeing and touching: contrast, target size, large print, labels, no clipped text,
//! controls in a constant place, mirrored layout for Arabic.

use crate::common::{rig, Rig};
use crate::pages::{display_rig, DISPLAYS, SIZES};
use crate::screens::{self, close_overlays, show};
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use guichet::ui::Theme;
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use libtest_mimic::Failed;
use slint::{Color, ComponentHandle};

pub const CHECKS: &[(&str, Check)] = &[
    ("1_4_6_text_contrast_at_least_7_to_1_in_both_palettes", text_contrast),
    ("1_4_11_component_edges_contrast_at_least_3_to_1", edge_contrast),
    ("5_1_4_large_print_capital_height_at_least_7_3_mm", large_caps),
    ("touch_targets_at_least_20_mm_on_every_screen", targets),
    ("4_2_every_interactive_element_has_a_role_and_a_label", roles_and_labels),
    ("5_1_3_6_pictograms_and_qr_code_have_spoken_labels", qr_labelled),
    ("3_2_6_back_help_repeat_language_stay_in_the_same_place", constant_places),
    ("arabic_mirrors_the_layout", arabic_mirrors),
    ("5_9_no_gesture_needs_two_fingers_or_a_path", no_gestures),
];

fn luminance(c: Color) -> f64 {
    let ch = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
}

/// WCAG contrast ratio, the foreground composed over the background if translucent.
pub fn contrast(fg: Color, bg: Color) -> f64 {
    let a = f64::from(fg.alpha()) / 255.0;
    let mix = |f: u8, b: u8| (f64::from(f) * a + f64::from(b) * (1.0 - a)).round() as u8;
    let fg = Color::from_rgb_u8(mix(fg.red(), bg.red()), mix(fg.green(), bg.green()), mix(fg.blue(), bg.blue()));
    let (l1, l2) = (luminance(fg), luminance(bg));
    (l1.max(l2) + 0.05) / (l1.min(l2) + 0.05)
}

fn for_both_palettes(r: &Rig, mut f: impl FnMut(&Theme<'_>, &str) -> Result<(), Failed>) -> Result<(), Failed> {
    for high in [false, true] {
        let theme = r.app().global::<Theme>();
        theme.set_contrast(high);
        f(&theme, if high { "high contrast" } else { "normal" })?;
    }
    Ok(())
}

type Pair = (&'static str, Color, Color);

/// Every pair of both palettes has at least `min`:1 contrast.
fn pairs_at_least(min: f64, pairs: impl Fn(&Theme<'_>) -> Vec<Pair>) -> Result<(), Failed> {
    let r = rig();
    for_both_palettes(&r, |t, palette| {
        for (name, fg, bg) in pairs(t) {
            let ratio = contrast(fg, bg);
            ensure!(ratio >= min, "{palette}: {name} is {ratio:.2}:1");
        }
        Ok(())
    })
}

fn text_contrast() -> Result<(), Failed> {
    pairs_at_least(7.0, |t| {
        vec![
            ("text/background", t.get_text(), t.get_background()),
            ("soft text/background", t.get_text_soft(), t.get_background()),
            ("button text/button", t.get_button_text(), t.get_button()),
            ("primary text/primary", t.get_primary_text(), t.get_primary()),
            ("selected text/selected", t.get_selected_text(), t.get_selected()),
            ("armed text/armed", t.get_armed_text(), t.get_armed()),
            ("notice text/notice", t.get_notice_text(), t.get_notice()),
            ("ticket text/ticket", t.get_ticket_text(), t.get_ticket()),
        ]
    })
}

fn edge_contrast() -> Result<(), Failed> {
    pairs_at_least(3.0, |t| {
        vec![
            ("button edge/background", t.get_button_edge(), t.get_background()),
            ("button edge/button", t.get_button_edge(), t.get_button()),
            ("primary/background", t.get_primary(), t.get_background()),
            ("selected/background", t.get_selected(), t.get_background()),
            ("notice edge/background", t.get_notice_edge(), t.get_background()),
        ]
    })
}

fn cap_ratio(path: &str) -> Result<f32, Failed> {
    let data = std::fs::read(format!("{}/assets/fonts/{path}", env!("CARGO_MANIFEST_DIR")))?;
    let face = ttf_parser::Face::parse(&data, 0).map_err(|e| format!("{path}: {e}"))?;
    let cap = face.capital_height().ok_or("no capital height")?;
    Ok(f32::from(cap) / f32::from(face.units_per_em()))
}

/// Large print keeps a margin over 7.3 mm, measured down the screen with its own pitch
/// on every reference display.
fn large_caps() -> Result<(), Failed> {
    for d in DISPLAYS {
        let r = display_rig(d, true);
        let t = r.app().global::<Theme>();
        for font in ["atkinson-hyperlegible/AtkinsonHyperlegible_400Regular.ttf", "noto/NotoSans-Regular.ttf"] {
            let real = cap_ratio(font)?;
            ensure!(t.get_cap_ratio() <= real, "{font}: theme assumes cap ratio {} > real {real}", t.get_cap_ratio());
        }
        let down = d.config().px_per_mm_down();
        let body = t.get_body() * t.get_cap_ratio() / down;
        let title = t.get_title() * t.get_cap_ratio() / down;
        ensure!(body >= 7.45, "{}: large body capitals {body:.2} mm (7.3 mm and a margin wanted)", d.name);
        ensure!(title >= body * 1.15, "{}: large titles {title:.2} mm hardly bigger than body {body:.2} mm", d.name);
    }
    Ok(())
}

fn buttons(r: &Rig) -> Vec<ElementHandle> {
    ElementQuery::from_root(r.app()).match_accessible_role(AccessibleRole::Button).find_all()
}

/// Every button at least 20 mm both ways, each way measured with that way's own pitch.
fn targets() -> Result<(), Failed> {
    for (d, large) in SIZES {
        let (across, down) = (d.config().px_per_mm_across(), d.config().px_per_mm_down());
        for name in screens::ALL {
            let r = display_rig(d, large);
            show(&r, name, Lang::Fr);
            for b in buttons(&r) {
                let s = b.size();
                let label = b.accessible_label().unwrap_or_default();
                let (w, h) = (s.width / across, s.height / down);
                ensure!(w >= 19.95 && h >= 19.95, "{} large={large} {name}: {label:?} is {w:.2}×{h:.2} mm", d.name);
            }
        }
    }
    Ok(())
}

fn roles_and_labels() -> Result<(), Failed> {
    for name in screens::ALL {
        let r = rig();
        show(&r, name, Lang::Fr);
        let pressable = ElementHandle::find_by_element_type_name(r.app(), "KioskButton").collect::<Vec<_>>();
        ensure!(!pressable.is_empty(), "{name}: no buttons found");
        for b in pressable {
            ensure!(b.accessible_role() == Some(AccessibleRole::Button), "{name}: a button without the button role");
            let label = b.accessible_label().unwrap_or_default();
            ensure!(!label.trim().is_empty(), "{name}: a button without a label");
        }
    }
    Ok(())
}

fn qr_labelled() -> Result<(), Failed> {
    let r = rig();
    show(&r, "ticket", Lang::Fr);
    let images = ElementQuery::from_root(r.app()).match_accessible_role(AccessibleRole::Image).find_all();
    ensure!(images.iter().any(|i| i.accessible_label().is_some_and(|l| l.contains("QR"))), "the QR code has no label");
    // Pictograms sit inside labelled buttons; a button whose only content is an icon
    // would have an empty label, which roles_and_labels refuses.
    Ok(())
}

fn position_of(r: &Rig, label: &str) -> Option<(f32, f32)> {
    let found = r.find(label);
    found.last().map(|e| {
        let p = e.absolute_position();
        (p.x, p.y)
    })
}

/// Each role in one place, whatever the screen and the print size: Back, Help, Repeat
/// and Language each at their own spot on every screen that has them (a Back that
/// cannot act is not shown: the start screen, the ticket; the warning has no Close, the
/// help screen no Help), the tools on the start side of the main action, the main
/// action at the bottom of the end side, the page button on the start side of the
/// action row, never among the tools.
fn constant_places() -> Result<(), Failed> {
    // The 10.1" panel in both print sizes, and the low screen (the first 7" panel), where
    // Back stands in the action row: at the same spot whatever the row's height, and
    // its place left empty where there is no way back.
    let low = crate::pages::DISPLAYS.into_iter().find(|d| d.low()).ok_or("no low display")?;
    let rigs = [
        (crate::pages::sized_rig(1280.0, 800.0, false), 1280.0, 800.0),
        (crate::pages::sized_rig(1280.0, 800.0, true), 1280.0, 800.0),
        (crate::pages::display_rig(low, false), low.w, low.h),
    ];
    for (r, w, h) in rigs {
        let mut seen: Vec<(String, (f32, f32), &str)> = Vec::new();
        for name in screens::ALL {
            show(&r, name, Lang::Fr);
            let back = if ["help", "settings", "warning", "staff"].contains(&name) { "Fermer" } else { "Retour" };
            let absent: &[&str] = match name {
                "attract" | "ticket" => &["Retour"],
                "warning" => &["Fermer"],
                "help" | "staff" => &["Aide"],
                _ => &[],
            };
            for (label, slot) in [(back, "back"), ("Aide", "help"), ("Répéter", "repeat"), ("Langue", "language")] {
                if absent.contains(&label) {
                    ensure!(position_of(&r, label).is_none(), "{name}: {label} shows where it cannot act");
                    continue;
                }
                let pos = position_of(&r, label).ok_or(format!("{name}: no {label}"))?;
                if let Some((first, p, _)) = seen.iter().find(|(_, _, s)| *s == slot) {
                    ensure!(*p == pos, "{name}: {label} at {pos:?}, on {first} at {p:?}");
                } else {
                    seen.push((name.to_string(), pos, slot));
                }
            }
            let tools_end = seen.iter().map(|(_, (x, _), _)| *x).fold(0.0, f32::max);
            for main in ["Continuer", "Prendre mon ticket", "J'ai fini", "Plus de temps"] {
                if let Some(e) = r.find(main).last() {
                    let (p, s) = (e.absolute_position(), e.size());
                    ensure!(p.x > tools_end, "{name}: {main} at x={} is not after the tools", p.x);
                    ensure!(
                        w - (p.x + s.width) < 30.0 && h - (p.y + s.height) < 30.0,
                        "{name}: {main} is not at the bottom right: {p:?} {s:?}"
                    );
                }
            }
            for pager in ["Autres choix", "Lire la suite", "Revoir le début"] {
                if let Some(e) = r.find(pager).last() {
                    let (p, s) = (e.absolute_position(), e.size());
                    ensure!(
                        p.x > tools_end && h - (p.y + s.height) < 30.0,
                        "{name}: the page button {pager} stands among the tools: {p:?} {s:?}"
                    );
                }
            }
            close_overlays(&r);
        }
    }
    Ok(())
}

fn arabic_mirrors() -> Result<(), Failed> {
    let r = rig();
    show(&r, "theme", Lang::Fr);
    let (fr_back, _) = position_of(&r, "Retour").ok_or("no back")?;
    show(&r, "theme", Lang::Ar);
    let back = crate::common::ui_tr(Lang::Ar, "Retour");
    let (ar_back, _) = position_of(&r, &back).ok_or("no back in Arabic")?;
    ensure!(ar_back > fr_back + 200.0, "Back at x={ar_back} in Arabic, x={fr_back} in French");
    Ok(())
}

fn no_gestures() -> Result<(), Failed> {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut stack = vec![ui];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "slint") {
                let text = std::fs::read_to_string(&path)?;
                for g in ["Flickable", "ScrollView", "SwipeGestureHandler", "PinchGesture", "moved =>"] {
                    ensure!(!text.contains(g), "{}: uses {g}", path.display());
                }
            }
        }
    }
    Ok(())
}
