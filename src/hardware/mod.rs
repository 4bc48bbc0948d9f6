//! Hardware ports: the ticket printer and the physical keys, each with a real and a
//! simulated implementation.
//!
//! The printer: `printer` (the port, the printing sequence, the simulated printer),
//! `transport` (serial, USB, TCP), `printer_status` (DLE EOT replies → state), `escpos`
//! (the receipt's commands), `receipt_layout` (what goes where, in which language),
//! `pc858` (the code page), `shaping` and `paper_text` (other scripts drawn as dots),
//! `escpos_read` (bytes → what is on paper) and `receipt_png` (the preview drawn from the
//! bytes).

pub mod display;
pub mod escpos;
pub mod escpos_read;
pub mod keys;
pub mod lamp;
pub mod paper_text;
pub mod pc858;
pub mod presence;
pub mod printer;
pub mod printer_status;
pub mod receipt_layout;
pub mod receipt_png;
pub mod shaping;
pub mod transport;
pub mod watchdog;

#[cfg(test)]
mod receipt_tests;
