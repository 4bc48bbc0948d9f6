//! The core: pure rules with no IO, tested without a window or a database.

pub mod announce;
pub mod bidi;
pub mod catalogue;
pub mod compounds;
pub mod follow;
pub mod help;
pub mod journey;
pub mod lang;
pub mod network;
pub mod outcome;
pub mod pager_names;
pub mod paging;
pub mod paper_words;
pub mod plural;
pub mod po;
pub mod queue;
pub mod report;
pub mod syntax;
