//! `guichet print-test`: prints a test receipt on the configured printer and says each
//! step (the printer's state before, the bytes sent, its state after); fails when the
//! receipt did not come out, saying why.

use super::kiosk::printer;
use super::Site;
use crate::core::lang::Lang;
use crate::core::paper_words;
use crate::core::queue::WaitRange;
use crate::hardware::escpos::{self, PaperTicket};
use crate::hardware::receipt_png;
use std::time::Instant;

/// A receipt with the French accents, the euro sign and the ligature PC858 lacks, under an
/// Arabic part drawn as images (joined letters, right-aligned, a Latin insertion).
fn test_ticket(site: &Site) -> PaperTicket {
    PaperTicket {
        site: site.config.site_name.clone(),
        number: "T-000".into(),
        queue: "Essai d'impression".into(),
        issued: chrono::Local::now().format("%d/%m/%Y %H:%M").to_string(),
        wait: "Attente : entre 10 et 20 minutes".into(),
        documents: vec![
            "Pièce d'identité (carte nationale, passeport ou titre de séjour)".into(),
            "Accents : à â ç é è ê ë î ï ô ù û ü ÿ, À Ç É È Ê Ô".into(),
            "Cœur, Œuvre\u{a0}: «\u{a0}oe\u{a0}» et «\u{a0}OE\u{a0}» (PC858 n'a pas œ)\u{a0}; 10\u{a0}€".into(),
        ],
        qr: format!("{}/t/test", site.issue_context().public_url),
        // When the office offers it, the visitors' page: a phone on the Wi-Fi that scans it
        // reaches the page (which says the ticket is unknown).
        follow: site.follow_base().map(|base| crate::follow::follow_url(&base, &"0".repeat(32))),
        visitor: paper_words::visitor(
            Lang::Ar,
            "تجربة الطباعة".into(),
            vec!["ورقة البيع الموقعة (certificat de cession)".into()],
            WaitRange::Between(10, 20),
        ),
    }
}

pub fn print_test(site: &Site) -> anyhow::Result<()> {
    let Some(mut printer) = printer(site) else {
        anyhow::bail!(
            "no printer is configured: [printer] kind = \"none\" (write \"usb\", \"serial\", \"tcp\" or \"folder\")"
        );
    };
    println!("printer: {}", printer.describe());
    let ticket = test_ticket(site);
    let layout = site.config.printer.layout();
    let started = Instant::now();
    let bytes = escpos::receipt(&ticket, &layout);
    let built = started.elapsed();
    let started = Instant::now();
    let picture = receipt_png::render(&bytes, layout.paper.dots())?;
    let drawn = started.elapsed();
    println!(
        "receipt: {} bytes, built in {:.2} ms; preview {}×{} px drawn in {:.1} ms",
        bytes.len(),
        built.as_secs_f64() * 1e3,
        picture.width,
        picture.height,
        drawn.as_secs_f64() * 1e3,
    );
    let started = Instant::now();
    let outcome = printer.print(&ticket);
    println!("state before: {}", outcome.before);
    if outcome.sent {
        println!("sent: {} bytes", outcome.bytes);
    } else {
        println!("sent: nothing");
    }
    println!("state after: {}", outcome.state);
    println!("took {} ms", started.elapsed().as_millis());
    match outcome.failure {
        None => {
            println!("test receipt printed");
            Ok(())
        }
        Some(why) => anyhow::bail!("the test receipt was not printed: {why}"),
    }
}
