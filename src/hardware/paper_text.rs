//! Text the printer's code page cannot print (Arabic, Ukrainian, Turkish or Romanian
//! letters) drawn as dots for `GS v 0`: a paragraph is wrapped at its break opportunities
//! (UAX #14) to the paper's width measured on the shaped text (`shaping`), and each line
//! becomes one image of its own width, the text flush to the side it is read from. A list
//! item gets a drawn checkbox before it (after it, in a right-to-left language) and its
//! other lines hang under its first word.

use super::shaping::{self, Faces, Shaped};
use ab_glyph::{point, Font, GlyphId, PxScale};

/// One line of dots: `width` (a multiple of 8) × `height`, one bit a dot, 1 = black,
/// rows from the top, each row's first bit at the left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dots {
    pub width: u32,
    pub height: u32,
    pub bits: Vec<u8>,
}

impl Dots {
    fn blank(width: u32, height: u32) -> Dots {
        let width = width.div_ceil(8).max(1) * 8;
        Dots { width, height, bits: vec![0; (width / 8 * height) as usize] }
    }

    fn set(&mut self, x: i64, y: i64) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let i = y as usize * (self.width / 8) as usize + (x / 8) as usize;
        self.bits[i] |= 0x80 >> (x % 8);
    }

    /// Whether the dot at (`x`, `y`) is black.
    pub fn dot(&self, x: u32, y: u32) -> bool {
        x < self.width
            && self.bits.get((y * (self.width / 8) + x / 8) as usize).is_some_and(|b| b & (0x80 >> (x % 8)) != 0)
    }
}

/// Size (dots to the em; 8 dots a millimetre) and weight of drawn text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
}

/// Text as the code page's font A (24-dot cells, capitals about 16 dots high).
pub const BODY: Style = Style { size: 26.0, bold: false };
pub const STRONG: Style = Style { size: 26.0, bold: true };
/// Over the number, as the French "Votre numéro" in double size.
pub const HEADING: Style = Style { size: 40.0, bold: true };

/// Why text could not be drawn (the ticket is then printed in French).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("the embedded fonts cannot be read")]
    Fonts,
    #[error("drawing the text panicked")]
    Panicked,
}

/// Arabic letters are small for their em: drawn a size larger to read like the Latin.
fn size_for(style: Style, rtl: bool) -> f32 {
    if rtl {
        style.size * 1.15
    } else {
        style.size
    }
}

/// Height and baseline of a line at `size`, from the taller of the two families.
fn metrics(faces: &Faces, size: f32) -> (u32, f32) {
    let [noto, arabic] = [&faces.noto[0], &faces.arabic[0]];
    let ascent = [noto, arabic].iter().map(|f| f.glyphs.ascent_unscaled() * f.scale(size)).fold(0.0, f32::max);
    let descent = [noto, arabic].iter().map(|f| -f.glyphs.descent_unscaled() * f.scale(size)).fold(0.0, f32::max);
    let gap = size * 0.12;
    ((ascent + descent + gap).ceil() as u32, ascent + gap / 2.0)
}

/// `text` in lines no wider than `room` dots, each drawn; `rtl` for Arabic.
pub fn paragraph(text: &str, style: Style, rtl: bool, room: u32) -> Result<Vec<Dots>, DrawError> {
    lines(text, style, rtl, room, 0)
}

/// A list item: a checkbox, then `text` wrapped under itself.
pub fn item(text: &str, style: Style, rtl: bool, room: u32) -> Result<Vec<Dots>, DrawError> {
    let indent = (size_for(style, rtl) * 1.0).round() as u32;
    lines(text, style, rtl, room, indent)
}

fn lines(text: &str, style: Style, rtl: bool, room: u32, indent: u32) -> Result<Vec<Dots>, DrawError> {
    let faces = shaping::faces().ok_or(DrawError::Fonts)?;
    let size = size_for(style, rtl);
    let shape = |piece: &str| shaping::shape(faces, piece, size, style.bold, rtl);
    let room = room.saturating_sub(indent) as f32;
    let (height, baseline) = metrics(faces, size);
    let mut out = Vec::new();
    let keep = if rtl { brackets(text.trim(), room, &shape) } else { Vec::new() };
    for (i, line) in wrap(text, room, &keep, &shape).into_iter().enumerate() {
        let mut dots = Dots::blank(line.width.ceil() as u32 + indent, height);
        let text_left = if rtl { dots.width as f32 - line.width - indent as f32 } else { indent as f32 };
        draw(&mut dots, &line, text_left, baseline);
        if indent > 0 && i == 0 {
            let x = if rtl { dots.width - indent + indent / 4 } else { 0 };
            checkbox(&mut dots, x, baseline, size);
        }
        out.push(dots);
    }
    Ok(out)
}

/// The bracketed parts of `text` ("(certificat de cession)") that fit on one line. In a
/// right-to-left line, a Latin insertion broken in two has its brackets drawn at the
/// wrong ends ("certificat)" … "(de cession"): such a part goes to the next line whole.
fn brackets(text: &str, room: f32, shape: &dyn Fn(&str) -> Shaped) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (open, close) in [('(', ')'), ('[', ']'), ('«', '»')] {
        let mut from = 0;
        while let Some(start) = text[from..].find(open).map(|i| from + i) {
            let Some(end) = text[start..].find(close).map(|i| start + i + close.len_utf8()) else { break };
            if shape(&text[start..end]).width <= room {
                out.push(start..end);
            }
            from = end;
        }
    }
    out
}

/// The lines of `text`, each as wide as `room` at most: broken where UAX #14 allows
/// (never inside a range of `keep`), a word wider than a whole line cut between letters.
fn wrap(text: &str, room: f32, keep: &[std::ops::Range<usize>], shape: &dyn Fn(&str) -> Shaped) -> Vec<Shaped> {
    let text = text.trim();
    let mut lines = Vec::new();
    let mut start = 0;
    // The end of the longest piece from `start` that fits so far.
    let mut fits: Option<usize> = None;
    let inside = |at: usize| keep.iter().any(|r| r.start < at && at < r.end);
    let mut breaks = unicode_linebreak::linebreaks(text).map(|(at, _)| at).filter(|&at| !inside(at)).peekable();
    while let Some(&end) = breaks.peek() {
        let candidate = text[start..end].trim_end();
        if shape(candidate).width <= room {
            fits = Some(end);
            breaks.next();
            continue;
        }
        match fits.take() {
            Some(at) => {
                lines.push(shape(text[start..at].trim_end()));
                start = at;
            }
            None => {
                // Not even one piece fits: as many letters as fit.
                let cut = longest_fitting(&text[start..end], room, shape).max(1);
                let at = start + text[start..].char_indices().nth(cut).map_or(end - start, |(i, _)| i);
                lines.push(shape(&text[start..at]));
                start = at;
            }
        }
    }
    if start < text.len() || lines.is_empty() {
        lines.push(shape(text[start..].trim_end()));
    }
    lines
}

/// How many characters of `piece` fit in `room`.
fn longest_fitting(piece: &str, room: f32, shape: &dyn Fn(&str) -> Shaped) -> usize {
    let ends: Vec<usize> = piece.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    ends.iter().take_while(|&&end| shape(&piece[..end]).width <= room).count()
}

/// Draws the shaped line with its left edge at `left`: a dot is black where a glyph
/// covers at least half of it.
fn draw(dots: &mut Dots, line: &Shaped, left: f32, baseline: f32) {
    for g in &line.glyphs {
        let font = &g.face.glyphs;
        // ab_glyph's scale is the height from descender to ascender.
        let scale = PxScale::from(g.face.scale(line.size) * font.height_unscaled());
        let glyph = GlyphId(g.glyph).with_scale_and_position(scale, point(left + g.x, baseline - g.rise));
        if let Some(outline) = font.outline_glyph(glyph) {
            let b = outline.px_bounds();
            outline.draw(|x, y, c| {
                if c >= 0.5 {
                    dots.set(b.min.x as i64 + i64::from(x), b.min.y as i64 + i64::from(y));
                }
            });
        }
    }
}

/// A hollow square, two dots thick, standing on the baseline like a capital.
fn checkbox(dots: &mut Dots, x: u32, baseline: f32, size: f32) {
    let side = (size * 0.62).round() as i64;
    let (left, bottom) = (i64::from(x), baseline.round() as i64);
    let top = bottom - side;
    for d in 0..side {
        for t in 0..2 {
            dots.set(left + d, top + t);
            dots.set(left + d, bottom - 1 - t);
            dots.set(left + t, top + d);
            dots.set(left + side - 1 - t, top + d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ink(d: &Dots) -> usize {
        d.bits.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// The columns of `d` that hold ink, as (first, last).
    fn inked_columns(d: &Dots) -> (u32, u32) {
        let cols: Vec<u32> = (0..d.width).filter(|&x| (0..d.height).any(|y| d.dot(x, y))).collect();
        (cols.first().copied().unwrap_or(0), cols.last().copied().unwrap_or(0))
    }

    #[test]
    fn a_long_sentence_wraps_to_the_paper() {
        let text = "Зберігайте цей талон, доки не настане Ваша черга. Підготуйте документи заздалегідь.";
        for room in [384, 576] {
            let lines = paragraph(text, BODY, false, room).unwrap_or_default();
            assert!(lines.len() >= 2, "{room}: {}", lines.len());
            assert!(lines.iter().all(|l| l.width <= room && ink(l) > 100), "{room}");
        }
        let wide = paragraph(text, BODY, false, 576).unwrap_or_default().len();
        let narrow = paragraph(text, BODY, false, 384).unwrap_or_default().len();
        assert!(narrow > wide, "{narrow} lines on 58 mm, {wide} on 80 mm");
    }

    #[test]
    fn arabic_is_flush_right_and_a_word_too_long_is_cut() {
        let lines = paragraph("انتظر من فضلك. سننادي عليك بهذا الرقم.", BODY, true, 576).unwrap_or_default();
        let (first, last) = inked_columns(&lines[0]);
        assert!(lines[0].width - last <= 3, "ink reaches the right edge: {last} of {}", lines[0].width);
        assert!(first < 16, "{first}");
        let long = paragraph(&"ж".repeat(60), BODY, false, 384).unwrap_or_default();
        assert!(long.len() >= 2 && long.iter().all(|l| l.width <= 384));
    }

    #[test]
    fn a_latin_insertion_in_arabic_is_not_broken_inside_its_brackets() {
        // As a list item on 58 mm paper, "(certificat" would still fit on the first line.
        let text = "ورقة البيع الموقعة (certificat de cession)";
        let lines = paragraph(text, BODY, true, 354).unwrap_or_default();
        let faces = shaping::faces().unwrap_or_else(|| panic!("fonts"));
        let whole = shaping::shape(faces, "(certificat de cession)", size_for(BODY, true), false, true).width;
        // The last line holds the whole insertion, brackets included.
        let last = lines.last().map_or(0, |l| inked_columns(l).1 - inked_columns(l).0);
        assert!(lines.len() == 2 && last as f32 >= whole - 4.0, "{} lines, last {last} of {whole}", lines.len());
    }

    #[test]
    fn items_have_a_box_on_the_side_they_are_read_from() {
        for rtl in [false, true] {
            let lines = item("Паспорт або посвідка на проживання, і останнє повідомлення про податки", BODY, rtl, 384)
                .unwrap_or_default();
            assert!(lines.len() >= 2);
            let first = &lines[0];
            // The box's outer column: a straight run of black dots.
            let edge = if rtl { first.width - (first.width - inked_columns(first).1) - 1 } else { 0 };
            let run = (0..first.height).filter(|&y| first.dot(edge, y)).count();
            assert!(run >= 14, "rtl {rtl}: box side {run}");
        }
    }
}
