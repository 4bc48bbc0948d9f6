//! Real printer adapters against stand-in printers: a pseudo-terminal for a serial printer
//! and a local TCP listener for a network (port 9100) printer. Each stand-in reads the
//! bytes, answers the real-time status queries (`10 04 n`) with the status bytes the test
//! sets, and records everything; the recording is read back with the ESC/POS reader.
//! The receipt previews are also decoded by a real QR reader (zbarimg).

use guichet::hardware::escpos::{receipt, Layout, Paper, PaperTicket, QrMode};
use guichet::hardware::escpos_read::{read, text_lines, Block};
use guichet::hardware::printer::{EscPosPrinter, NotPrinted, TicketPrinter};
use guichet::hardware::printer_status::PrinterState;
use guichet::hardware::receipt_png;
use guichet::hardware::transport::{DevicePort, TcpPort};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const URL: &str = "http://192.168.1.20:8080/t/00112233445566778899aabbccddeeff";
const TIMEOUT: Duration = Duration::from_millis(500);
/// The replies to DLE EOT 1, 2 and 4 (Epson bit meanings).
const READY: [u8; 3] = [0x12, 0x12, 0x12];
const PAPER_LOW: [u8; 3] = [0x12, 0x12, 0x1e];
const PAPER_OUT: [u8; 3] = [0x1a, 0x32, 0x7e];
const COVER_OPEN: [u8; 3] = [0x1a, 0x16, 0x12];
const QUERIES: [u8; 9] = [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4];

fn ticket() -> PaperTicket {
    PaperTicket {
        site: "France Services".into(),
        number: "C-042".into(),
        queue: "Famille, logement, énergie".into(),
        issued: "23/11/2026 10:42".into(),
        wait: "Attente : entre 10 et 20 minutes".into(),
        documents: vec!["Une pièce d'identité".into(), "Cœur à l'ouvrage : 10 €".into()],
        qr: URL.into(),
        follow: None,
        visitor: None,
    }
}

/// What the stand-in printer answers (`None`: it stays silent) and what it received.
#[derive(Clone, Default)]
struct Printer {
    replies: Arc<Mutex<Option<[u8; 3]>>>,
    received: Arc<Mutex<Vec<u8>>>,
}

impl Printer {
    fn answer_with(&self, replies: Option<[u8; 3]>) {
        *self.replies.lock().unwrap() = replies;
        self.received.lock().unwrap().clear();
    }

    fn received(&self) -> Vec<u8> {
        self.received.lock().unwrap().clone()
    }

    /// Reads until the line closes, answering each `10 04 n` as it completes.
    fn serve(&self, mut line: impl Read + Write) {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = line.read(&mut buf) {
            for &b in &buf[..n] {
                let mut received = self.received.lock().unwrap();
                received.push(b);
                let query = match received.as_slice() {
                    [.., 0x10, 0x04, n @ 1..=4] => Some(*n),
                    _ => None,
                };
                drop(received);
                let replies = *self.replies.lock().unwrap();
                if let (Some(n), Some(r)) = (query, replies) {
                    let reply = match n {
                        1 => r[0],
                        2 => r[1],
                        4 => r[2],
                        _ => 0x12,
                    };
                    if line.write_all(&[reply]).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// The ticket's own bytes in a recording: after the three queries before, before the three after.
fn ticket_part(recorded: &[u8]) -> &[u8] {
    assert!(
        recorded.starts_with(&QUERIES) && recorded.ends_with(&QUERIES),
        "{:02x?}",
        &recorded[..recorded.len().min(12)]
    );
    &recorded[QUERIES.len()..recorded.len() - QUERIES.len()]
}

fn assert_reads_back(recorded: &[u8], layout: &Layout) {
    let bytes = ticket_part(recorded);
    assert_eq!(bytes, receipt(&ticket(), layout), "the printer got the receipt, byte for byte");
    let blocks = read(recorded).unwrap_or_else(|e| panic!("{e}"));
    let lines = text_lines(&blocks);
    let number = lines.iter().find(|l| l.text == "C-042").expect("the number");
    assert_eq!((number.width, number.height), (6, 6));
    assert!(lines.iter().any(|l| l.text == "[ ] Coeur à l'ouvrage : 10 €"), "{lines:#?}");
    assert!(blocks.iter().any(|b| match b {
        Block::Qr(qr) => qr.data == URL.as_bytes(),
        Block::Raster(r) => r.height > 200,
        _ => false,
    }));
    assert_eq!(blocks.iter().filter(|b| matches!(b, Block::StatusQuery(_))).count(), 6);
    assert!(blocks.iter().any(|b| matches!(b, Block::Cut { .. })));
}

/// Status before and after, on any adapter and stand-in: ready, paper low, paper out,
/// cover open, silent.
fn exercise(printer: &mut dyn TicketPrinter, fake: &Printer, layout: &Layout) {
    fake.answer_with(Some(READY));
    let outcome = printer.print(&ticket());
    assert!(outcome.printed() && outcome.sent, "{outcome:?}");
    assert_eq!((outcome.before, outcome.state), (PrinterState::Ready, PrinterState::Ready));
    assert_reads_back(&fake.received(), layout);

    fake.answer_with(Some(PAPER_LOW));
    let outcome = printer.print(&ticket());
    assert!(outcome.printed(), "paper low still prints: {outcome:?}");
    assert_eq!(outcome.state, PrinterState::PaperLow);

    // Paper out: only the status queries went out, and the outcome says why.
    fake.answer_with(Some(PAPER_OUT));
    let outcome = printer.print(&ticket());
    assert_eq!(
        (outcome.failure, outcome.sent, outcome.state),
        (Some(NotPrinted::PaperOut), false, PrinterState::PaperOut)
    );
    assert_eq!(fake.received(), QUERIES, "no ticket bytes sent to a printer without paper");

    fake.answer_with(Some(COVER_OPEN));
    assert_eq!(printer.print(&ticket()).failure, Some(NotPrinted::CoverOpen));

    // A printer that never answers: the query gives up after the timeout.
    fake.answer_with(None);
    let asked = Instant::now();
    assert_eq!(printer.state(), PrinterState::Unknown);
    println!("{}: silent printer, state known in {} ms", printer.describe(), asked.elapsed().as_millis());
}

#[test]
fn serial_printer_on_a_pseudo_terminal_answers_status_and_gets_the_receipt() {
    let pty = nix::pty::openpty(None, None).expect("a pseudo-terminal");
    let path = nix::unistd::ttyname(&pty.slave).expect("its name");
    let fake = Printer::default();
    let serving = fake.clone();
    let master = std::fs::File::from(pty.master);
    let thread = std::thread::spawn(move || serving.serve(master));
    let layout = Layout { paper: Paper::Mm58, qr: QrMode::Native };
    let mut printer = EscPosPrinter::new(Box::new(DevicePort::serial(path, 9600)), layout, TIMEOUT);
    exercise(&mut printer, &fake, &layout);
    // Both ends of the slave closed: the stand-in's read fails and its thread ends.
    drop(printer);
    drop(pty.slave);
    thread.join().expect("the stand-in printer ended cleanly");
}

#[test]
fn network_printer_on_a_local_port_answers_status_and_gets_the_receipt() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = listener.local_addr().expect("its address").to_string();
    let fake = Printer::default();
    let serving = fake.clone();
    // One connection a ticket or a state query: five in `exercise`.
    std::thread::spawn(move || {
        for stream in listener.incoming().take(5).flatten() {
            serving.serve(stream);
        }
    });
    let layout = Layout { paper: Paper::Mm80, qr: QrMode::Raster };
    let mut printer = EscPosPrinter::new(Box::new(TcpPort::new(address)), layout, TIMEOUT);
    exercise(&mut printer, &fake, &layout);
    // Nobody listening any more: not printed, an I/O failure naming the address.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let gone = closed.local_addr().expect("its address").to_string();
    drop(closed);
    let mut printer = EscPosPrinter::new(Box::new(TcpPort::new(gone.clone())), layout, TIMEOUT);
    let outcome = printer.print(&ticket());
    assert!(matches!(&outcome.failure, Some(NotPrinted::Io(e)) if e.contains(&gone)), "{outcome:?}");
    assert_eq!(outcome.state, PrinterState::Offline);
}

#[test]
fn receipt_previews_carry_a_qr_code_zbarimg_reads() {
    let dir = tempfile::tempdir().unwrap();
    for (paper, qr) in [(Paper::Mm58, QrMode::Native), (Paper::Mm58, QrMode::Raster), (Paper::Mm80, QrMode::Raster)] {
        let layout = Layout { paper, qr };
        let png = dir.path().join(format!("{paper:?}-{qr:?}.png"));
        receipt_png::write_png(&receipt(&ticket(), &layout), paper.dots(), &png).unwrap();
        let out = std::process::Command::new("zbarimg")
            .args(["-q", "--raw"])
            .arg(&png)
            .output()
            .expect("zbarimg is needed (package zbar-tools; scripts/setup-debian.sh installs it)");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), URL, "{layout:?}");
    }
}
