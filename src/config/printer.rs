//! `[printer]`: which printer, how it is reached, its paper; and the checks that name
//! the key to fix.

use crate::hardware::escpos::{Layout, Paper, QrMode};
use crate::hardware::transport::BAUD_RATES;
use serde::Deserialize;
use std::path::PathBuf;

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

/// A printer mistake: the key to point at, what is wrong, what to write instead.
pub(super) type PrinterMistake = (&'static str, String, String);

pub(super) fn check_printer(p: &PrinterSection) -> Result<(), PrinterMistake> {
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
