//! What the console does when asked: its shared state (`console`), who is asking
//! (`extract`: the `Staff`, `Admin` and `Posted` extractors), and one handler file per
//! family: `login`, `actions` (a ticket's actions, call next, a new day), `admin`
//! (accounts, audit log), `board` and `board_admin` (the TV board, its address), `report`
//! (the activity report, also `guichet report`'s), `network` (the network's figures, also
//! `guichet report --network`'s; `network_link` reads them), `health` ("État de la borne"), `help`
//! (answering a call for help), `sse` (the live queue's events).
//!
//! Handlers read and write through the store, decide with `access` and draw with
//! `pages`; they import nothing from `http`.

pub(crate) mod actions;
pub(crate) mod admin;
pub(crate) mod board;
pub(crate) mod board_admin;
pub(crate) mod console;
pub(crate) mod extract;
pub(crate) mod health;
pub(crate) mod help;
pub(crate) mod login;
pub mod network;
mod network_link;
pub mod report;
pub(crate) mod sse;
