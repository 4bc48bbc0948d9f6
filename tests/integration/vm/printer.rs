//! The ticket printer on the guest's second serial port (ttyS1): a stand-in on the host,
//! behind qemu's socket, that keeps every byte printed and answers the real-time status
//! requests (DLE EOT n) as a ready ESC/POS printer does (paper in, cover closed, online).

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
pub struct Printer {
    bytes: Arc<Mutex<Vec<u8>>>,
}

/// A ready printer's answer to DLE EOT n: bit 1 and 4 always set, no fault bit.
const READY: u8 = 0x12;

impl Printer {
    /// Serves the socket qemu just opened (one per boot), on a thread of its own.
    pub fn attach(&self, socket: &Path) {
        let bytes = self.bytes.clone();
        let socket = socket.to_path_buf();
        std::thread::spawn(move || {
            let mut stream = None;
            for _ in 0..100 {
                if let Ok(s) = UnixStream::connect(&socket) {
                    stream = Some(s);
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let Some(mut stream) = stream else { return };
            let mut buf = [0u8; 4096];
            let mut previous = [0u8; 2];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    return;
                }
                for &b in &buf[..n] {
                    if previous == [0x10, 0x04] && (1..=4).contains(&b) {
                        let _ = stream.write_all(&[READY]);
                    }
                    previous = [previous[1], b];
                }
                if let Ok(mut all) = bytes.lock() {
                    all.extend_from_slice(&buf[..n]);
                }
            }
        });
    }

    /// Everything the guest sent to the printer so far.
    pub fn printed(&self) -> Vec<u8> {
        self.bytes.lock().map(|b| b.clone()).unwrap_or_default()
    }
}
