//! How requests reach the console: `serve` starts its server (thread, runtime, the shared
//! listener with the console's caps and certificate), `routes` maps every address to its
//! handler and puts the middleware every request passes (security headers, the
//! cross-site refusal, the time and size limits).
//!
//! The top room: it may import `act`, `pages` and `access`; none of them imports it.

pub(crate) mod routes;
pub(crate) mod serve;
