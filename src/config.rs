//! Site configuration (`guichet.toml`). Every mistake names the file, the line and the fix.

use crate::core::journey::IdlePolicy;
use crate::hardware::escpos::{Layout, Paper, QrMode};
use crate::hardware::keys::KeyPins;
use crate::hardware::transport::BAUD_RATES;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub site_name: String,
    /// Another catalogue folder instead of the built-in one.
    pub catalogue_dir: Option<PathBuf>,
    pub display: Display,
    pub console: ConsoleSection,
    pub queue: QueueSection,
    pub idle: IdleSection,
    pub printer: PrinterSection,
    pub speech: SpeechSection,
    pub keys: KeyPins,
}

/// The screen in pixels and millimetres: touch targets and text sizes are set in mm.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Display {
    pub width_px: u32,
    pub height_px: u32,
    pub width_mm: f32,
    pub height_mm: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleSection {
    pub bind: String,
    /// Address phones on the office network use to reach the console (put in QR codes).
    pub public_url: String,
    pub session_minutes: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueueSection {
    pub minutes_per_visit: u32,
    pub desks: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdleSection {
    pub timeout_s: u32,
    pub warning_s: u32,
    pub ticket_s: u32,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PrinterKind {
    None,
    Folder,
    Usb,
    Serial,
    /// A network printer taking raw ESC/POS on a TCP port (9100).
    Tcp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrinterSection {
    pub kind: PrinterKind,
    /// The device of a USB or serial printer.
    pub path: Option<PathBuf>,
    /// host:port of a network printer.
    pub address: Option<String>,
    pub baud: u32,
    /// Paper roll width: 58 or 80.
    pub paper_mm: u32,
    /// QR code drawn by the printer (`native`) or sent as an image (`raster`).
    pub qr: QrMode,
    /// How long to wait for each status reply.
    pub status_timeout_ms: u32,
}

impl PrinterSection {
    /// The paper and QR mode (the config was checked: an unknown width means 80 mm).
    pub fn layout(&self) -> Layout {
        Layout { paper: Paper::from_mm(self.paper_mm).unwrap_or(Paper::Mm80), qr: self.qr }
    }

    pub fn status_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(u64::from(self.status_timeout_ms))
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpeechSection {
    pub enabled: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            site_name: "France Services".into(),
            catalogue_dir: None,
            display: Display::default(),
            console: ConsoleSection::default(),
            queue: QueueSection::default(),
            idle: IdleSection::default(),
            printer: PrinterSection::default(),
            speech: SpeechSection::default(),
            keys: KeyPins::default(),
        }
    }
}

impl Default for Display {
    /// A 10.1-inch 1280×800 touch screen.
    fn default() -> Self {
        Display { width_px: 1280, height_px: 800, width_mm: 217.0, height_mm: 136.0 }
    }
}

impl Display {
    /// Pixels in one millimetre across the screen.
    pub fn px_per_mm_across(&self) -> f32 {
        self.width_px as f32 / self.width_mm
    }

    /// Pixels in one millimetre down the screen (capital heights are measured this way).
    pub fn px_per_mm_down(&self) -> f32 {
        self.height_px as f32 / self.height_mm
    }

    /// The pixels the UI gives one millimetre: the larger of both directions, so that a
    /// 20 mm target is at least 20 mm both ways and a 7.3 mm capital at least 7.3 mm high
    /// (pixels are rarely exactly square: 5.90 across and 5.88 down on the 10.1" panel).
    pub fn px_per_mm(&self) -> f32 {
        self.px_per_mm_across().max(self.px_per_mm_down())
    }
}

impl Default for ConsoleSection {
    fn default() -> Self {
        ConsoleSection {
            bind: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            session_minutes: 480,
        }
    }
}

impl Default for QueueSection {
    fn default() -> Self {
        QueueSection { minutes_per_visit: 15, desks: 2 }
    }
}

impl Default for IdleSection {
    fn default() -> Self {
        let p = IdlePolicy::default();
        IdleSection { timeout_s: p.timeout, warning_s: p.warning, ticket_s: p.ticket_timeout }
    }
}

impl IdleSection {
    pub fn policy(&self) -> IdlePolicy {
        IdlePolicy { timeout: self.timeout_s, warning: self.warning_s, ticket_timeout: self.ticket_s }
    }
}

impl Default for SpeechSection {
    fn default() -> Self {
        SpeechSection { enabled: true }
    }
}

impl Default for PrinterSection {
    fn default() -> Self {
        PrinterSection {
            kind: PrinterKind::Folder,
            path: None,
            address: None,
            baud: 9600,
            paper_mm: 80,
            qr: QrMode::Native,
            status_timeout_ms: 500,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {problem}\n    fix: {fix}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub problem: String,
    pub fix: String,
}

fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(key) && l.trim_start()[key.len()..].trim_start().starts_with('='))
        .map_or(0, |i| i + 1)
}

/// A printer mistake: the key to point at, what is wrong, what to write instead.
type PrinterMistake = (&'static str, String, String);

fn check_printer(p: &PrinterSection) -> Result<(), PrinterMistake> {
    if p.kind == PrinterKind::Tcp {
        let Some(address) = &p.address else {
            let fix = "add address = \"192.168.1.50:9100\" (the printer's address, port 9100)".into();
            return Err(("kind", "a network printer needs an address".into(), fix));
        };
        let port = address.rsplit_once(':').and_then(|(host, port)| (!host.is_empty()).then_some(port));
        if port.and_then(|p| p.parse::<u16>().ok()).is_none_or(|p| p == 0) {
            let fix = "write the printer's address and port, e.g. address = \"192.168.1.50:9100\"".into();
            return Err(("address", format!("address = \"{address}\" is not host:port"), fix));
        }
    }
    if p.kind != PrinterKind::Tcp && p.address.is_some() {
        let fix = "write kind = \"tcp\" for a network printer, or remove address".into();
        return Err(("address", "address is only for kind = \"tcp\"".into(), fix));
    }
    if Paper::from_mm(p.paper_mm).is_none() {
        let fix = "write paper_mm = 58 or paper_mm = 80 (the width of the roll)".into();
        return Err(("paper_mm", format!("paper_mm = {} is not a roll width we print on", p.paper_mm), fix));
    }
    if p.kind == PrinterKind::Serial && !BAUD_RATES.contains(&p.baud) {
        let fix = format!("write the printer's speed, one of {BAUD_RATES:?}, e.g. baud = 9600");
        return Err(("baud", format!("baud = {} is not a serial speed", p.baud), fix));
    }
    if !(50..=5000).contains(&p.status_timeout_ms) {
        let fix = "write status_timeout_ms = 500 (from 50 to 5000)".into();
        return Err(("status_timeout_ms", format!("status_timeout_ms = {} is out of range", p.status_timeout_ms), fix));
    }
    Ok(())
}

impl Config {
    /// Parses and checks config text; `file` is only used in messages.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |line, problem: String, fix: &str| ConfigError { file: file.into(), line, problem, fix: fix.into() };
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            err(line, e.message().trim().to_string(), "see firmware-config/guichet.toml for every key and its form")
        })?;
        let d = config.display;
        if d.width_px == 0 || d.height_px == 0 || !(d.width_mm > 10.0 && d.height_mm > 10.0) {
            return Err(err(
                line_of_key(text, "width_mm"),
                "the display size is missing or too small".into(),
                "give the visible area in pixels and millimetres, for example width_mm = 217.0",
            ));
        }
        let i = config.idle;
        if i.warning_s < 20 {
            return Err(err(
                line_of_key(text, "warning_s"),
                format!("warning_s = {} is shorter than 20 seconds", i.warning_s),
                "write warning_s = 20 or more (EN 301 549 asks for 20 s)",
            ));
        }
        if i.timeout_s <= i.warning_s || i.ticket_s <= i.warning_s {
            return Err(err(
                line_of_key(text, "timeout_s"),
                "timeout_s and ticket_s must be longer than warning_s".into(),
                "for example timeout_s = 120, warning_s = 30, ticket_s = 60",
            ));
        }
        if matches!(config.printer.kind, PrinterKind::Usb | PrinterKind::Serial) && config.printer.path.is_none() {
            return Err(err(
                line_of_key(text, "kind"),
                "this printer kind needs a device path".into(),
                "add path = \"/dev/usb/lp0\" (USB) or path = \"/dev/serial0\" (serial)",
            ));
        }
        check_printer(&config.printer).map_err(|(key, problem, fix)| err(line_of_key(text, key), problem, &fix))?;
        if config.console.bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(err(
                line_of_key(text, "bind"),
                format!("bind = \"{}\" is not an address and port", config.console.bind),
                "write bind = \"0.0.0.0:8080\"",
            ));
        }
        if !config.console.public_url.starts_with("http://") && !config.console.public_url.starts_with("https://") {
            return Err(err(
                line_of_key(text, "public_url"),
                "public_url must start with http:// or https://".into(),
                "write the address phones use, e.g. public_url = \"http://192.168.1.20:8080\"",
            ));
        }
        Ok(config)
    }

    /// Reads `path`; a missing file means the defaults (demo).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError {
                file: path.display().to_string(),
                line: 0,
                problem: e.to_string(),
                fix: "check the file's permissions".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses() {
        let text = include_str!("../firmware-config/guichet.toml");
        let c = Config::parse(text, "guichet.toml").unwrap();
        assert!(c.display.px_per_mm() > 3.0);
    }

    #[test]
    fn mistakes_name_line_and_fix() {
        let e = Config::parse("site_name = \"x\"\n[idle]\nwarning_s = 5\n", "g.toml").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("g.toml", 3));
        assert!(e.fix.contains("20"));
        let e = Config::parse("[printer]\nkind = \"laser\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = Config::parse("[console]\nbnd = \"x\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.problem.contains("bnd"), "{e}");
        let e = Config::parse("[printer]\nkind = \"usb\"\n", "g.toml").unwrap_err();
        assert!(e.fix.contains("/dev/usb/lp0"));
    }

    #[test]
    fn printer_mistakes_name_line_and_fix() {
        let at = |text: &str| Config::parse(text, "g.toml").unwrap_err();
        let e = at("[printer]\nkind = \"tcp\"\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.fix.contains("address = \"192.168.1.50:9100\""), "{e}");
        let e = at("[printer]\nkind = \"tcp\"\naddress = \"192.168.1.50\"\n");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.problem.contains("host:port"), "{e}");
        let e = at("[printer]\nkind = \"folder\"\n\npaper_mm = 57\n");
        assert_eq!(e.line, 4, "{e}");
        assert!(e.fix.contains("paper_mm = 58"), "{e}");
        let e = at("[printer]\nkind = \"serial\"\npath = \"/dev/ttyUSB0\"\nbaud = 9601\n");
        assert_eq!(e.line, 4, "{e}");
        assert!(e.fix.contains("baud = 9600"), "{e}");
        let e = at("[printer]\nqr = \"image\"\n");
        assert_eq!(e.line, 2, "{e}");
        let e = at("[printer]\nstatus_timeout_ms = 60000\n");
        assert!(e.fix.contains("500"), "{e}");
        let e = at("[printer]\nkind = \"usb\"\npath = \"/dev/usb/lp0\"\naddress = \"10.0.0.1:9100\"\n");
        assert_eq!(e.line, 4, "{e}");
        let ok = Config::parse(
            "[printer]\nkind = \"tcp\"\naddress = \"printer.lan:9100\"\npaper_mm = 58\nqr = \"raster\"\n",
            "g",
        );
        let p = ok.map(|c| c.printer).unwrap();
        assert_eq!(p.layout(), Layout { paper: Paper::Mm58, qr: QrMode::Raster });
    }
}
