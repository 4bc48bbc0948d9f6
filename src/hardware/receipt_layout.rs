//! What goes where on the paper ticket. A French visitor's ticket is French: the office,
//! the number very large, the queue, the wait, the documents to prepare, the QR code.
//! Another visitor's ticket says it first in their language (queue, wait, what to do,
//! documents, what the code is for, keep the ticket) and then in French for staff
//! (queue, wait, documents). Their language goes out as code-page text when PC858 has
//! every letter (English, Spanish, Portuguese), else as lines drawn with the kiosk's
//! fonts (`paper_text`). Drawing that fails in any way, a panic included, leaves the
//! ticket in French: a ticket always comes out.
//!
//! When the office offers "Suivre mon tour", a second code under the one for staff opens
//! the visitor's own page on their phone, with a line that says so (and that the phone
//! must join the office's Wi-Fi).
//!
//! The page is a sequence of blocks (`header`, `number`, `details`, `code`...): another
//! block is one more call in [`receipt`].

use super::escpos::{Layout, Out, Paper, PaperTicket, QrMode, CENTRE, ESC, GS, LEFT, RIGHT};
use super::paper_text::{self, DrawError, Style, BODY, HEADING, STRONG};
use super::pc858;
use crate::core::paper_words::{self, VisitorWords};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The largest magnification used for the number (6 × 24 dots = 18 mm high).
const NUMBER_MAX: usize = 6;

/// Magnification of the number: as large as fits on one line, at most [`NUMBER_MAX`].
fn number_size(number: &str, columns: usize) -> usize {
    (columns / pc858::fold(number).chars().count().max(1)).clamp(1, NUMBER_MAX)
}

/// The whole byte stream of one ticket, from `ESC @` to the cut.
pub fn receipt(t: &PaperTicket, layout: &Layout) -> Vec<u8> {
    let visitor = t.visitor.as_ref().and_then(|words| match visitor_blocks(words, layout.paper) {
        Ok(blocks) => Some(blocks),
        Err(why) => {
            eprintln!("guichet: ticket {} printed in French only: {why}", t.number);
            None
        }
    });
    let mut out = Out::new(layout.paper);
    out.command(&[ESC, b'@', ESC, b't', pc858::CODE_PAGE]);
    header(&mut out, t);
    match &visitor {
        None => {
            number(&mut out, t, 2);
            details(&mut out, t);
            code(&mut out, layout.qr, &t.qr);
            out.text("Code à montrer à l'accueil", 1);
            if let Some(follow) = &t.follow {
                code(&mut out, layout.qr, follow);
                out.text(paper_words::FOLLOW, 1);
                out.blank();
            }
            out.text("Gardez ce ticket jusqu'à votre passage.", 1);
        }
        Some(v) => {
            out.command(&v.heading);
            number(&mut out, t, 1);
            out.command(&v.details);
            code(&mut out, layout.qr, &t.qr);
            out.command(&v.after_code);
            if let Some(follow) = &t.follow {
                code(&mut out, layout.qr, follow);
                out.command(&v.follow);
                out.blank();
            }
            out.command(&v.keep);
            out.blank();
            out.text(&"-".repeat(layout.paper.columns()), 1);
            out.command(&v.french_follows);
            details(&mut out, t);
            out.blank();
            out.text("Gardez ce ticket jusqu'à votre passage.", 1);
        }
    }
    // GS V 66 0: feed to the cutter, then a partial cut (the ticket waits in the slot).
    out.command(&[GS, b'V', 66, 0]);
    out.bytes
}

/// The office and the date, centred.
fn header(out: &mut Out, t: &PaperTicket) {
    out.align(CENTRE);
    out.bold(true);
    out.text(&t.site, 1);
    out.bold(false);
    out.text(&t.issued, 1);
    out.blank();
}

/// "Votre numéro" (`label` times the size), then the number as large as fits.
fn number(out: &mut Out, t: &PaperTicket, label: usize) {
    out.align(CENTRE);
    out.size(label);
    out.text("Votre numéro", label);
    let big = number_size(&t.number, out.paper.columns());
    out.size(big);
    out.text(&t.number, big);
    out.size(1);
}

/// The French queue, wait and documents.
fn details(out: &mut Out, t: &PaperTicket) {
    out.align(CENTRE);
    out.bold(true);
    out.text(&t.queue, 1);
    out.bold(false);
    out.text(&t.wait, 1);
    if !t.documents.is_empty() {
        out.blank();
        out.align(LEFT);
        out.bold(true);
        out.text("À préparer :", 1);
        out.bold(false);
        for d in &t.documents {
            out.item(d);
        }
        out.align(CENTRE);
    }
}

/// A QR code with a blank line on each side.
fn code(out: &mut Out, mode: QrMode, data: &str) {
    out.blank();
    out.align(CENTRE);
    match mode {
        QrMode::Native => out.qr_native(data),
        QrMode::Raster => out.qr_raster(data),
    }
    out.blank();
}

#[cfg(test)]
thread_local! {
    /// Makes drawing panic on this thread, for the test of the French fallback.
    pub static BROKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The visitor's words, made before anything is printed.
struct VisitorBlocks {
    heading: Vec<u8>,
    details: Vec<u8>,
    after_code: Vec<u8>,
    follow: Vec<u8>,
    keep: Vec<u8>,
    french_follows: Vec<u8>,
}

fn visitor_blocks(words: &VisitorWords, paper: Paper) -> Result<VisitorBlocks, DrawError> {
    catch_unwind(AssertUnwindSafe(|| draw_visitor(words, paper))).unwrap_or(Err(DrawError::Panicked))
}

fn draw_visitor(v: &VisitorWords, paper: Paper) -> Result<VisitorBlocks, DrawError> {
    let all =
        [&v.heading, &v.queue, &v.wait, &v.instruction, &v.prepare, &v.code, &v.follow, &v.keep, &v.french_follows];
    let drawn = !all.into_iter().chain(&v.documents).all(|t| pc858::prints(t));
    let mut w = Words { out: Out::new(paper), drawn, rtl: v.rtl };
    #[cfg(test)]
    if BROKEN.get() {
        panic!("drawing broken by the test");
    }
    // Body text sits on the side the language is read from; headings are centred, a
    // little smaller on 58 mm paper (a long heading then takes two lines, not three).
    let side = if v.rtl { RIGHT } else { CENTRE };
    let heading = if paper == Paper::Mm58 { Style { size: 32.0, ..HEADING } } else { HEADING };
    w.para(&v.heading, heading, CENTRE)?;
    let heading = w.take();
    w.para(&v.queue, STRONG, side)?;
    w.para(&v.wait, BODY, side)?;
    w.para(&v.instruction, BODY, side)?;
    if !v.documents.is_empty() {
        w.out.blank();
        let list = if v.rtl { RIGHT } else { LEFT };
        w.para(&v.prepare, STRONG, list)?;
        for d in &v.documents {
            w.item(d, list)?;
        }
    }
    let details = w.take();
    w.para(&v.code, BODY, side)?;
    let after_code = w.take();
    w.para(&v.follow, BODY, side)?;
    let follow = w.take();
    w.para(&v.keep, STRONG, side)?;
    let keep = w.take();
    w.para(&v.french_follows, BODY, if v.rtl { RIGHT } else { LEFT })?;
    let french_follows = w.take();
    Ok(VisitorBlocks { heading, details, after_code, follow, keep, french_follows })
}

/// Writes the visitor's words as code-page text or as drawn lines.
struct Words {
    out: Out,
    drawn: bool,
    rtl: bool,
}

impl Words {
    /// The bytes written so far (the writer starts again empty).
    fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out.bytes)
    }

    fn para(&mut self, text: &str, style: Style, align: u8) -> Result<(), DrawError> {
        if self.drawn {
            for line in paper_text::paragraph(text, style, self.rtl, self.out.paper.dots())? {
                self.out.image(&line, align);
            }
        } else {
            let times = if style.size > BODY.size { 2 } else { 1 };
            self.out.align(align);
            self.out.bold(style.bold);
            self.out.size(times);
            self.out.text(text, times);
            self.out.size(1);
            self.out.bold(false);
        }
        Ok(())
    }

    fn item(&mut self, text: &str, align: u8) -> Result<(), DrawError> {
        if self.drawn {
            for line in paper_text::item(text, BODY, self.rtl, self.out.paper.dots())? {
                self.out.image(&line, align);
            }
        } else {
            self.out.align(align);
            self.out.item(text);
        }
        Ok(())
    }
}
