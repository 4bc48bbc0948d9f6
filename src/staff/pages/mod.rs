//! What staff read, in plain French: one view per page family over a shared layout.
//! `layout` is the frame (header, style), the login page and the
//! short message pages; `script` the queue page's script (live updates, keys, alerts);
//! `labels` the French words for the store's codes; `facts` a ticket's status badge and
//! what matters about the visitor; `paths` the addresses pages link to. The views:
//! `queue_view` (the live queue) over `desk_view` (the desk's column: its visitors and
//! "call next"), `ticket_view` and `action_view` (a ticket's page, its actions, the outcome
//! buttons and the question before "Absent" or "Annuler"), `admin_view` (accounts, audit
//! log), `board_view` (the TV board and its address), `report_view` (the report and its
//! charts), `network_view` (the network's figures, drawn with the report's charts),
//! `health_view` ("État de la borne", the alert banners), `help_view` (calls for help).
//!
//! Views take plain data and return markup: they may import `access` (the session shown
//! in the header, the notices) and nothing from `act` or `http`.

pub(crate) mod action_view;
pub(crate) mod admin_view;
pub(crate) mod board_view;
pub(crate) mod desk_view;
pub(crate) mod facts;
pub(crate) mod health_view;
pub(crate) mod help_view;
pub(crate) mod labels;
pub(crate) mod layout;
pub(crate) mod network_view;
pub(crate) mod paths;
pub(crate) mod queue_view;
pub(crate) mod report_view;
pub(crate) mod script;
pub(crate) mod ticket_view;

pub(crate) use layout::{login, page, plain, Chrome, LoginForm, Plain};
