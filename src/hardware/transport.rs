//! How bytes reach a printer and its status replies come back: the `Port` trait and its
//! real adapters: a serial line (plain termios, raw 8N1, on a UART, a USB-serial adapter
//! or a pseudo-terminal), a USB printer-class device (`/dev/usb/lp0`) and raw TCP (port
//! 9100). Every wait is bounded: reads by the status timeout, writes by a stall timeout,
//! connections by a connect timeout; nothing here can hang the issuing thread for good.

use super::escpos::Layout;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::termios::{self, BaudRate, ControlFlags, FlushArg, SetArg, SpecialCharacterIndices};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::os::fd::AsFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A printer that takes nothing for this long is stuck (out of paper, jammed, unplugged).
pub const WRITE_STALL: Duration = Duration::from_secs(5);
/// Time to open a TCP connection to a network printer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Serial speeds the config accepts.
pub const BAUD_RATES: [u32; 8] = [2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];

/// One ticket on its way to the printer.
pub struct Job<'a> {
    /// Names the simulated printer's files (`C-042.escpos`); real printers ignore it.
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub layout: &'a Layout,
}

/// A way to a printer. Calls open what they need; `close` lets it go.
pub trait Port: Send {
    /// Hands one ticket's bytes to the printer (all of them, or an error).
    fn send(&mut self, job: &Job) -> io::Result<()>;
    /// Sends a real-time query and waits at most `timeout` for its one-byte reply:
    /// `Ok(None)` when nothing came back or this port cannot read; `Err` when the printer
    /// cannot be reached at all.
    fn ask(&mut self, query: &[u8], timeout: Duration) -> io::Result<Option<u8>>;
    /// Closes the connection, if any (the next call opens a new one).
    fn close(&mut self) {}
    /// Where the printer is, for people ("serial /dev/ttyUSB0 at 9600 baud").
    fn describe(&self) -> String;
}

fn baud_rate(baud: u32) -> io::Result<BaudRate> {
    Ok(match baud {
        2400 => BaudRate::B2400,
        4800 => BaudRate::B4800,
        9600 => BaudRate::B9600,
        19200 => BaudRate::B19200,
        38400 => BaudRate::B38400,
        57600 => BaudRate::B57600,
        115200 => BaudRate::B115200,
        230400 => BaudRate::B230400,
        _ => return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{baud} baud is not supported"))),
    })
}

/// Raw 8N1 at `baud`, no modem lines, reads that never wait (we poll).
fn make_raw(file: &File, baud: u32) -> io::Result<()> {
    let mut t = termios::tcgetattr(file)?;
    termios::cfmakeraw(&mut t);
    termios::cfsetspeed(&mut t, baud_rate(baud)?)?;
    t.control_flags |= ControlFlags::CLOCAL | ControlFlags::CREAD;
    t.control_flags &= !(ControlFlags::CSTOPB | ControlFlags::PARENB | ControlFlags::CRTSCTS);
    t.control_chars[SpecialCharacterIndices::VMIN as usize] = 0;
    t.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
    termios::tcsetattr(file, SetArg::TCSANOW, &t)?;
    termios::tcflush(file, FlushArg::TCIFLUSH)?;
    Ok(())
}

/// Waits until `file` is ready for `events`; false when `timeout` passed first.
fn ready(file: &File, events: PollFlags, timeout: Duration) -> io::Result<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let wait = PollTimeout::try_from(left).unwrap_or(PollTimeout::MAX);
        let mut fds = [PollFd::new(file.as_fd(), events)];
        match poll(&mut fds, wait) {
            Ok(n) => return Ok(n > 0),
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

fn stalled() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("the printer took nothing for {} s", WRITE_STALL.as_secs()))
}

/// Writes all of `bytes` to a non-blocking descriptor, waiting at most [`WRITE_STALL`]
/// each time the printer takes nothing.
fn write_all(mut file: &File, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        match file.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if !ready(file, PollFlags::POLLOUT, WRITE_STALL)? {
                    return Err(stalled());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One byte, waiting at most `timeout`. A read error counts as "no reply" (a printer that
/// cannot talk back, such as a one-way USB printer).
fn read_byte(mut file: &File, timeout: Duration) -> io::Result<Option<u8>> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if !ready(file, PollFlags::POLLIN, left)? {
            return Ok(None);
        }
        let mut b = [0u8];
        match file.read(&mut b) {
            Ok(1) => return Ok(Some(b[0])),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) && !left.is_zero() => {
            }
            _ => return Ok(None),
        }
    }
}

/// Throws away bytes already waiting (a late reply, unsolicited status), at most 4 KiB.
fn discard_input(mut reader: impl Read) {
    let mut buf = [0u8; 256];
    for _ in 0..16 {
        if !matches!(reader.read(&mut buf), Ok(n) if n > 0) {
            break;
        }
    }
}

/// A character device: a serial line (`baud` set) or a USB printer-class device. It stays
/// open between tickets; a failed write closes it, and the next ticket opens it again
/// (a USB printer unplugged and plugged back in).
pub struct DevicePort {
    path: PathBuf,
    baud: Option<u32>,
    open: Option<File>,
}

impl DevicePort {
    /// A USB printer (`/dev/usb/lp0`): raw writes; status if the printer talks back.
    pub fn usb(path: PathBuf) -> DevicePort {
        DevicePort { path, baud: None, open: None }
    }

    /// A serial printer: the line is set to raw 8N1 at `baud` each time it is opened.
    pub fn serial(path: PathBuf, baud: u32) -> DevicePort {
        DevicePort { path, baud: Some(baud), open: None }
    }

    fn file(&mut self) -> io::Result<&File> {
        if self.open.is_none() {
            let flags = nix::fcntl::OFlag::O_NOCTTY | nix::fcntl::OFlag::O_NONBLOCK;
            let file = OpenOptions::new().read(true).write(true).custom_flags(flags.bits()).open(&self.path);
            // A USB printer node may be writable only: print without status then.
            let file = match file {
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied && self.baud.is_none() => {
                    OpenOptions::new().write(true).custom_flags(flags.bits()).open(&self.path)
                }
                other => other,
            }
            .map_err(|e| self.error(e))?;
            if let Some(baud) = self.baud {
                make_raw(&file, baud).map_err(|e| self.error(e))?;
            }
            self.open = Some(file);
        }
        self.open.as_ref().ok_or_else(|| io::ErrorKind::NotConnected.into())
    }

    /// `e` with the device's path in front, and the device closed for a fresh start.
    fn error(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.path.display()))
    }

    fn failed(&mut self, e: io::Error) -> io::Error {
        self.open = None;
        self.error(e)
    }
}

impl Port for DevicePort {
    fn send(&mut self, job: &Job) -> io::Result<()> {
        let result = write_all(self.file()?, job.bytes);
        result.map_err(|e| self.failed(e))
    }

    fn ask(&mut self, query: &[u8], timeout: Duration) -> io::Result<Option<u8>> {
        let file = self.file()?;
        discard_input(file);
        if let Err(e) = write_all(file, query) {
            return Err(self.failed(e));
        }
        read_byte(file, timeout)
    }

    fn describe(&self) -> String {
        match self.baud {
            Some(baud) => format!("serial {} at {baud} baud", self.path.display()),
            None => format!("USB {}", self.path.display()),
        }
    }
}

/// A network printer taking raw ESC/POS on a TCP port (9100). One connection per ticket:
/// a connection kept open could be dropped by the printer without us knowing.
pub struct TcpPort {
    address: String,
    stream: Option<TcpStream>,
}

impl TcpPort {
    pub fn new(address: String) -> TcpPort {
        TcpPort { address, stream: None }
    }

    fn error(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.address))
    }

    fn connect(&self) -> io::Result<TcpStream> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
        for addr in self.address.to_socket_addrs()? {
            match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    stream.set_write_timeout(Some(WRITE_STALL))?;
                    return Ok(stream);
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn stream(&mut self) -> io::Result<&mut TcpStream> {
        if self.stream.is_none() {
            let stream = self.connect().map_err(|e| self.error(e))?;
            self.stream = Some(stream);
        }
        self.stream.as_mut().ok_or_else(|| io::ErrorKind::NotConnected.into())
    }

    fn failed(&mut self, e: io::Error) -> io::Error {
        self.stream = None;
        let e = if e.kind() == io::ErrorKind::WouldBlock { stalled() } else { e };
        self.error(e)
    }

    /// Reads what is already waiting, without waiting.
    fn discard(stream: &mut TcpStream) -> io::Result<()> {
        stream.set_nonblocking(true)?;
        discard_input(&mut *stream);
        stream.set_nonblocking(false)
    }
}

impl Port for TcpPort {
    fn send(&mut self, job: &Job) -> io::Result<()> {
        let stream = self.stream()?;
        let result = stream.write_all(job.bytes).and_then(|()| stream.flush());
        result.map_err(|e| self.failed(e))
    }

    fn ask(&mut self, query: &[u8], timeout: Duration) -> io::Result<Option<u8>> {
        let stream = self.stream()?;
        let sent = Self::discard(stream)
            .and_then(|()| stream.write_all(query))
            .and_then(|()| stream.set_read_timeout(Some(timeout.max(Duration::from_millis(1)))));
        if let Err(e) = sent {
            return Err(self.failed(e));
        }
        let mut b = [0u8];
        Ok(match stream.read(&mut b) {
            Ok(1) => Some(b[0]),
            _ => None,
        })
    }

    fn close(&mut self) {
        if let Some(mut stream) = self.stream.take() {
            // Unread bytes at close would reset the connection and could drop the ticket.
            let _ = Self::discard(&mut stream);
            let _ = stream.shutdown(Shutdown::Write);
        }
    }

    fn describe(&self) -> String {
        format!("network {}", self.address)
    }
}
