//! The console's addresses that pages link to and the router serves, in one place.

/// The accounts page (administrators).
pub(crate) const ADMIN: &str = "/admin";
/// The audit log page (administrators).
pub(crate) const JOURNAL: &str = "/admin/journal";
/// The board's address, for administrators.
pub(crate) const BOARD_ADMIN: &str = "/admin/tableau";
/// The waiting-room board on a TV (no login: a key in its address).
pub(crate) const BOARD: &str = "/board";
/// The activity report and its exports.
pub(crate) const REPORT: &str = "/rapport";
pub(crate) const REPORT_CSV: &str = "/rapport.csv";
pub(crate) const REPORT_JSON: &str = "/rapport.json";
/// The network's figures (with `[network]`) and their exports.
pub(crate) const REPORT_NETWORK: &str = "/rapport/reseau";
pub(crate) const REPORT_NETWORK_CSV: &str = "/rapport/reseau.csv";
pub(crate) const REPORT_NETWORK_JSON: &str = "/rapport/reseau.json";
/// "État de la borne" (linked from the header).
pub(crate) const HEALTH: &str = "/borne";
/// Where "open a new day" posts.
pub(crate) const OPEN_DAY: &str = "/day/open";
