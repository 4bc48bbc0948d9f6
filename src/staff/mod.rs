//! The staff console: a small web server on the office LAN. Staff log in, watch the live
//! queue, call visitors to their desk, open a request by scanning the ticket's QR code
//! with a phone, and record the outcome. Server-rendered HTML (maud), live updates by
//! server-sent events, no external resources.
//!
//! Four rooms, imports going one way only (`http` → `act` → `pages` → `access`):
//! - `http`: how requests arrive: the server (thread, runtime, listener), the routes and
//!   the middleware every request passes;
//! - `act`: what the console does when asked: its shared state (`Console`), who is asking
//!   (`Staff`, `Admin`, `Posted`), one handler file per family;
//! - `pages`: what staff read, in French: one view per page family over a shared layout;
//! - `access`: who may reach the console and do what, and how much: accounts, sessions,
//!   the login throttle, cookies and the cross-site rule, the caps, the certificate.
//!
//! This file only names the rooms and what the rest of the crate uses from them.

mod access;
mod act;
mod http;
mod pages;

pub use access::auth::{account_name, hash_password, password_problem, verify_password, HashError, MIN_PASSWORD};
/// The audit verb of a ticket action (also its path: `/tickets/<id>/<verb>`).
pub use pages::labels::action_slug;

pub use access::tls;
pub use act::console::{Console, ConsoleConfig};
pub use act::network as network_report;
pub use act::report;
pub use http::serve::spawn;

/// URL of a ticket's request page, what the QR code holds (a trailing `/` on
/// `public_url` is tolerated).
pub fn ticket_url(public_url: &str, token: &str) -> String {
    format!("{}/t/{token}", public_url.trim_end_matches('/'))
}

pub use crate::server_thread::ServerHandle;
