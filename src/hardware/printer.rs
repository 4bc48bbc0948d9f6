//! The `TicketPrinter` port and its implementations. Printing happens after the ticket
//! is committed, on its own thread: a failed printer never loses a ticket.

use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("printer {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("serial printer: {0}")]
    Serial(String),
}

pub trait TicketPrinter: Send {
    fn print(&mut self, name: &str, bytes: &[u8]) -> Result<(), PrintError>;
}

/// Simulated printer: each ticket's bytes land in a folder (`<data>/printer/C-042.escpos`).
pub struct FolderPrinter(pub PathBuf);

impl TicketPrinter for FolderPrinter {
    fn print(&mut self, name: &str, bytes: &[u8]) -> Result<(), PrintError> {
        let io = |source| PrintError::Io { path: self.0.display().to_string(), source };
        std::fs::create_dir_all(&self.0).map_err(io)?;
        let file = self.0.join(format!("{name}.escpos"));
        std::fs::write(&file, bytes).map_err(|source| PrintError::Io { path: file.display().to_string(), source })
    }
}

/// A USB printer (`/dev/usb/lp0`) or any character device that takes raw bytes.
pub struct DevicePrinter(pub PathBuf);

impl TicketPrinter for DevicePrinter {
    fn print(&mut self, _name: &str, bytes: &[u8]) -> Result<(), PrintError> {
        let io = |source| PrintError::Io { path: self.0.display().to_string(), source };
        let mut f = std::fs::OpenOptions::new().write(true).open(&self.0).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.flush().map_err(io)
    }
}

/// A serial (UART) printer, through rppal (no Pi model detection needed).
pub struct SerialPrinter {
    pub path: PathBuf,
    pub baud: u32,
}

impl TicketPrinter for SerialPrinter {
    fn print(&mut self, _name: &str, bytes: &[u8]) -> Result<(), PrintError> {
        use rppal::uart::{Parity, Uart};
        let e = |e: rppal::uart::Error| PrintError::Serial(format!("{}: {e}", self.path.display()));
        let mut uart = Uart::with_path(&self.path, self.baud, Parity::None, 8, 1).map_err(e)?;
        uart.set_write_mode(true).map_err(e)?;
        let mut sent = 0;
        while sent < bytes.len() {
            sent += uart.write(&bytes[sent..]).map_err(e)?;
        }
        uart.drain().map_err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_printer_writes_and_device_printer_reports_missing_device() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = FolderPrinter(dir.path().join("printer"));
        p.print("C-001", b"abc").unwrap();
        assert_eq!(std::fs::read(dir.path().join("printer/C-001.escpos")).unwrap(), b"abc");
        let mut d = DevicePrinter(dir.path().join("nope/lp0"));
        let err = d.print("C-001", b"abc").unwrap_err().to_string();
        assert!(err.contains("nope/lp0"), "{err}");
    }
}
