//! One line of text as positioned glyphs of the kiosk's embedded fonts: put in visual
//! order by the Unicode bidi rules (an Arabic sentence right to left, a Latin word or a
//! number inside it left to right), each run shaped by harfrust (Arabic letters joined,
//! marks placed, brackets mirrored), Arabic letters in Noto Sans Arabic UI and the rest
//! (Latin, Cyrillic, digits) in Noto Sans. Widths are in dots at the size asked.

use crate::assets::fonts::{ARABIC_BOLD, ARABIC_REGULAR, NOTO_BOLD, NOTO_REGULAR};
use harfrust::{Direction, ShapeOptions, ShaperData, UnicodeBuffer};
use std::ops::Range;
use std::sync::OnceLock;
use unicode_bidi::{BidiInfo, Level};

/// One embedded font, ready for shaping (harfrust) and drawing (ab_glyph).
pub struct Face {
    data: &'static [u8],
    shaper: ShaperData,
    pub glyphs: ab_glyph::FontRef<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        let font = harfrust::FontRef::new(data).ok()?;
        let shaper = ShaperData::new(&font);
        let glyphs = ab_glyph::FontRef::try_from_slice(data).ok()?;
        let units_per_em = ab_glyph::Font::units_per_em(&glyphs)?;
        Some(Face { data, shaper, glyphs, units_per_em })
    }

    /// Dots per font unit at `size` dots to the em.
    pub fn scale(&self, size: f32) -> f32 {
        size / self.units_per_em
    }
}

/// The four faces the paper uses.
pub struct Faces {
    pub noto: [Face; 2],
    pub arabic: [Face; 2],
}

/// The faces, read once; `None` if an embedded font cannot be read (then nothing is drawn
/// and the ticket is printed in French: see `escpos::receipt`).
pub fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some(Faces {
                noto: [Face::load(NOTO_REGULAR)?, Face::load(NOTO_BOLD)?],
                arabic: [Face::load(ARABIC_REGULAR)?, Face::load(ARABIC_BOLD)?],
            })
        })
        .as_ref()
}

/// A glyph placed on the line: `x` from the line's left edge and `rise` above the
/// baseline, in dots.
pub struct Placed {
    pub face: &'static Face,
    pub glyph: u16,
    pub x: f32,
    pub rise: f32,
}

/// A shaped line: its glyphs from left to right, its width in dots and the size (dots
/// to the em) it was shaped at.
pub struct Shaped {
    pub glyphs: Vec<Placed>,
    pub width: f32,
    pub size: f32,
}

/// Letters the Arabic face draws: the Arabic blocks and their presentation forms.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The pieces of a run (a byte range of `text`) that take one face each, in logical
/// order: Arabic letters, and what sits between them in a right-to-left run (spaces,
/// punctuation), in the Arabic face when it has them; everything else in Noto Sans.
fn pieces(faces: &Faces, text: &str, run: Range<usize>, rtl: bool) -> Vec<(Range<usize>, bool)> {
    let has = |face: &Face, c: char| ab_glyph::Font::glyph_id(&face.glyphs, c).0 != 0;
    let mut out: Vec<(Range<usize>, bool)> = Vec::new();
    for (i, c) in text[run.clone()].char_indices() {
        let at = run.start + i;
        let wanted = is_arabic(c) || (rtl && !c.is_alphanumeric());
        let arabic =
            if wanted { has(&faces.arabic[0], c) } else { !has(&faces.noto[0], c) && has(&faces.arabic[0], c) };
        match out.last_mut() {
            Some((range, a)) if *a == arabic => range.end = at + c.len_utf8(),
            _ => out.push((at..at + c.len_utf8(), arabic)),
        }
    }
    out
}

/// Shapes `text` on one line at `size` dots to the em, `bold` or not; a right-to-left
/// paragraph (`rtl`) starts from the right, as Arabic is read.
pub fn shape(faces: &'static Faces, text: &str, size: f32, bold: bool, rtl: bool) -> Shaped {
    let mut line = Shaped { glyphs: Vec::new(), width: 0.0, size };
    if text.is_empty() {
        return line;
    }
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let bidi = BidiInfo::new(text, Some(base));
    let Some(para) = bidi.paragraphs.first() else { return line };
    let (levels, runs) = bidi.visual_runs(para, para.range.clone());
    let weight = usize::from(bold);
    for run in runs {
        let run_rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
        let mut parts = pieces(faces, text, run, run_rtl);
        if run_rtl {
            parts.reverse();
        }
        for (range, arabic) in parts {
            let face = if arabic { &faces.arabic[weight] } else { &faces.noto[weight] };
            shape_piece(face, &text[range], run_rtl, size, &mut line);
        }
    }
    line
}

/// Appends one piece in one face and one direction to the line.
fn shape_piece(face: &'static Face, piece: &str, rtl: bool, size: f32, line: &mut Shaped) {
    let Ok(font) = harfrust::FontRef::new(face.data) else { return };
    let shaper = face.shaper.shaper(&font).build();
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(piece);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl { Direction::RightToLeft } else { Direction::LeftToRight });
    let shaped = shaper.shape(buffer, ShapeOptions::new());
    let scale = face.scale(size);
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        line.glyphs.push(Placed {
            face,
            glyph: u16::try_from(info.glyph_id).unwrap_or(0),
            x: line.width + pos.x_offset as f32 * scale,
            rise: pos.y_offset as f32 * scale,
        });
        line.width += pos.x_advance as f32 * scale;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faces_or_fail() -> &'static Faces {
        faces().unwrap_or_else(|| panic!("the embedded fonts could not be read"))
    }

    #[test]
    fn arabic_letters_join_and_read_from_the_right() {
        let faces = faces_or_fail();
        // Joined letters take their contextual forms: the word is narrower than its
        // letters set apart, lam and alef become their one ligature glyph, and the first
        // letter takes its initial form.
        let word = shape(faces, "سلام", 30.0, false, true);
        let apart = shape(faces, "س ل ا م", 30.0, false, true);
        assert_eq!(word.glyphs.len(), 3, "sin, lam-alef, mim");
        assert!(word.width < apart.width * 0.8, "{} {}", word.width, apart.width);
        // In visual order, the first letter (sin) is drawn last, at the right.
        let sin_alone = shape(faces, "س", 30.0, false, true);
        let last = word.glyphs.last().map(|g| g.glyph);
        assert_ne!(last, sin_alone.glyphs.first().map(|g| g.glyph), "initial form, not the isolated one");
        assert!(word.glyphs.windows(2).all(|w| w[0].x <= w[1].x));
    }

    #[test]
    fn a_latin_word_in_arabic_keeps_its_own_order() {
        let faces = faces_or_fail();
        let line = shape(faces, "بطاقة (CAF) 42", 30.0, false, true);
        let noto = &faces.noto[0];
        let latin: Vec<u16> = line.glyphs.iter().filter(|g| std::ptr::eq(g.face, noto)).map(|g| g.glyph).collect();
        let caf: Vec<u16> = shape(faces, "CAF", 30.0, false, false).glyphs.iter().map(|g| g.glyph).collect();
        assert!(latin.windows(3).any(|w| w == caf.as_slice()), "C, A, F left to right");
        assert!(line.glyphs.iter().all(|g| g.glyph != 0), "a sign without a glyph (the brackets)");
        // The number is at the left end of a right-to-left line.
        let digits = shape(faces, "42", 30.0, false, false);
        assert_eq!(line.glyphs[0].glyph, digits.glyphs[0].glyph);
    }

    #[test]
    fn cyrillic_and_turkish_letters_have_glyphs() {
        let faces = faces_or_fail();
        for text in ["Ваш номер", "Sıranız gelene kadar ğ ş İ", "Păstrați"] {
            let line = shape(faces, text, 30.0, true, false);
            assert!(line.glyphs.iter().all(|g| g.glyph != 0), "{text}: a letter without a glyph");
            assert!(line.width > 30.0, "{text}");
        }
    }
}
