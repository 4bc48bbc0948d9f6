//! Issuing a ticket off the UI thread: durable commit, QR image, paper ticket, print.

use crate::core::catalogue::Catalogue;
use crate::core::journey::TicketRequest;
use crate::core::lang::Lang;
use crate::core::paper_words;
use crate::core::queue;
use crate::hardware::escpos::PaperTicket;
use crate::hardware::printer::{PrintOutcome, TicketPrinter};
use crate::staff::ticket_url;
use crate::store::{IssuedTicket, Store, StoreError};
use qrcode::{Color, QrCode};
use slint::{Rgb8Pixel, SharedPixelBuffer};

/// What the ticket screen shows, built on the worker thread.
#[derive(Clone)]
pub struct TicketView {
    pub number: String,
    pub spelled: String,
    pub wait: queue::WaitRange,
    pub documents: Vec<String>,
    pub url: String,
    pub qr: SharedPixelBuffer<Rgb8Pixel>,
    /// "Suivre mon tour": the visitor's own page and its QR code (`None`: the page is off).
    pub follow: Option<Follow>,
}

/// The ticket's "Suivre mon tour" link, for the visitor's phone.
#[derive(Clone)]
pub struct Follow {
    pub url: String,
    pub qr: SharedPixelBuffer<Rgb8Pixel>,
}

/// Settings the issuing needs.
#[derive(Clone)]
pub struct IssueContext {
    pub site_name: String,
    pub public_url: String,
    /// Minutes per visit until the day has measured enough visits of its own.
    pub minutes_per_visit: u32,
    pub desks: u32,
    /// `[follow] public_url` when the follow page runs (tickets then carry its link).
    pub follow_base: Option<String>,
}

/// A QR code as black modules on white, with the 4-module quiet zone, `scale` px a module.
pub fn qr_pixels(data: &str, scale: u32) -> Option<SharedPixelBuffer<Rgb8Pixel>> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let n = code.width() as u32;
    let side = (n + 8) * scale;
    let mut buf = SharedPixelBuffer::<Rgb8Pixel>::new(side, side);
    let colors = code.to_colors();
    let pixels = buf.make_mut_slice();
    pixels.fill(Rgb8Pixel { r: 255, g: 255, b: 255 });
    for (i, c) in colors.iter().enumerate() {
        if *c != Color::Dark {
            continue;
        }
        let (mx, my) = (i as u32 % n + 4, i as u32 / n + 4);
        for y in my * scale..(my + 1) * scale {
            let row = (y * side) as usize;
            pixels[row + (mx * scale) as usize..row + ((mx + 1) * scale) as usize].fill(Rgb8Pixel { r: 0, g: 0, b: 0 });
        }
    }
    Some(buf)
}

/// Commits the ticket and prepares what to show. The only slow step is the commit.
pub fn issue(
    store: &Store,
    cat: &Catalogue,
    ctx: &IssueContext,
    req: &TicketRequest,
) -> Result<(IssuedTicket, TicketView), StoreError> {
    let issued = store.issue(req.clone()).wait()?;
    let view = view_of(cat, ctx, req, &issued);
    Ok((issued, view))
}

fn view_of(cat: &Catalogue, ctx: &IssueContext, req: &TicketRequest, t: &IssuedTicket) -> TicketView {
    let lang = req.lang;
    let documents = cat
        .find_procedure(&req.procedure)
        .map(|(_, p)| p.documents.iter().map(|d| cat.tr(lang, d).to_string()).collect())
        .unwrap_or_default();
    let url = ticket_url(&ctx.public_url, &t.token);
    let qr = qr_pixels(&url, 8).unwrap_or_else(|| SharedPixelBuffer::new(1, 1));
    let follow = ctx.follow_base.as_deref().zip(t.follow.as_deref()).and_then(|(base, token)| {
        let url = crate::follow::follow_url(base, token);
        Some(Follow { qr: qr_pixels(&url, 8)?, url })
    });
    TicketView {
        number: t.number.clone(),
        spelled: queue::spell_out(&t.number),
        wait: queue::WaitRange::around(queue::estimate_wait(
            t.ahead,
            queue::minutes_per_visit(&t.service_ms, ctx.minutes_per_visit),
            ctx.desks,
        )),
        documents,
        url,
        qr,
        follow,
    }
}

/// The paper ticket: French for staff, and the visitor's language when it is another
/// (`core::paper_words`); the printer turns it into bytes for its own paper width.
pub fn paper(
    cat: &Catalogue,
    ctx: &IssueContext,
    req: &TicketRequest,
    view: &TicketView,
    issued_at: i64,
) -> PaperTicket {
    let french = |text: &str| cat.tr(Lang::Fr, text).to_string();
    let documents = cat
        .find_procedure(&req.procedure)
        .map(|(_, p)| p.documents.iter().map(|d| french(d)).collect())
        .unwrap_or_default();
    let issued = chrono::DateTime::from_timestamp_millis(issued_at)
        .map(|d| d.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default();
    let wait = view.wait.french();
    let queue = cat.queue(req.queue).map(|q| q.name.clone()).unwrap_or_default();
    let visitor =
        paper_words::visitor(req.lang, cat.tr(req.lang, &queue).to_string(), view.documents.clone(), view.wait);
    PaperTicket {
        site: ctx.site_name.clone(),
        number: view.number.clone(),
        queue,
        issued,
        wait,
        documents,
        qr: view.url.clone(),
        follow: view.follow.as_ref().map(|f| f.url.clone()),
        visitor,
    }
}

/// Prints (asking the printer's state before and after). A failure is logged and shown
/// (`PrintOutcome::printed`); the ticket stays valid. The outcome's `state` is the
/// printer's state after this ticket (paper low, paper out…), for the staff console.
pub fn print(printer: &mut dyn TicketPrinter, paper: &PaperTicket) -> PrintOutcome {
    let outcome = printer.print(paper);
    if let Some(why) = &outcome.failure {
        eprintln!("guichet: ticket {} not printed: {why} ({})", paper.number, outcome.state);
    } else if outcome.state == crate::hardware::printer_status::PrinterState::PaperLow {
        eprintln!("guichet: ticket {} printed; {}", paper.number, outcome.state);
    }
    outcome
}
