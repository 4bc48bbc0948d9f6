//! Everything that needs no UI thread of its own, in one test binary (each binary links
//! Slint and the whole app: one link instead of one per file).

mod board;
mod board_remote;
mod board_window;
mod browser;
mod browser_board;
#[path = "../common/mod.rs"]
mod common;
mod console;
mod console_accounts;
mod console_audit;
mod console_desks;
mod console_health;
mod console_limits;
mod console_throttle;
mod console_tickets;
mod console_transport;
mod console_workflow;
mod crash;
mod crash_child;
mod degraded_disk;
mod degraded_health;
mod degraded_kiosk;
mod degraded_printer;
mod degraded_speech;
mod degraded_start;
mod doctor;
mod gallery;
mod help_calls;
mod mirror;
mod pixels;
mod plain_language;
mod printer;
mod qr_roundtrip;
mod report;
mod shots;
mod soak_staff;
mod startup;
mod vm;
mod window;
mod x11;
mod xwd;
