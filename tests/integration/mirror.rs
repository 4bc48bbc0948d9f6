//! Arrows point the reading direction: in Arabic the Back arrow and the main action's
//! arrow are the mirror images of the French ones. Checked on the real binary's renders:
//! the Back button of the large-print tools rail (a 20.4 mm pictogram, the same size in
//! both languages) and the arrow inside the main action ("Plus de temps").

use crate::xwd::{differing, read_png, Capture};
use std::path::Path;

fn render(dir: &Path, args: &[&str], name: &str) -> Capture {
    let out = dir.join(format!("{name}.png"));
    crate::shots::screenshot(dir, None, args, &out);
    read_png(&out)
}

/// The part of `c` in x0..x1, y0..y1, mirrored left to right when asked.
fn crop(c: &Capture, (x0, x1): (u32, u32), (y0, y1): (u32, u32), mirrored: bool) -> Capture {
    let mut pixels = Vec::new();
    for y in y0..y1 {
        for i in 0..x1 - x0 {
            let x = if mirrored { x1 - 1 - i } else { x0 + i };
            pixels.push(c.pixels[(y * c.width + x) as usize]);
        }
    }
    Capture { width: x1 - x0, height: y1 - y0, pixels }
}

/// Bounding box of the pixels of one colour (the main action's fill).
fn boxed(c: &Capture, colour: [u8; 3]) -> (u32, u32, u32, u32) {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in 0..c.height {
        for x in 0..c.width {
            if c.pixels[(y * c.width + x) as usize] == colour {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    (x0, y0, x1, y1)
}

#[test]
fn arrows_point_the_reading_direction_in_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let px_mm = 1280.0 / 217.0;
    // Back: the top of the large-print rail, left in French, right in Arabic.
    let fr = render(dir.path(), &["--screen", "theme", "--lang", "fr", "--large"], "fr-large");
    let ar = render(dir.path(), &["--screen", "theme", "--lang", "ar", "--large"], "ar-large");
    let side = (24.0 * px_mm) as u32;
    let fr_back = crop(&fr, (0, side), (0, side), false);
    let ar_back_mirrored = crop(&ar, (ar.width - side, ar.width), (0, side), true);
    let ar_back = crop(&ar, (ar.width - side, ar.width), (0, side), false);
    assert!(differing(&fr_back, &ar_back_mirrored) < 0.01, "the Arabic Back arrow is not the French one mirrored");
    assert!(differing(&fr_back, &ar_back) > 0.02, "the Back arrow points the same way in both languages");
    // The main action's arrow ("Plus de temps" on the warning: the only filled button
    // there, #12355b), at the reading start of the button.
    let fr = render(dir.path(), &["--screen", "warning", "--lang", "fr"], "fr-warning");
    let ar = render(dir.path(), &["--screen", "warning", "--lang", "ar"], "ar-warning");
    // The margin and the 12 mm icon, not the label after it.
    let icon = (16.0 * px_mm) as u32;
    let (fx0, fy0, _, fy1) = boxed(&fr, [0x12, 0x35, 0x5b]);
    let (_, ay0, ax1, ay1) = boxed(&ar, [0x12, 0x35, 0x5b]);
    assert_eq!((fy0, fy1), (ay0, ay1), "the main actions are not on the same row");
    let fr_arrow = crop(&fr, (fx0, fx0 + icon), (fy0, fy1), false);
    let ar_arrow_mirrored = crop(&ar, (ax1 - icon, ax1), (ay0, ay1), true);
    let ar_arrow = crop(&ar, (ax1 - icon, ax1), (ay0, ay1), false);
    // The buttons stand at different fractions of a pixel in the two layouts: edges of
    // the arrow blend a little differently, so a few pixels differ even when mirrored.
    let (mirrored, same) = (differing(&fr_arrow, &ar_arrow_mirrored), differing(&fr_arrow, &ar_arrow));
    assert!(
        mirrored < 0.03 && same > 3.0 * mirrored,
        "the Arabic main action arrow is not the French one mirrored ({:.1} % differ; {:.1} % unmirrored)",
        mirrored * 100.0,
        same * 100.0
    );
}
