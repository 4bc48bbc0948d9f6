//! A network's figures: what each site sends of a finished service day (the activity
//! report's anonymous counts, never a visitor's detail or a ticket), and the report across
//! sites built back from them. No IO: the store keeps the figures, the CLI and the console
//! show them.
//!
//! A day is a list of (section, item, count). Waits and service times travel as counts per
//! rounded minute, so a median and a p90 over any span and any sites are exact: rounding
//! keeps the order, so the nearest rank of the rounded values is the rounded nearest rank.
//! Priority reasons (health data) stay on the site: only how many visitors had one goes.

use super::queue::Status;
use super::report::{self, Counts, Kept, Report, Spread, Visit};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// One figure of a day, a month or a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub section: String,
    pub item: String,
    pub count: u64,
}

/// Counts per rounded minute of waits before the first call, and of service times.
pub const WAIT: &str = "wait_min";
pub const SERVICE: &str = "service_min";

/// The report's sections that a day's figures carry as they are (totals, breakdowns,
/// hours). Days, weeks and months are the day itself; spreads travel as minutes.
const SENT: [&str; 9] =
    ["total", "theme", "operator", "outcome", "redirected_to", "autonomy", "language", "first_visit", "hour"];

fn minutes(seconds: i64) -> u32 {
    ((seconds as f64) / 60.0).round() as u32
}

/// The figures of service day `day` from its tickets (named from the catalogue) and what
/// purges kept: every count above zero.
pub fn day_figures(day: NaiveDate, visits: &[Visit], kept: &[Kept]) -> Vec<Figure> {
    let r = report::build(day, day, visits, kept);
    let mut out: Vec<Figure> = r
        .lines()
        .into_iter()
        .filter(|(section, _, count)| *count > 0 && SENT.contains(section))
        .map(|(section, item, count)| Figure { section: section.to_string(), item, count })
        .collect();
    let mut spread = |section: &str, seconds: &mut dyn Iterator<Item = i64>| {
        let mut per: BTreeMap<u32, u64> = BTreeMap::new();
        for s in seconds.filter(|s| *s >= 0) {
            *per.entry(minutes(s)).or_default() += 1;
        }
        out.extend(per.into_iter().map(|(m, n)| Figure { section: section.into(), item: m.to_string(), count: n }));
    };
    let of_day: Vec<&Visit> = visits.iter().filter(|v| v.day == day).collect();
    spread(WAIT, &mut of_day.iter().filter_map(|v| v.wait_s));
    spread(SERVICE, &mut of_day.iter().filter(|v| v.status == Status::Done).filter_map(|v| v.service_s));
    out
}

/// What the network's database gives back for a span: per site, its figures summed over
/// the span; the visits per site and month; the visits per day across sites (short spans).
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    pub figures: Vec<(String, Figure)>,
    pub months: Vec<(String, String, u64)>,
    pub days: Vec<(String, u64)>,
}

/// The report across sites: the whole network's, each site's, and visits per site.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NetworkReport {
    pub all: Report,
    pub per_site: Counts,
    pub sites: Vec<(String, Report)>,
}

/// Counts largest first, then by name (as the site's report orders them).
fn ranked(map: BTreeMap<String, u64>) -> Counts {
    let mut v: Vec<(String, u64)> = map.into_iter().filter(|(_, n)| *n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Counts(v)
}

/// Median and p90 by nearest rank over counts per minute.
fn spread_of(per_minute: &BTreeMap<u32, u64>) -> Spread {
    let count: u64 = per_minute.values().sum();
    let at = |q: f64| -> Option<u32> {
        let rank = ((q * count as f64).ceil() as u64).clamp(1, count.max(1));
        let mut seen = 0;
        per_minute
            .iter()
            .find(|(_, n)| {
                seen += **n;
                seen >= rank
            })
            .map(|(m, _)| *m)
    };
    if count == 0 {
        return Spread::default();
    }
    Spread { count, median_min: at(0.5), p90_min: at(0.9) }
}

/// A report from summed figures; `months` and `days` give its visits in time.
fn report_of(
    from: NaiveDate,
    to: NaiveDate,
    figures: &[&Figure],
    months: &BTreeMap<String, u64>,
    days: &[(String, u64)],
) -> Report {
    let mut r = Report { from, to, ..Report::default() };
    let mut sections: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let (mut waits, mut services) = (BTreeMap::new(), BTreeMap::new());
    for f in figures {
        match f.section.as_str() {
            WAIT | SERVICE => {
                let Ok(m) = f.item.parse::<u32>() else { continue };
                let into = if f.section == WAIT { &mut waits } else { &mut services };
                *into.entry(m).or_insert(0) += f.count;
            }
            "hour" => {
                if let Ok(h) = f.item.trim_end_matches('h').parse::<usize>() {
                    r.busy_hours[h.min(23)] += f.count;
                }
            }
            section => *sections.entry(section).or_default().entry(f.item.clone()).or_default() += f.count,
        }
    }
    let mut take = |s: &str| sections.remove(s).unwrap_or_default();
    let totals = take("total");
    let total = |k: &str| totals.get(k).copied().unwrap_or(0);
    (r.tickets, r.visits, r.no_shows) = (total("tickets"), total("visits"), total("no_show"));
    (r.cancelled, r.not_seen, r.with_priority) = (total("cancelled"), total("not_seen"), total("with_priority"));
    r.themes = ranked(take("theme"));
    r.operators = ranked(take("operator"));
    r.outcomes = ranked(take("outcome"));
    r.redirected_to = ranked(take("redirected_to"));
    r.autonomy = ranked(take("autonomy"));
    r.languages = ranked(take("language"));
    r.first_visit = ranked(take("first_visit"));
    r.wait = spread_of(&waits);
    r.service = spread_of(&services);
    r.per_month = Counts(months.iter().filter(|(_, n)| **n > 0).map(|(m, n)| (m.clone(), *n)).collect());
    let mut weeks: BTreeMap<String, u64> = BTreeMap::new();
    for (day, n) in days.iter().filter(|(_, n)| *n > 0) {
        r.per_day.0.push((day.clone(), *n));
        if let Ok(d) = day.parse::<NaiveDate>() {
            let iso = d.iso_week();
            *weeks.entry(format!("{}-W{:02}", iso.year(), iso.week())).or_default() += n;
        }
    }
    r.per_week = Counts(weeks.into_iter().collect());
    r
}

/// The network's report on `from..=to` from what its database gave back.
pub fn build(from: NaiveDate, to: NaiveDate, g: &Gathered) -> NetworkReport {
    let mut per_site: BTreeMap<&str, Vec<&Figure>> = BTreeMap::new();
    for (site, f) in &g.figures {
        per_site.entry(site.as_str()).or_default().push(f);
    }
    let mut months_of: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let mut all_months: BTreeMap<String, u64> = BTreeMap::new();
    for (site, month, n) in &g.months {
        *months_of.entry(site.as_str()).or_default().entry(month.clone()).or_default() += n;
        *all_months.entry(month.clone()).or_default() += n;
    }
    let all_figures: Vec<&Figure> = g.figures.iter().map(|(_, f)| f).collect();
    let sites: Vec<(String, Report)> = per_site
        .iter()
        .map(|(site, figures)| {
            let months = months_of.remove(site).unwrap_or_default();
            (site.to_string(), report_of(from, to, figures, &months, &[]))
        })
        .collect();
    let per_site = ranked(sites.iter().map(|(s, r)| (s.clone(), r.visits)).collect());
    NetworkReport { all: report_of(from, to, &all_figures, &all_months, &g.days), per_site, sites }
}

#[cfg(test)]
#[path = "network_tests.rs"]
mod tests;
