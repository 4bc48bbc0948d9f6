//! guichet: a speaking, large-print queue kiosk for public help points.
//! See docs/ARCHITECTURE.md for the map of modules, threads and invariants.

pub mod clock;
pub mod core;
pub mod store;
