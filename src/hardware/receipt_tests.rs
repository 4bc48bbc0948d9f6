//! The receipt read back: the encoder's bytes decoded by the independent reader
//! (`escpos_read`), on both paper widths and with both QR modes; PC858 both ways; the
//! printing sequence (state before, bytes, state after) on the simulated printer and on
//! ports that fail or never answer.

use super::escpos::{receipt, wrap, Layout, Paper, PaperTicket, QrMode, VisitorWords};
use super::escpos_read::{pc858_char, read, text_lines, Align, Block, ReadError};
use super::printer::{print_through, FolderPrinter, NotPrinted, TicketPrinter};
use super::printer_status::PrinterState;
use super::transport::{Job, Port};
use super::{pc858, receipt_png};
use std::time::Duration;

const URL: &str = "http://192.168.1.20:8080/t/0123456789abcdef0123456789abcdef";

fn ticket() -> PaperTicket {
    PaperTicket {
        site: "France Services de Saint-Martin-d'Hères".into(),
        number: "C-042".into(),
        queue: "Famille, logement, énergie".into(),
        issued: "23/11/2026 10:42".into(),
        wait: "Attente : entre 10 et 20 minutes".into(),
        documents: vec![
            "Une pièce d'identité (carte nationale d'identité, passeport ou titre de séjour)".into(),
            "Le dernier avis d'imposition".into(),
            "é è à ç œ €".into(),
        ],
        qr: URL.into(),
        follow: None,
        visitor: None,
    }
}

const LAYOUTS: [Layout; 4] = [
    Layout { paper: Paper::Mm58, qr: QrMode::Native },
    Layout { paper: Paper::Mm58, qr: QrMode::Raster },
    Layout { paper: Paper::Mm80, qr: QrMode::Native },
    Layout { paper: Paper::Mm80, qr: QrMode::Raster },
];

#[test]
fn receipt_reads_back_line_by_line_on_58_and_80_mm() {
    for layout in LAYOUTS {
        let bytes = receipt(&ticket(), &layout);
        println!("{layout:?}: {} bytes", bytes.len());
        let blocks = read(&bytes).unwrap_or_else(|e| panic!("{layout:?}: {e}"));
        let lines = text_lines(&blocks);
        let columns = layout.paper.columns();
        for l in &lines {
            assert!(l.text.chars().count() * usize::from(l.width) <= columns, "{layout:?}: too wide: {l:?}");
        }
        let find =
            |text: &str| lines.iter().find(|l| l.text == text).unwrap_or_else(|| panic!("{text:?} in {lines:#?}"));
        // The office, bold and centred, wrapped if needed.
        let site: Vec<_> = lines.iter().take_while(|l| l.bold).map(|l| l.text.as_str()).collect();
        assert_eq!(site.join(" "), "France Services de Saint-Martin-d'Hères");
        assert_eq!(lines[0].align, Align::Centre);
        assert_eq!(find("23/11/2026 10:42").width, 1);
        let label = find("Votre numéro");
        assert_eq!((label.width, label.height), (2, 2));
        // The number: one line, centred, six times the size (18 mm high).
        let number = find("C-042");
        assert_eq!((number.width, number.height, number.align), (6, 6, Align::Centre));
        assert!(find("Famille, logement, énergie").bold);
        assert_eq!(find("Attente : entre 10 et 20 minutes").height, 1);
        let heading = find("À préparer :");
        assert_eq!((heading.align, heading.bold), (Align::Left, true));
        // Documents: a box, then the text wrapped under itself.
        let docs: Vec<&str> =
            lines.iter().map(|l| l.text.as_str()).skip_while(|t| *t != "À préparer :").skip(1).collect();
        let first = docs.iter().position(|t| t.starts_with("[ ] Une pièce")).unwrap_or(usize::MAX);
        let mut whole = docs[first].trim_start_matches("[ ] ").to_string();
        for more in docs[first + 1..].iter().take_while(|t| t.starts_with("    ")) {
            whole = format!("{whole} {}", more.trim_start());
        }
        assert_eq!(whole, "Une pièce d'identité (carte nationale d'identité, passeport ou titre de séjour)");
        assert!(docs.contains(&"[ ] é è à ç oe €"), "{docs:?}");
        // The QR code, centred, then the cut.
        match (layout.qr, blocks.iter().find(|b| matches!(b, Block::Qr(_) | Block::Raster(_)))) {
            (QrMode::Native, Some(Block::Qr(qr))) => {
                assert_eq!(qr.data, URL.as_bytes());
                assert_eq!((qr.correction, qr.align), (b'1', Align::Centre));
                assert_eq!(qr.module, if layout.paper == Paper::Mm58 { 6 } else { 8 });
            }
            (QrMode::Raster, Some(Block::Raster(r))) => {
                // A QR code of 33 modules (version 4) at 6 or 8 dots a module, with its
                // top left finder: dark ring, light ring, dark centre.
                let module: u32 = if layout.paper == Paper::Mm58 { 6 } else { 8 };
                assert_eq!((r.height, r.width), (33 * module, (33 * module).div_ceil(8) * 8));
                assert!(r.dot(0, 0) && !r.dot(module, module) && r.dot(3 * module, 3 * module));
                assert_eq!(r.align, Align::Centre);
            }
            other => panic!("{layout:?}: no QR code where expected: {other:?}"),
        }
        assert_eq!(blocks.last(), Some(&Block::Cut { partial: true }));
        assert!(bytes.starts_with(&[0x1b, b'@', 0x1b, b't', 19]), "reset, then code page PC858");
    }
}

/// The same ticket for a visitor reading `lang`'s words.
fn visitor_ticket(rtl: bool, words: [&str; 4], documents: &[&str]) -> PaperTicket {
    let [heading, queue, wait, keep] = words.map(String::from);
    let visitor = VisitorWords {
        rtl,
        heading,
        queue,
        wait,
        instruction: "…".into(),
        prepare: "…:".into(),
        documents: documents.iter().map(|d| d.to_string()).collect(),
        code: "QR".into(),
        follow: "FOLLOW".into(),
        keep,
        french_follows: "…".into(),
    };
    PaperTicket { visitor: Some(visitor), ..ticket() }
}

fn arabic() -> PaperTicket {
    let words = ["هذا رقمك", "الاستقبال العام", "الانتظار: بين 10 و20 دقيقة.", "احتفظ بهذه التذكرة."];
    visitor_ticket(true, words, &["ورقة البيع الموقعة (certificat de cession)", "رخصة السياقة الخاصة بي"])
}

#[test]
fn arabic_goes_out_as_right_aligned_images_above_the_french() {
    for layout in LAYOUTS {
        let bytes = receipt(&arabic(), &layout);
        let blocks = read(&bytes).unwrap_or_else(|e| panic!("{layout:?}: {e}"));
        let images: Vec<_> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Raster(r) if r.align == Align::Right => Some(r),
                _ => None,
            })
            .collect();
        assert!(images.len() >= 8, "{layout:?}: {} right-aligned images", images.len());
        for r in &images {
            assert!(r.width <= layout.paper.dots() && r.height >= 24, "{layout:?}: {}×{}", r.width, r.height);
            // Ink at the right end of each line (under a list item's box, past its width).
            let right = (0..r.height).any(|y| (r.width.saturating_sub(48)..r.width).any(|x| r.dot(x, y)));
            assert!(right, "{layout:?}: an image without ink at its right end");
        }
        // The French part follows, as text: the queue, the documents, the number.
        let lines = text_lines(&blocks);
        let has = |t: &str| lines.iter().any(|l| l.text == t);
        assert!(has("C-042") && has("Famille, logement, énergie") && has("À préparer :"), "{layout:?}");
        let first_image = blocks.iter().position(|b| matches!(b, Block::Raster(r) if r.align == Align::Right));
        let french_queue =
            blocks.iter().position(|b| matches!(b, Block::Text(l) if l.text == "Famille, logement, énergie"));
        assert!(first_image < french_queue, "the visitor's words first");
        println!("{layout:?}: {} bytes, {} images", bytes.len(), images.len());
    }
}

#[test]
fn spanish_goes_out_as_code_page_text() {
    let words = ["Este es su número", "Acogida general", "Espera: entre 10 y 20 minutos.", "Guarde este ticket."];
    let bytes = receipt(&visitor_ticket(false, words, &["Mi permiso de conducción"]), &Layout::default());
    let blocks = read(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(!blocks.iter().any(|b| matches!(b, Block::Raster(_))), "no image");
    let lines = text_lines(&blocks);
    let heading = lines.iter().find(|l| l.text == "Este es su número");
    assert_eq!(heading.map(|l| (l.width, l.align)), Some((2, Align::Centre)));
    assert!(lines.iter().any(|l| l.text == "[ ] Mi permiso de conducción"));
}

#[test]
fn drawing_that_fails_leaves_the_ticket_in_french() {
    let french = receipt(&ticket(), &Layout::default());
    super::receipt_layout::BROKEN.set(true);
    let fallback = std::panic::catch_unwind(|| receipt(&arabic(), &Layout::default()));
    super::receipt_layout::BROKEN.set(false);
    assert_eq!(fallback.ok(), Some(french), "the French ticket, whole");
}

#[test]
fn accents_go_out_as_pc858_bytes_and_read_back() {
    let bytes = receipt(&ticket(), &Layout::default());
    let expected = [0x82, b' ', 0x8a, b' ', 0x85, b' ', 0x87, b' ', b'o', b'e', b' ', 0xd5];
    assert!(bytes.windows(expected.len()).any(|w| w == expected), "é è à ç oe € as PC858");
    // Each byte of the table, through the encoder and back.
    for b in 0x80..=0xffu8 {
        let c = pc858_char(b);
        let encoded = pc858::encode(&c.to_string());
        assert!(
            encoded == [b] || encoded == [b'?'] || c.is_whitespace() || c == '\u{ad}',
            "{c:?} {b:#04x} → {encoded:02x?}"
        );
    }
    for c in "àâäçéèêëîïôöùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ€«»°".chars() {
        let encoded = pc858::encode(&c.to_string());
        assert_eq!(encoded.len(), 1, "{c}");
        assert_eq!(pc858_char(encoded[0]), c);
    }
}

#[test]
fn lines_wrap_at_spaces_and_cut_words_longer_than_a_line() {
    assert_eq!(wrap("un deux trois", 7), ["un deux", "trois"]);
    assert_eq!(wrap("abcdefghij kl", 4), ["abcd", "efgh", "ij", "kl"]);
    assert_eq!(wrap("  ", 4), [""]);
    assert_eq!(wrap("a bc", 4), ["a bc"]);
    assert_eq!(wrap("prix : 10\u{a0}€", 9), ["prix :", "10\u{a0}€"], "never between 10 and €");
}

#[test]
fn reader_reads_hand_written_bytes_and_names_what_it_refuses() {
    // ESC @, ESC t 19, ESC a 1, GS ! 0x11, "Aé", LF, DLE EOT 4, GS V 66 0.
    let bytes =
        [0x1b, 0x40, 0x1b, 0x74, 19, 0x1b, 0x61, 1, 0x1d, 0x21, 0x11, b'A', 0x82, 0x0a, 0x10, 4, 4, 0x1d, 0x56, 66, 0];
    let blocks = read(&bytes).unwrap_or_default();
    let line = text_lines(&blocks)[0].clone();
    assert_eq!((line.text.as_str(), line.align, line.width, line.height), ("Aé", Align::Centre, 2, 2));
    assert_eq!(blocks[1..], [Block::StatusQuery(4), Block::Cut { partial: true }]);
    assert_eq!(read(&[0x1b, b'Z', 0]), Err(ReadError::Unknown { at: 0, what: "ESC 'Z'".into() }));
    assert_eq!(read(&[b'x', 0x82]), Err(ReadError::CodePage(1, 0)), "PC437 until ESC t 19");
    assert_eq!(read(&[0x1d, b'v', b'0', 0, 2, 0, 2, 0, 0xff]), Err(ReadError::Truncated(8)));
}

#[test]
fn preview_is_as_wide_as_the_paper_and_shows_the_number() {
    for layout in LAYOUTS {
        let picture = receipt_png::render(&receipt(&ticket(), &layout), layout.paper.dots());
        let picture = picture.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(picture.width, layout.paper.dots());
        assert!(picture.height > 800, "{}", picture.height);
        let dark = picture.grey.iter().filter(|g| **g < 128).count();
        assert!(dark > picture.grey.len() / 50, "ink on the paper: {dark}");
    }
}

#[test]
fn simulated_printer_reads_its_state_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("printer");
    let mut printer = FolderPrinter(folder.clone());
    // No status file: ready; both the bytes and the preview are written.
    let outcome = printer.print(&ticket());
    assert!(outcome.printed() && outcome.sent, "{outcome:?}");
    assert_eq!((outcome.before, outcome.state), (PrinterState::Ready, PrinterState::Ready));
    assert_eq!(std::fs::read(folder.join("C-042.escpos")).ok(), Some(receipt(&ticket(), &Layout::default())));
    assert!(std::fs::read(folder.join("C-042.png")).is_ok_and(|png| png.starts_with(b"\x89PNG")));
    // Paper low: printed, and the state says so.
    std::fs::write(folder.join("status"), "paper-low\n").unwrap();
    let outcome = printer.print(&ticket());
    assert!(outcome.printed());
    assert_eq!(outcome.state, PrinterState::PaperLow);
    // Paper out, cover open, offline: nothing is sent, the outcome says why.
    for (word, why) in
        [("paper-out", NotPrinted::PaperOut), ("cover-open", NotPrinted::CoverOpen), ("offline", NotPrinted::Offline)]
    {
        let _ = std::fs::remove_file(folder.join("C-042.escpos"));
        std::fs::write(folder.join("status"), word).unwrap();
        let outcome = printer.print(&ticket());
        assert_eq!((outcome.failure, outcome.sent), (Some(why), false), "{word}");
        assert!(!folder.join("C-042.escpos").exists(), "{word}: nothing sent");
    }
    std::fs::write(folder.join("status"), "jammed").unwrap();
    assert_eq!(printer.state(), PrinterState::Unknown);
}

/// A port that records what it is asked, answers `reply` and fails sends when told.
struct Stub {
    reply: std::io::Result<Option<u8>>,
    send_fails: bool,
    asked: usize,
    sent: usize,
}

impl Port for Stub {
    fn send(&mut self, job: &Job) -> std::io::Result<()> {
        if self.send_fails {
            return Err(std::io::Error::other("unplugged"));
        }
        self.sent += job.bytes.len();
        Ok(())
    }

    fn ask(&mut self, _query: &[u8], _timeout: Duration) -> std::io::Result<Option<u8>> {
        self.asked += 1;
        match &self.reply {
            Ok(r) => Ok(*r),
            Err(e) => Err(std::io::Error::new(e.kind(), e.to_string())),
        }
    }

    fn describe(&self) -> String {
        "stub".into()
    }
}

fn stub(reply: std::io::Result<Option<u8>>, send_fails: bool) -> Stub {
    Stub { reply, send_fails, asked: 0, sent: 0 }
}

#[test]
fn a_printer_that_never_answers_still_prints_and_is_asked_once() {
    let mut port = stub(Ok(None), false);
    let outcome = print_through(&mut port, &Layout::default(), Duration::from_millis(1), &ticket());
    assert!(outcome.printed() && outcome.sent);
    assert_eq!((outcome.before, outcome.state, port.asked), (PrinterState::Unknown, PrinterState::Unknown, 1));
    assert_eq!(port.sent, outcome.bytes);
}

#[test]
fn unreachable_or_failing_printers_say_why() {
    let mut port = stub(Err(std::io::Error::new(std::io::ErrorKind::NotFound, "/dev/usb/lp0: no such device")), false);
    let outcome = print_through(&mut port, &Layout::default(), Duration::from_millis(1), &ticket());
    assert!(matches!(&outcome.failure, Some(NotPrinted::Io(e)) if e.contains("/dev/usb/lp0")), "{outcome:?}");
    assert_eq!((outcome.sent, outcome.state, port.sent), (false, PrinterState::Offline, 0));
    // Ready before, then the write fails: an I/O failure, the state asked again.
    let mut port = stub(Ok(Some(0x12)), true);
    let outcome = print_through(&mut port, &Layout::default(), Duration::from_millis(1), &ticket());
    assert!(matches!(&outcome.failure, Some(NotPrinted::Io(e)) if e.contains("unplugged")), "{outcome:?}");
    assert_eq!((outcome.before, outcome.sent, port.asked), (PrinterState::Ready, false, 6));
    let json = serde_json::to_string(&outcome).unwrap_or_default();
    assert!(json.contains("\"state\":\"ready\"") && json.contains("\"why\":\"io\""), "{json}");
}

const FOLLOW_URL: &str = "http://192.168.1.20:8081/s/fedcba9876543210fedcba9876543210";

/// How many times `needle` appears in `bytes`.
fn count(bytes: &[u8], needle: &[u8]) -> usize {
    bytes.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Where `needle` first appears in `bytes` (`usize::MAX`: nowhere).
fn at(bytes: &[u8], needle: &[u8]) -> usize {
    bytes.windows(needle.len()).position(|w| w == needle).unwrap_or(usize::MAX)
}

#[test]
fn a_follow_link_prints_a_second_code_with_its_line_in_both_layouts() {
    let layout = Layout { paper: Paper::Mm80, qr: QrMode::Native };
    let without = receipt(&ticket(), &layout);
    assert_eq!(count(&without, URL.as_bytes()), 1);
    assert_eq!(count(&without, FOLLOW_URL.as_bytes()), 0);
    let french = PaperTicket { follow: Some(FOLLOW_URL.into()), ..ticket() };
    let bytes = receipt(&french, &layout);
    assert_eq!(count(&bytes, URL.as_bytes()), 1, "the staff code stays");
    assert_eq!(count(&bytes, FOLLOW_URL.as_bytes()), 1, "the follow code is stored once");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for words in ["Wi-Fi", "scannez", "Gardez ce ticket"] {
        assert!(text.contains(words), "{words:?} missing");
    }
    // The follow code comes after the staff code, and the French line after it.
    assert!(at(&bytes, URL.as_bytes()) < at(&bytes, FOLLOW_URL.as_bytes()));
    assert!(at(&bytes, FOLLOW_URL.as_bytes()) < at(&bytes, b"scannez"));
    // A visitor in another language reads its line in their words, before "keep".
    let mut visitor = visitor_ticket(false, ["Here", "Queue", "Wait", "KEEP"], &[]);
    visitor.follow = Some(FOLLOW_URL.into());
    let bytes = receipt(&visitor, &layout);
    assert_eq!(count(&bytes, FOLLOW_URL.as_bytes()), 1);
    let follow = at(&bytes, FOLLOW_URL.as_bytes());
    assert!(follow < at(&bytes, b"FOLLOW") && at(&bytes, b"FOLLOW") < at(&bytes, b"KEEP"));
    assert!(at(&bytes, b"FOLLOW") < usize::MAX);
}
