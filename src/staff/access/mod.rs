//! Who may reach the console and what each may do, and how much: accounts, passwords and
//! sessions (`auth`, with `hash_memory` for argon2's blocks), the login throttle
//! (`throttle`, `devices`: browsers a name logged in from), the cookies, the cross-site
//! rule and the safe redirects (`guard`), the caps on connections, streams, readers and
//! bodies (`limits`), and the certificate browsers check (`tls`).
//!
//! The bottom room: it imports nothing from the other rooms (only the store, the shared
//! `server_thread` transport and outside crates). It draws no page.

pub(crate) mod auth;
pub(crate) mod devices;
pub(crate) mod guard;
mod hash_memory;
pub(crate) mod limits;
pub(crate) mod throttle;
pub mod tls;
