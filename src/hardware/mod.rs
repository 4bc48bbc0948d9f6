//! Hardware ports: the ticket printer and the physical keys, each with a real and a
//! simulated implementation.

pub mod display;
pub mod escpos;
pub mod keys;
pub mod printer;
pub mod watchdog;
