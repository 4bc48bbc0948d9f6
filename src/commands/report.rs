//! `guichet report` (the activity report on the terminal, CSV or JSON) and `guichet
//! purge` (the retention rules applied now); and the daily job that applies them while
//! the kiosk or the console runs.

use super::Site;
use crate::cli::ReportFormat;
use crate::staff::report::{check_span, csv, gather};
use crate::store::Store;
use anyhow::{anyhow, Context};
use chrono::{Datelike, NaiveDate};
use std::time::Duration;

pub fn report(site: &Site, from: Option<NaiveDate>, to: Option<NaiveDate>, format: ReportFormat) -> anyhow::Result<()> {
    let today = crate::clock::Clock::today(&crate::clock::SystemClock);
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
    check_span(from, to).map_err(|e| anyhow!("--from {from} --to {to}: {e}"))?;
    let store = site.store()?;
    let catalogue = site.catalogue()?;
    let report = store.reader().with(|c| gather(c, &catalogue, from, to)).context("cannot read the report")?;
    match format {
        ReportFormat::Csv => print!("{}", csv(&report, &catalogue)),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(())
}

/// How long after start the daily job first runs.
const FIRST_RUN: Duration = Duration::from_secs(60);

/// What the retention rules keep, in days.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub details_days: u32,
    pub audit_days: u32,
}

impl Retention {
    pub fn of(site: &Site) -> Retention {
        Retention { details_days: site.config.retention.details_days, audit_days: site.config.console.audit_days }
    }

    /// Applies the rules once; a line for the journal.
    pub fn apply(self, store: &Store) -> anyhow::Result<String> {
        let purged = store.purge_details(self.details_days).wait()?;
        let audit = store.purge_audit(self.audit_days).wait()?;
        let wal = if purged.wal_emptied {
            ""
        } else {
            "; the write-ahead log was in use and still holds old copies until the next purge"
        };
        Ok(format!(
            "retention: details wiped from {} tickets closed more than {} days ago (counts kept), {} board calls and {} audit entries older than {} days removed{wal}",
            purged.tickets, self.details_days, purged.calls, audit, self.audit_days
        ))
    }

    /// Applies the rules a minute after start (not during it: the purge is a write on the
    /// store thread the first ticket also needs), then once a day, on a thread of its own.
    pub fn every_day(self, store: Store) {
        let spawned = std::thread::Builder::new().name("retention".into()).spawn(move || loop {
            std::thread::sleep(FIRST_RUN);
            match self.apply(&store) {
                Ok(line) => println!("{line}"),
                Err(e) => eprintln!("retention: {e:#}"),
            }
            std::thread::sleep(Duration::from_secs(24 * 3600) - FIRST_RUN);
        });
        if let Err(e) = spawned {
            eprintln!("retention: cannot start the daily job: {e}");
        }
    }
}

pub fn purge(site: &Site) -> anyhow::Result<()> {
    let store = site.store()?;
    println!("{}", Retention::of(site).apply(&store)?);
    Ok(())
}
