//! Width of the widest piece of a label that cannot be broken across lines (a word, or
//! "e-" of "e-mail"), measured with the bold font files the UI embeds. Grids make
//! their cells at least that wide, and a box narrower than it reports its text as cut:
//! a word split in two is cut text, even when every letter shows.

use super::view::{NOTO, NOTO_ARABIC_UI};
use crate::assets::fonts::{ARABIC_BOLD, ATKINSON_BOLD, NOTO_BOLD};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;
use ttf_parser::Face;

/// The UI's bold faces, the language's own first, then the others as fallbacks
/// (a language name in another script).
struct Faces {
    atkinson: Face<'static>,
    noto: Face<'static>,
    arabic: Face<'static>,
}

fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let parse = |data: &'static [u8]| Face::parse(data, 0).ok();
            let faces = Faces { atkinson: parse(ATKINSON_BOLD)?, noto: parse(NOTO_BOLD)?, arabic: parse(ARABIC_BOLD)? };
            Some(faces)
        })
        .as_ref()
}

/// Added to every measured width, in 1/1000 px: 0 except in the tests that look for
/// layout decisions on a knife edge (a width ±0.5 px must not change the layout).
static BIAS: AtomicI32 = AtomicI32::new(0);

/// Shifts every measurement by `px` (tests only: see [`BIAS`]).
pub fn perturb(px: f32) {
    BIAS.store((px * 1000.0).round() as i32, Ordering::Relaxed);
}

/// Width in pixels of `piece` at `size` pixels, in `family` (falling back like the
/// renderer does for signs the family lacks), rounded up to the next whole pixel and
/// one more, as the renderer rounds up the lines it lays out.
fn piece_width(faces: &Faces, family: &str, piece: &str, size: f32) -> f32 {
    if piece.is_empty() {
        return 0.0;
    }
    let order: [&Face; 3] = match family {
        NOTO_ARABIC_UI => [&faces.arabic, &faces.noto, &faces.atkinson],
        NOTO => [&faces.noto, &faces.arabic, &faces.atkinson],
        _ => [&faces.atkinson, &faces.noto, &faces.arabic],
    };
    piece
        .chars()
        .map(|c| {
            order
                .iter()
                .find_map(|face| {
                    let glyph = face.glyph_index(c)?;
                    let advance = face.glyph_hor_advance(glyph)? as f32;
                    Some(advance * size / face.units_per_em() as f32)
                })
                .unwrap_or(0.0)
        })
        .sum::<f32>()
        .ceil()
        + 1.0
        + BIAS.load(Ordering::Relaxed) as f32 / 1000.0
}

/// The widest unbreakable piece of `text` in bold `family` at `size` pixels; 0 when the
/// fonts cannot be read (then nothing is reported as cut on that account).
pub fn widest_piece(text: &str, size: f32, family: &str) -> f32 {
    let Some(faces) = faces() else {
        return 0.0;
    };
    let mut start = 0;
    let mut widest: f32 = 0.0;
    for (end, _) in unicode_linebreak::linebreaks(text) {
        widest = widest.max(piece_width(faces, family, text[start..end].trim_end(), size));
        start = end;
    }
    widest
}

/// Width of the whole of `text` on one line, like [`widest_piece`].
pub fn line_width(text: &str, size: f32, family: &str) -> f32 {
    faces().map_or(0.0, |faces| piece_width(faces, family, text, size))
}

/// Right-to-left text with a Latin run (`core::bidi`), laid out in lines by the kiosk
/// itself: a line break where the next piece no longer fits `width` (in bold `family` at
/// `size`), so each line reaches the renderer as a paragraph of its own. A Latin run
/// goes whole to the next line when it fits one; only a run longer than a line is broken
/// (each part stays in order on its own line). Wrapped by the renderer, the run
/// "(carte grise)" at a line's end was drawn out of order with a letter cut
/// ("( arte" / "grise)"). Other text is left to the renderer.
pub fn wrap_mixed(text: &str, size: f32, family: &str, width: f32) -> String {
    use crate::core::bidi::{LRI, PDI};
    if !text.contains(LRI) || faces().is_none() || line_width(text, size, family) <= width {
        return text.to_string();
    }
    // Pieces between break opportunities, those inside one isolate kept together.
    let mut units: Vec<Vec<&str>> = Vec::new();
    let (mut start, mut depth) = (0, 0i32);
    for (end, _) in unicode_linebreak::linebreaks(text) {
        let piece = &text[start..end];
        match units.last_mut() {
            Some(unit) if depth > 0 => unit.push(piece),
            _ => units.push(vec![piece]),
        }
        depth += piece.chars().map(|c| i32::from(c == LRI) - i32::from(c == PDI)).sum::<i32>();
        start = end;
    }
    let fits = |s: &str| line_width(s.trim_end(), size, family) <= width;
    let (mut out, mut line) = (String::with_capacity(text.len() + 4), String::new());
    let flush = |out: &mut String, line: &mut String| {
        if !line.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line.trim_end());
            line.clear();
        }
    };
    for unit in units {
        let whole = unit.concat();
        if fits(&format!("{line}{whole}")) {
            line.push_str(&whole);
            continue;
        }
        flush(&mut out, &mut line);
        if fits(&whole) {
            line = whole;
            continue;
        }
        for piece in unit {
            if !line.is_empty() && !fits(&format!("{line}{piece}")) {
                flush(&mut out, &mut line);
            }
            line.push_str(piece);
        }
    }
    flush(&mut out, &mut line);
    out
}

/// Whether some line of `text` (drawn in bold `family` at `size`) is wider than `width`
/// and holds a Latin run of right-to-left text: the renderer would wrap it, and a run at
/// a line's end is then drawn out of order, a letter cut. Reported as cut text.
pub fn splits_run(text: &str, size: f32, family: &str, width: f32) -> bool {
    text.split('\n').any(|l| l.contains(crate::core::bidi::LRI) && line_width(l.trim_end(), size, family) > width + 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_piece_is_the_longest_word() {
        let one = widest_piece("Продовжити", 40.0, "Noto Sans");
        let sentence = widest_piece("Потім торкніться кнопки Продовжити.", 40.0, "Noto Sans");
        // The full stop sticks to its word.
        assert!(sentence > one && sentence < one * 1.2, "{one} {sentence}");
        assert!(widest_piece("Fermer", 40.0, "Atkinson Hyperlegible") > 0.0);
    }

    #[test]
    fn hyphens_and_spaces_are_break_points() {
        let whole = widest_piece("e-mail", 40.0, "Atkinson Hyperlegible");
        let mail = widest_piece("mail", 40.0, "Atkinson Hyperlegible");
        assert_eq!(whole, mail);
        let spaced = widest_piece("a b c", 40.0, "Atkinson Hyperlegible");
        assert!(spaced < widest_piece("abc", 40.0, "Atkinson Hyperlegible"));
    }

    #[test]
    fn mixed_text_is_cut_into_lines_that_fit_and_keep_the_latin_run_whole() {
        let text = crate::core::bidi::isolate_latin("تغيير البطاقة الرمادية لسيارتي (carte grise)");
        let one = line_width(&text, 34.0, NOTO_ARABIC_UI);
        // Left whole by the renderer, a narrower box would split it.
        assert!(splits_run(&text, 34.0, NOTO_ARABIC_UI, one * 0.8));
        let wrapped = wrap_mixed(&text, 34.0, NOTO_ARABIC_UI, one * 0.8);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert_eq!(lines.len(), 2, "{wrapped:?}");
        assert!(lines[1].starts_with('(') && lines[1].contains("carte grise"), "{wrapped:?}");
        assert!(!splits_run(&wrapped, 34.0, NOTO_ARABIC_UI, one * 0.8));
        // Text that fits, or has no Latin run, is left as it is.
        assert_eq!(wrap_mixed(&text, 34.0, NOTO_ARABIC_UI, one + 1.0), text);
        assert_eq!(wrap_mixed("Changer ma carte grise", 34.0, NOTO, 10.0), "Changer ma carte grise");
        // A run longer than a line is broken, each line still fitting.
        let narrow = line_width("(carte", 34.0, NOTO_ARABIC_UI) + 8.0;
        let lines = wrap_mixed(&text, 34.0, NOTO_ARABIC_UI, narrow);
        assert!(lines.lines().any(|l| l.ends_with("grise\u{2069})")), "{lines:?}");
        assert!(!splits_run(&lines, 34.0, NOTO_ARABIC_UI, narrow), "{lines:?}");
    }

    #[test]
    fn width_follows_size_and_falls_back_for_other_scripts() {
        let small = widest_piece("العربية", 20.0, "Atkinson Hyperlegible");
        let big = widest_piece("العربية", 40.0, "Atkinson Hyperlegible");
        // Each width is rounded up to the pixel, plus one.
        assert!(small > 0.0 && (big - 2.0 * small).abs() <= 3.0, "{small} {big}");
    }
}
