//! `guichet doctor`: one line per part of the kiosk, PASS / WARN / FAIL, in words a
//! technician can read over the phone; `--json` for scripts; exit status non-zero on any
//! FAIL. The checks themselves are in `doctor_checks`.

use super::doctor_checks as check;
use super::Site;
use serde::Serialize;
use std::path::Path;

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

/// What `doctor` was asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub json: bool,
    /// Ask for each configured key to be pressed (10 s each).
    pub keys: bool,
    /// Say the test phrase (off in tests: no sound card).
    pub speak: bool,
}

/// Every check, in the order a technician walks the kiosk.
pub fn report(data_dir: &Path, config: Option<&Path>, options: Options) -> Vec<Line> {
    let mut lines = vec![check::version()];
    let site = match Site::open(data_dir, config) {
        Ok(site) => site,
        Err(e) => {
            lines.push(Line::new(Status::Fail, "config", format!("{e:#}")));
            return lines;
        }
    };
    lines.push(check::catalogue(&site));
    lines.extend(check::data_dir(&site.data_dir));
    lines.push(check::database(&site.data_dir));
    lines.push(check::clock(chrono::Utc::now().timestamp(), check::BUILT_AT));
    lines.push(check::display(&site));
    lines.push(check::touch(Path::new("/sys/class/input")));
    lines.push(check::sound(&site));
    lines.push(check::speech(&site, options.speak));
    lines.push(check::printer(&site));
    lines.extend(check::keys(&site, options.keys));
    lines.extend(check::console(&site));
    lines
}

/// `guichet doctor`: prints the report; an error when any line is FAIL.
pub fn doctor(data_dir: &Path, config: Option<&Path>, options: Options) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let lines = report(data_dir, config, options);
    if options.json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        for l in &lines {
            let tag = match l.status {
                Status::Pass => "PASS",
                Status::Warn => "WARN",
                Status::Fail => "FAIL",
            };
            println!("{tag}  {:<9} {}", l.part, l.detail);
        }
        println!("({} checks in {} ms)", lines.len(), started.elapsed().as_millis());
    }
    let failed = lines.iter().filter(|l| l.status == Status::Fail).count();
    anyhow::ensure!(failed == 0, "{failed} check(s) failed");
    Ok(())
}
