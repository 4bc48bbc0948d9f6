//! A PNG picture of a receipt, drawn from its ESC/POS bytes as a printer would: the bytes
//! are read back (`escpos_read`), then each line is drawn in character cells of font A
//! (12 × 24 dots, times the magnification) with an embedded font (Noto Sans, whose zero
//! has no slash), native QR codes are drawn with the `qrcode` crate, raster images dot for
//! dot, and a cut as a dashed line. 8 dots a millimetre: 384 px across for 58 mm paper,
//! 576 px for 80 mm. The simulated printer writes it beside the bytes.

use super::escpos_read::{self, Align, Block, Qr, Raster, ReadError, TextLine};
use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use qrcode::{Color, EcLevel, QrCode};
use std::path::Path;

use crate::assets::fonts::{NOTO_BOLD as BOLD, NOTO_REGULAR as REGULAR};

/// Font A cell, and the default line feed (a line of 24 dots plus 6 of spacing).
const CELL_W: u32 = 12;
const CELL_H: u32 = 24;
const LINE_FEED: u32 = 30;
/// Paper above the first line, fed to the cutter before a cut, and kept below it.
const TOP: u32 = 16;
const TO_CUTTER: u32 = 90;
const BELOW_CUT: u32 = 12;
/// Capital height as a share of the cell (font A's capitals are about 16 dots of 24).
const CAPS_IN_CELL: f32 = 0.66;
/// The baseline's place in the cell, from its top.
const BASELINE_IN_CELL: f32 = 0.78;

#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("cannot read the receipt: {0}")]
    Read(#[from] ReadError),
    #[error("embedded font: {0}")]
    Font(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("PNG: {0}")]
    Png(#[from] png::EncodingError),
}

/// A grey picture, 0 black to 255 white, row after row.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub grey: Vec<u8>,
}

struct Fonts<'a> {
    regular: FontRef<'a>,
    bold: FontRef<'a>,
}

/// The paper: as wide as the print area, growing downwards as lines are fed.
struct Paper {
    width: u32,
    grey: Vec<u8>,
    y: u32,
}

impl Paper {
    fn rows(&self) -> u32 {
        (self.grey.len() / self.width as usize) as u32
    }

    fn grow(&mut self, rows: u32) {
        if rows > self.rows() {
            self.grey.resize(rows as usize * self.width as usize, 255);
        }
    }

    /// Darkens one dot by `ink` (0 to 1); dots outside the paper are dropped.
    fn ink(&mut self, x: i64, y: i64, ink: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) {
            return;
        }
        self.grow(y as u32 + 1);
        let i = y as usize * self.width as usize + x as usize;
        let shade = 255.0 - ink.clamp(0.0, 1.0) * 255.0;
        self.grey[i] = self.grey[i].min(shade as u8);
    }

    /// Left edge of something `width` dots wide.
    fn left(&self, width: u32, align: Align) -> u32 {
        let room = self.width.saturating_sub(width);
        match align {
            Align::Left => 0,
            Align::Centre => room / 2,
            Align::Right => room,
        }
    }

    /// Fills a `side` × `side` square of dots.
    fn square(&mut self, x: u32, y: u32, side: u32) {
        for dy in 0..side {
            for dx in 0..side {
                self.ink(i64::from(x + dx), i64::from(y + dy), 1.0);
            }
        }
    }

    fn text(&mut self, line: &TextLine, fonts: &Fonts) {
        let (cell_w, cell_h) = (CELL_W * u32::from(line.width), CELL_H * u32::from(line.height));
        let chars = line.text.chars().count() as u32;
        let x0 = self.left(chars * cell_w, line.align);
        let font = if line.bold { &fonts.bold } else { &fonts.regular };
        let em = cell_h as f32 * CAPS_IN_CELL / cap_height(font);
        let height = em * font.height_unscaled() / font.units_per_em().unwrap_or(1000.0);
        let baseline = self.y as f32 + cell_h as f32 * BASELINE_IN_CELL;
        for (i, c) in line.text.chars().enumerate() {
            let id = font.glyph_id(c);
            let advance = font.as_scaled(PxScale::from(height)).h_advance(id);
            // A glyph wider than its cell is narrowed to fit, as a printer's font is.
            let narrow = if advance > cell_w as f32 { cell_w as f32 / advance } else { 1.0 };
            let scale = PxScale { x: height * narrow, y: height };
            let left = (x0 + i as u32 * cell_w) as f32 + (cell_w as f32 - advance * narrow) / 2.0;
            let glyph = id.with_scale_and_position(scale, point(left, baseline));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|x, y, c| self.ink(b.min.x as i64 + i64::from(x), b.min.y as i64 + i64::from(y), c));
            }
        }
        self.feed(cell_h.max(LINE_FEED));
    }

    fn qr(&mut self, qr: &Qr) {
        let ec = match qr.correction {
            b'0' => EcLevel::L,
            b'1' => EcLevel::M,
            b'2' => EcLevel::Q,
            _ => EcLevel::H,
        };
        let Ok(code) = QrCode::with_error_correction_level(&qr.data, ec) else { return };
        let (n, module) = (code.width() as u32, u32::from(qr.module));
        let x0 = self.left(n * module, qr.align);
        let top = self.y;
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c == Color::Dark {
                let (mx, my) = (i as u32 % n, i as u32 / n);
                self.square(x0 + mx * module, top + my * module, module);
            }
        }
        self.feed(n * module);
    }

    fn raster(&mut self, r: &Raster) {
        let x0 = self.left(r.width, r.align);
        let top = self.y;
        for y in 0..r.height {
            for x in 0..r.width {
                if r.dot(x, y) {
                    self.ink(i64::from(x0 + x), i64::from(top + y), 1.0);
                }
            }
        }
        self.feed(r.height);
    }

    /// Feeds to the cutter and draws the cut as a dashed line across.
    fn cut(&mut self) {
        self.feed(TO_CUTTER);
        let y = self.y;
        for x in (0..self.width).filter(|x| x % 12 < 7) {
            self.ink(i64::from(x), i64::from(y), 0.6);
        }
        self.feed(BELOW_CUT);
    }

    fn feed(&mut self, dots: u32) {
        self.y += dots;
        self.grow(self.y);
    }
}

/// Capital height in font units over units per em (for "H").
fn cap_height(font: &FontRef) -> f32 {
    let upem = font.units_per_em().unwrap_or(1000.0);
    font.outline(font.glyph_id('H')).map_or(0.7, |o| (o.bounds.max.y - o.bounds.min.y).abs() / upem)
}

/// Draws the receipt `bytes` on paper `width` dots wide.
pub fn render(bytes: &[u8], width: u32) -> Result<Picture, PreviewError> {
    let blocks = escpos_read::read(bytes)?;
    let font = |bytes| FontRef::try_from_slice(bytes).map_err(|e| PreviewError::Font(e.to_string()));
    let fonts = Fonts { regular: font(REGULAR)?, bold: font(BOLD)? };
    let mut paper = Paper { width: width.max(8), grey: Vec::new(), y: TOP };
    paper.grow(TOP);
    let mut cut = false;
    for block in &blocks {
        match block {
            Block::Text(line) => paper.text(line, &fonts),
            Block::Qr(qr) => paper.qr(qr),
            Block::Raster(r) => paper.raster(r),
            Block::Cut { .. } => {
                paper.cut();
                cut = true;
            }
            Block::StatusQuery(_) => {}
        }
    }
    if !cut {
        paper.feed(TOP);
    }
    let height = paper.rows();
    Ok(Picture { width: paper.width, height, grey: paper.grey })
}

/// Draws the receipt and writes it to `path` as a grey PNG.
pub fn write_png(bytes: &[u8], width: u32, path: &Path) -> Result<(), PreviewError> {
    let picture = render(bytes, width)?;
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut encoder = png::Encoder::new(file, picture.width, picture.height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&picture.grey)?;
    Ok(())
}
