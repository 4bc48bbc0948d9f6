//! Screen captures of an X display (`xwd`, package x11-apps), as RGB pixels.

pub use crate::common::capture::{differing, read_png, Capture};
use std::process::Command;

fn be32(b: &[u8], field: usize) -> u32 {
    u32::from_be_bytes([b[field * 4], b[field * 4 + 1], b[field * 4 + 2], b[field * 4 + 3]])
}

/// The whole screen of `display` (ZPixmap, 24/32 bits per pixel, as Xvfb serves it).
pub fn capture(display: &str) -> Capture {
    let out = Command::new("xwd")
        .args(["-root", "-silent", "-display", display])
        .output()
        .expect("xwd is needed (package x11-apps; scripts/setup-debian.sh installs it)");
    assert!(out.status.success(), "xwd: {}", String::from_utf8_lossy(&out.stderr));
    parse(&out.stdout)
}

/// Reads an XWD dump: a header of big-endian 32-bit fields, the colour map, the pixels.
pub fn parse(b: &[u8]) -> Capture {
    let (header, version, format) = (be32(b, 0) as usize, be32(b, 1), be32(b, 2));
    assert!(version == 7 && format == 2, "not an XWD ZPixmap dump (version {version}, format {format})");
    let (width, height) = (be32(b, 4), be32(b, 5));
    let (byte_order, bpp, line) = (be32(b, 7), be32(b, 11) as usize, be32(b, 12) as usize);
    let (rmask, gmask, bmask) = (be32(b, 14), be32(b, 15), be32(b, 16));
    let colours = be32(b, 19) as usize;
    assert!(bpp == 32 || bpp == 24, "{bpp} bits per pixel");
    let data = &b[header + colours * 12..];
    let channel = |v: u32, mask: u32| ((v & mask) >> mask.trailing_zeros()) as u8;
    let mut pixels = Vec::with_capacity((width * height) as usize);
    for y in 0..height as usize {
        for x in 0..width as usize {
            let at = y * line + x * bpp / 8;
            let mut raw = [0u8; 4];
            raw[..bpp / 8].copy_from_slice(&data[at..at + bpp / 8]);
            let v = if byte_order == 0 { u32::from_le_bytes(raw) } else { u32::from_be_bytes(raw) >> (32 - bpp) };
            pixels.push([channel(v, rmask), channel(v, gmask), channel(v, bmask)]);
        }
    }
    Capture { width, height, pixels }
}
