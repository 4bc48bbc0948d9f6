//! ESC/POS bytes of the paper ticket for a 58 or 80 mm thermal printer: the office, the
//! number very large, the queue, date and time, the estimated wait, the documents to
//! prepare (wrapped to the paper's columns), the QR code (drawn by the printer, or sent as
//! a raster image) and a cut. Text goes out in code page PC858 (see `pc858`); text in
//! scripts it lacks goes out as images (`paper_text`). What goes where is
//! `receipt_layout`'s job; this file has the types and the commands.

use super::paper_text::Dots;
use super::pc858;
pub use super::receipt_layout::receipt;
pub use crate::core::paper_words::VisitorWords;
use qrcode::{Color, EcLevel, QrCode};
use serde::Deserialize;

/// What goes on paper, already in words: French for staff (and for a French visitor),
/// and the visitor's own language above it when that is another.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaperTicket {
    pub site: String,
    pub number: String,
    pub queue: String,
    pub issued: String,
    pub wait: String,
    pub documents: Vec<String>,
    pub qr: String,
    /// The visitor's "Suivre mon tour" page, when the office offers it: a second code.
    pub follow: Option<String>,
    /// The visitor's language, when it is not French.
    pub visitor: Option<VisitorWords>,
}

/// How the QR code reaches the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QrMode {
    /// `GS ( k`: the printer draws it (few bytes; most ESC/POS printers since ~2010).
    #[default]
    Native,
    /// `GS v 0`: we draw it and send the dots (any printer that prints raster images).
    Raster,
}

/// Paper roll width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    Mm58,
    Mm80,
}

impl Paper {
    /// 58 or 80; any other width is `None`.
    pub fn from_mm(mm: u32) -> Option<Paper> {
        match mm {
            58 => Some(Paper::Mm58),
            80 => Some(Paper::Mm80),
            _ => None,
        }
    }

    /// Characters of font A (12 × 24 dots) on one line.
    pub fn columns(self) -> usize {
        match self {
            Paper::Mm58 => 32,
            Paper::Mm80 => 48,
        }
    }

    /// Printable width in dots (8 dots a millimetre).
    pub fn dots(self) -> u32 {
        match self {
            Paper::Mm58 => 384,
            Paper::Mm80 => 576,
        }
    }

    /// Dots per QR module (a 33-module code is 25 mm wide on 58 mm paper, 33 mm on 80 mm).
    pub(super) fn qr_module(self) -> u8 {
        match self {
            Paper::Mm58 => 6,
            Paper::Mm80 => 8,
        }
    }
}

/// The paper and the QR mode of one printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub paper: Paper,
    pub qr: QrMode,
}

impl Default for Layout {
    fn default() -> Self {
        Layout { paper: Paper::Mm80, qr: QrMode::Native }
    }
}

pub const ESC: u8 = 0x1b;
pub const GS: u8 = 0x1d;
pub const LF: u8 = 0x0a;

pub(super) const LEFT: u8 = 0;
pub(super) const CENTRE: u8 = 1;
pub(super) const RIGHT: u8 = 2;
const CHECKBOX: &str = "[ ] ";

/// `text` cut into lines of at most `width` characters, at spaces (not at no-break
/// spaces) where possible; a word longer than a line is cut. Give it folded text
/// (`pc858::fold`): one character, one column.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line: Vec<char> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(line.drain(..).collect());
        }
        // Only a word longer than a whole line is cut (the line is empty here).
        while word.len() > width {
            lines.push(word.drain(..width).collect());
        }
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.append(&mut word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line.into_iter().collect());
    }
    lines
}

/// The byte stream being built, and the paper it is for.
pub(super) struct Out {
    pub(super) bytes: Vec<u8>,
    pub(super) paper: Paper,
}

impl Out {
    pub(super) fn new(paper: Paper) -> Out {
        Out { bytes: Vec::with_capacity(1024), paper }
    }

    pub(super) fn command(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    pub(super) fn align(&mut self, n: u8) {
        self.command(&[ESC, b'a', n]);
    }

    pub(super) fn bold(&mut self, on: bool) {
        self.command(&[ESC, b'E', u8::from(on)]);
    }

    /// `GS !`: characters `times` as wide and as high (1 to 8).
    pub(super) fn size(&mut self, times: usize) {
        let t = times.clamp(1, 8) as u8 - 1;
        self.command(&[GS, b'!', (t << 4) | t]);
    }

    /// `text` on as many lines as it needs at magnification `times`.
    pub(super) fn text(&mut self, text: &str, times: usize) {
        for line in wrap(&pc858::fold(text), self.paper.columns() / times.max(1)) {
            self.line(&line);
        }
    }

    /// One list item: the checkbox, then the text wrapped under itself.
    pub(super) fn item(&mut self, text: &str) {
        let indent = CHECKBOX.len();
        let lines = wrap(&pc858::fold(text), self.paper.columns() - indent);
        for (i, line) in lines.iter().enumerate() {
            let lead = if i == 0 { CHECKBOX.to_string() } else { " ".repeat(indent) };
            self.line(&format!("{lead}{line}"));
        }
    }

    fn line(&mut self, folded: &str) {
        self.bytes.extend(pc858::encode(folded));
        self.bytes.push(LF);
    }

    pub(super) fn blank(&mut self) {
        self.bytes.push(LF);
    }

    /// `GS ( k`: QR model 2, module size, error correction M, store the data, print it.
    pub(super) fn qr_native(&mut self, data: &str) {
        let Ok(stored) = u16::try_from(data.len() + 3) else { return };
        let [pl, ph] = stored.to_le_bytes();
        self.command(&[GS, b'(', b'k', 4, 0, 49, 65, 50, 0]);
        self.command(&[GS, b'(', b'k', 3, 0, 49, 67, self.paper.qr_module()]);
        self.command(&[GS, b'(', b'k', 3, 0, 49, 69, 49]);
        self.command(&[GS, b'(', b'k', pl, ph, 49, 80, 48]);
        self.command(data.as_bytes());
        self.command(&[GS, b'(', b'k', 3, 0, 49, 81, 48]);
    }

    /// `GS v 0`: one image of dots (a line of drawn text), placed by `align` (`ESC a`).
    pub(super) fn image(&mut self, dots: &Dots, align: u8) {
        let (Ok(x), Ok(y)) = (u16::try_from(dots.width / 8), u16::try_from(dots.height)) else { return };
        let ([xl, xh], [yl, yh]) = (x.to_le_bytes(), y.to_le_bytes());
        self.align(align);
        self.command(&[GS, b'v', b'0', 0, xl, xh, yl, yh]);
        self.command(&dots.bits);
    }

    /// `GS v 0`: the same QR code (error correction M) as dots, one bit a dot.
    pub(super) fn qr_raster(&mut self, data: &str) {
        let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else { return };
        let n = code.width();
        let colors = code.to_colors();
        let module = usize::from(self.paper.qr_module());
        let side = n * module;
        let row_bytes = side.div_ceil(8);
        let (Ok(x), Ok(y)) = (u16::try_from(row_bytes), u16::try_from(side)) else { return };
        let ([xl, xh], [yl, yh]) = (x.to_le_bytes(), y.to_le_bytes());
        self.command(&[GS, b'v', b'0', 0, xl, xh, yl, yh]);
        for dot_y in 0..side {
            let row = &colors[(dot_y / module) * n..][..n];
            for byte in 0..row_bytes {
                let mut bits = 0u8;
                for bit in 0..8 {
                    let dot_x = byte * 8 + bit;
                    if dot_x < side && row[dot_x / module] == Color::Dark {
                        bits |= 0x80 >> bit;
                    }
                }
                self.bytes.push(bits);
            }
        }
    }
}
