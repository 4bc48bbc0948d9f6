//! The paper ticket in every language, on 58 and 80 mm paper, printed the way a kiosk
//! prints to a network printer (guichet's TCP port: state asked, bytes sent, state
//! asked) into emupos, an ESC/POS printer emulator from PyPI that shares nothing with
//! guichet: its own command parser, code-page fonts, raster and QR drawing. Then, from
//! emupos's picture and text dump only:
//! - zbarimg reads both printed QR codes, and they are the URLs of the screen's codes
//!   (themselves read by zbarimg from the ticket screen's images): the staff's, and the
//!   visitor's "Suivre mon tour";
//! - the French part for staff is there as text (number, queue, wait, documents);
//! - a language PC858 lacks is printed as images with ink in them, right-aligned for
//!   Arabic; English, Spanish and Portuguese as text.
//!
//! emupos is installed by scripts/setup-emupos.sh (run by scripts/setup-debian.sh) in
//! target/emupos; it needs Python 3.13 or newer. Set `GUICHET_PAPER_SHOTS` to a folder to
//! keep the printed pictures.

use guichet::core::catalogue::Catalogue;
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::hardware::escpos::{Layout, Paper, QrMode};
use guichet::hardware::printer::{EscPosPrinter, TicketPrinter};
use guichet::hardware::transport::TcpPort;
use guichet::kiosk::ticket::{self, IssueContext};
use guichet::store::Store;
use slint::{Rgb8Pixel, SharedPixelBuffer};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PROCEDURE: (&str, &str, char) = ("papiers", "carte-grise", 'A');

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The emulator's program, installed if it is not there yet.
fn emupos() -> PathBuf {
    let program = root().join("target/emupos/bin/emupos");
    if !program.is_file() {
        let status = Command::new("bash").arg(root().join("scripts/setup-emupos.sh")).status();
        assert!(status.is_ok_and(|s| s.success()), "scripts/setup-emupos.sh failed");
    }
    assert!(
        program.is_file(),
        "emupos is needed for the paper ticket test and needs Python 3.13 or newer: see scripts/setup-emupos.sh"
    );
    program
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free local port");
    listener.local_addr().expect("its address").port()
}

/// emupos running with an 80 mm and a 58 mm printer, each on its own TCP port, each
/// writing its receipts to its own folder.
struct Emulator {
    child: Child,
    dir: tempfile::TempDir,
    ports: [(Paper, u16); 2],
}

impl Emulator {
    fn start() -> Emulator {
        let program = emupos();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let ports = [(Paper::Mm80, free_port()), (Paper::Mm58, free_port())];
        let profile = root().join("tests/paper/printer-58mm.yaml");
        let config = format!(
            "schema: 1\napi: {{ host: 127.0.0.1, port: {api} }}\ndevices:\n\
             - {{ id: p80, type: printer, profile: epson-tm-t20iii, connections: [{{ tcp: {{ port: {p80} }} }}], receipts_dir: ./p80 }}\n\
             - {{ id: p58, type: printer, profile: {profile}, connections: [{{ tcp: {{ port: {p58} }} }}], receipts_dir: ./p58 }}\n",
            api = free_port(),
            p80 = ports[0].1,
            p58 = ports[1].1,
            profile = profile.display(),
        );
        std::fs::write(dir.path().join("emupos.yaml"), config).expect("emupos.yaml written");
        let log = std::fs::File::create(dir.path().join("emupos.log")).expect("a log file");
        let child = Command::new(program)
            .args(["run", "--config", "emupos.yaml"])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log again"))
            .stderr(log)
            .spawn()
            .expect("emupos could not be started");
        let emulator = Emulator { child, dir, ports };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", emulator.ports[1].1)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "emupos did not listen: {}", emulator.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        emulator
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("emupos.log")).unwrap_or_default()
    }

    fn folder(&self, paper: Paper) -> PathBuf {
        self.dir.path().join(if paper == Paper::Mm80 { "p80" } else { "p58" })
    }

    fn address(&self, paper: Paper) -> String {
        let port = self.ports.iter().find(|(p, _)| *p == paper).map_or(0, |(_, port)| *port);
        format!("127.0.0.1:{port}")
    }

    /// The names of the receipts printed so far (their metadata is written last).
    fn receipts(&self, paper: Paper) -> Vec<String> {
        let entries = std::fs::read_dir(self.folder(paper)).into_iter().flatten().flatten();
        let mut names: Vec<String> =
            entries.filter_map(|e| e.file_name().to_str()?.strip_suffix(".json").map(String::from)).collect();
        names.sort();
        names
    }

    /// Waits for a receipt not in `before`; its picture and text dump.
    fn next_receipt(&self, paper: Paper, before: &[String]) -> (PathBuf, String) {
        let started = Instant::now();
        loop {
            if let Some(new) = self.receipts(paper).into_iter().find(|n| !before.contains(n)) {
                let base = self.folder(paper).join(&new);
                let text = std::fs::read_to_string(base.with_extension("txt")).expect("the text dump");
                return (base.with_extension("png"), text);
            }
            assert!(started.elapsed() < Duration::from_secs(20), "no receipt from emupos: {}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn zbarimg(png: &Path) -> String {
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png)
        .output()
        .expect("zbarimg is needed (package zbar-tools; scripts/setup-debian.sh installs it)");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A grey picture: width, height, one byte a pixel.
fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::fs::File::open(path).expect("the picture"));
    // emupos writes one bit a dot: expanded to a byte a pixel, 0 or 255.
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("its pixels");
    let channels = info.color_type.samples();
    let grey = buf[..info.buffer_size()].chunks(channels).map(|px| px[0]).collect();
    (info.width, info.height, grey)
}

/// The bands of rows with ink (lines of text, images), each as (first ink column, last).
fn bands(width: u32, height: u32, grey: &[u8]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut current: Option<(u32, u32)> = None;
    for y in 0..height {
        let row = &grey[(y * width) as usize..((y + 1) * width) as usize];
        let inked: Vec<u32> = (0..width).filter(|&x| row[x as usize] < 128).collect();
        match (inked.first(), inked.last(), current) {
            (Some(&l), Some(&r), Some((a, b))) => current = Some((a.min(l), b.max(r))),
            (Some(&l), Some(&r), None) => current = Some((l, r)),
            (None, _, Some(band)) => {
                out.push(band);
                current = None;
            }
            _ => {}
        }
    }
    out.extend(current);
    out
}

/// The screen's QR image, as the ticket screen shows it, saved for zbarimg.
fn save_screen_qr(qr: &SharedPixelBuffer<Rgb8Pixel>, path: &Path) {
    let (w, h) = (qr.width(), qr.height());
    let file = std::io::BufWriter::new(std::fs::File::create(path).expect("a PNG file"));
    let mut encoder = png::Encoder::new(file, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let bytes: Vec<u8> = qr.as_slice().iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    encoder.write_header().and_then(|mut w| w.write_image_data(&bytes)).expect("the screen's QR saved");
}

#[test]
fn every_language_prints_on_58_and_80_mm_and_the_emulator_reads_it_back() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("guichet.sqlite")).expect("a store");
    let catalogue: Catalogue = guichet::assets::load_catalogue(None).expect("the built-in catalogue");
    let context = IssueContext {
        site_name: "France Services de Saint-Martin-d'Hères".into(),
        public_url: "http://192.168.1.20:8080".into(),
        minutes_per_visit: 12,
        desks: 2,
        follow_base: Some("http://192.168.1.20:8081".into()),
    };
    let shots = std::env::var_os("GUICHET_PAPER_SHOTS").map(PathBuf::from);
    let started = Instant::now();
    for lang in Lang::ALL {
        let request = TicketRequest {
            theme: PROCEDURE.0.into(),
            procedure: PROCEDURE.1.into(),
            queue: PROCEDURE.2,
            lang,
            have: vec![],
            priority: None,
        };
        let (issued, view) = ticket::issue(&store, &catalogue, &context, &request).expect("a ticket is issued");
        let screen_qr = dir.path().join(format!("screen-{lang}.png"));
        save_screen_qr(&view.qr, &screen_qr);
        let screen_url = zbarimg(&screen_qr);
        assert_eq!(screen_url, view.url, "{lang}: the screen's QR code");
        // The visitor's own code, on screen and on paper.
        let follow = view.follow.as_ref().expect("the follow page is on: a second code");
        let follow_qr = dir.path().join(format!("follow-{lang}.png"));
        save_screen_qr(&follow.qr, &follow_qr);
        let follow_url = zbarimg(&follow_qr);
        assert!(follow_url.starts_with("http://192.168.1.20:8081/s/"), "{lang}: {follow_url}");
        let codes = [screen_url.as_str(), follow_url.as_str()];
        let paper = ticket::paper(&catalogue, &context, &request, &view, issued.issued_at);
        for (size, qr) in [(Paper::Mm58, QrMode::Native), (Paper::Mm80, QrMode::Raster)] {
            let layout = Layout { paper: size, qr };
            let before = emulator.receipts(size);
            let port = TcpPort::new(emulator.address(size));
            let mut printer = EscPosPrinter::new(Box::new(port), layout, Duration::from_secs(2));
            let outcome = printer.print(&paper);
            assert!(outcome.printed(), "{lang} {size:?}: {outcome:?}\n{}", emulator.log());
            let (png, text) = emulator.next_receipt(size, &before);
            let name = format!("ticket-{lang}-{}mm.png", if size == Paper::Mm58 { 58 } else { 80 });
            if let Some(shots) = &shots {
                let _ = std::fs::create_dir_all(shots);
                let _ = std::fs::copy(&png, shots.join(&name));
            }
            check(lang, size, &png, &text, codes, &issued.number);
        }
    }
    println!("16 tickets printed and read back in {:.1} s", started.elapsed().as_secs_f64());
    assert!(!emulator.log().contains("unknown"), "emupos met a command it does not know:\n{}", emulator.log());
}

fn check(lang: Lang, size: Paper, png: &Path, text: &str, codes: [&str; 2], number: &str) {
    let what = format!("{lang} {size:?}");
    // Both printed codes, each the screen's: the staff's, then the visitor's.
    let printed = zbarimg(png);
    let mut read: Vec<&str> = printed.lines().collect();
    read.sort_unstable();
    let mut want = codes.to_vec();
    want.sort_unstable();
    assert_eq!(read, want, "{what}: the printed QR codes");
    // The French part, read by emupos from the code page.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for french in [number, "Votre numéro", "Accueil général", "À préparer :", "Mon permis de conduire"] {
        assert!(flat.contains(french), "{what}: {french:?} not in the text dump:\n{text}");
    }
    let images = text.lines().filter(|l| l.starts_with("[image")).count();
    let (width, height, grey) = read_png(png);
    assert_eq!(width, size.dots(), "{what}: the paper's width");
    let bands = bands(width, height, &grey);
    // Lines flush with the right edge, with room on their left: right-aligned text.
    let right = bands.iter().filter(|(l, r)| *r + 6 >= width && *l > 24).count();
    match lang {
        Lang::Fr => {
            assert!(!flat.contains("Here is") && images <= 2, "{what}: French only");
            assert!(flat.contains("Wi-Fi de l'accueil et scannez ce code"), "{what}: the follow code's line");
        }
        Lang::En | Lang::Es | Lang::Pt => {
            // At most the two codes (drawn as images in raster mode).
            assert!(images <= 2, "{what}: PC858 prints it as text: {images} images");
            let heading = match lang {
                Lang::En => "Here is your number",
                Lang::Es => "Este es su número",
                _ => "Este é o seu número",
            };
            assert!(flat.contains(heading), "{what}: {heading:?} not printed as text:\n{text}");
        }
        _ => assert!(images >= 12, "{what}: the visitor's words drawn: {images} images\n{text}"),
    }
    if lang == Lang::Ar {
        assert!(right >= 8, "{what}: {right} right-aligned lines in {bands:?}");
    } else {
        assert!(right <= 2, "{what}: {right} lines flush right in a left-to-right ticket: {bands:?}");
    }
}
