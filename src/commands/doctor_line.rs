//! One line of `guichet doctor`'s report: a part, PASS / WARN / FAIL, and what to do.
//! Every check makes these; `doctor` prints them (or `--json`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub status: Status,
    pub part: &'static str,
    pub detail: String,
}

impl Line {
    pub fn new(status: Status, part: &'static str, detail: impl Into<String>) -> Line {
        Line { status, part, detail: detail.into() }
    }
}
