//! The waiting-room board: who is called, to which desk. Shown and said on a TV's browser
//! (the console's `/board` page, `staff::board`), in a window of its own (`guichet board`),
//! or said by the kiosk itself.
//!
//! - `audio`: the chime and the spoken call (espeak-ng), for the browser and this machine;
//! - `announcer`: calls said on this machine, in order, none skipped; `follow` reads them
//!   from the database;
//! - `window`: the board as a Slint window;
//! - `remote`: the calls of a kiosk elsewhere on the network, read from its live stream
//!   (`sse` reads the stream, `pinned` trusts the kiosk's certificate by its fingerprint).

pub mod announcer;
pub mod audio;
pub mod pinned;
pub mod remote;
pub mod sse;
pub mod window;
