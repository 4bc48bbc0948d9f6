//! An independent look at the pixels, around every button: the real binary renders each
//! screen to PNG (every reference display and print size, in French, Arabic and
//! Ukrainian), and a band 1 mm outside each button of the screen on top, along its
//! straight sides, must be one plain colour. A text running out of a button, or drawn
//! across another control (the countdown under "Langue" once), marks that band, even
//! when no widget check knows the text exists.

use crate::common::capture::{read_png, Capture};
use crate::pages::{display_rig, SIZES};
use crate::screens::{self, show};
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use libtest_mimic::Failed;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

pub const CHECKS: &[(&str, Check)] = &[("nothing_drawn_across_a_button_edge_in_the_rendered_pixels", edges_clear)];

const LANGS: [Lang; 3] = [Lang::Fr, Lang::Ar, Lang::Uk];

/// One rendering to check: which display, print size, language and screen.
pub struct Case {
    pub size: usize,
    pub lang: Lang,
    pub screen: &'static str,
    pub png: PathBuf,
}

/// Renders every case with the real binary, on another thread (the other core), and
/// hands each over as soon as its PNG is written.
pub fn render_all(dir: &Path, cases: Vec<Case>) -> mpsc::Receiver<Result<Case, String>> {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for case in cases {
            let (d, large) = SIZES[case.size];
            // Speech on, as the rig that gives the buttons' places.
            let config = d.write_config(&dir, true);
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"));
            command.arg("--data-dir").arg(dir.join("data")).arg("--config").arg(&config);
            command.args(["screenshot", "--size", &d.size_arg(), "--screen", case.screen]);
            command.args(["--lang", case.lang.code()]).arg("--out").arg(&case.png);
            if large {
                command.arg("--large");
            }
            let sent = match command.output() {
                Ok(o) if o.status.success() => tx.send(Ok(case)),
                Ok(o) => tx.send(Err(format!("{}: {}", case.screen, String::from_utf8_lossy(&o.stderr)))),
                Err(e) => tx.send(Err(e.to_string())),
            };
            if sent.is_err() {
                return;
            }
        }
    });
    rx
}

/// Pixels of the band around one button (x, y, w, h in pixels) that differ from the
/// band's commonest colour; corners (8 mm: rounding and the chosen tick) are left out.
fn marks_around(png: &Capture, (x, y, w, h): (f32, f32, f32, f32), mm: f32) -> usize {
    let (out, corner) = (mm, 8.0 * mm);
    let mut band = Vec::new();
    let mut along = |from: f32, to: f32, point: &dyn Fn(f32) -> (f32, f32)| {
        let mut t = from;
        while t <= to {
            let (px, py) = point(t);
            band.extend(png.at(px, py));
            t += 1.0;
        }
    };
    along(x + corner, x + w - corner, &|t| (t, y - out));
    along(x + corner, x + w - corner, &|t| (t, y + h + out));
    along(y + corner, y + h - corner, &|t| (x - out, t));
    along(y + corner, y + h - corner, &|t| (x + w + out, t));
    let mut counts = std::collections::HashMap::new();
    for p in &band {
        *counts.entry(*p).or_insert(0usize) += 1;
    }
    let Some((common, _)) = counts.into_iter().max_by_key(|(_, n)| *n) else { return 0 };
    band.iter().filter(|p| p.iter().zip(common).any(|(a, b)| a.abs_diff(b) > 24)).count()
}

fn edges_clear() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let mut cases = Vec::new();
    for size in 0..SIZES.len() {
        for lang in LANGS {
            for screen in screens::ALL {
                let png = dir.path().join(format!("{size}-{}-{screen}.png", lang.code()));
                cases.push(Case { size, lang, screen, png });
            }
        }
    }
    let count = cases.len();
    let rendered = render_all(dir.path(), cases);
    let (mut found, mut checked) = (Vec::new(), 0);
    for case in rendered.iter() {
        let case = case?;
        let (d, large) = SIZES[case.size];
        let r = display_rig(d, large);
        show(&r, case.screen, case.lang);
        let png = read_png(&case.png);
        ensure!(png.width == d.w as u32 && png.height == d.h as u32, "{}: rendered at another size", case.screen);
        // The buttons of the frame on top (an overlay hides the screen beneath).
        let frames = ElementQuery::from_root(r.app()).match_accessible_role(AccessibleRole::Groupbox).find_all();
        let top = frames.last().ok_or("no frame")?;
        let mm = d.config().px_per_mm();
        for b in top.query_descendants().match_accessible_role(AccessibleRole::Button).find_all() {
            let (p, s) = (b.absolute_position(), b.size());
            let marks = marks_around(&png, (p.x, p.y, s.width, s.height), mm);
            if marks > 0 {
                let print = if large { "large" } else { "normal" };
                let label = b.accessible_label().unwrap_or_default();
                found.push(format!(
                    "{} {print} {:?} {}: {marks} px drawn across {label:?} at {:?} {:?}",
                    d.name, case.lang, case.screen, p, s
                ));
            }
        }
        let _ = std::fs::remove_file(&case.png);
        checked += 1;
    }
    ensure!(checked == count, "only {checked} of {count} screens were rendered");
    ensure!(found.is_empty(), "{} of {count} renders:\n{}", found.len(), found.join("\n"));
    Ok(())
}
