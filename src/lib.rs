//! guichet: a speaking, large-print queue kiosk for public help points.
//! See docs/ARCHITECTURE.md for the map of modules, threads and invariants.

pub mod assets;
pub mod board;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod core;
pub mod follow;
pub mod hardware;
pub mod health;
pub mod kiosk;
pub mod server_thread;
pub mod speech;
pub mod staff;
pub mod store;

/// The windows, generated from `ui/*.slint` by the `guichet-ui` crate.
pub use guichet_ui as ui;
