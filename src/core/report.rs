//! The activity report: anonymous figures over a span of service days, for the people who
//! fund and run the help point. Built from one line per ticket (no name, no number, no
//! token) and, for the days whose visitor-level details were purged, from the counts kept
//! in their place. No IO: the store reads the lines, the console and the CLI show them.

use super::catalogue::Catalogue;
use super::lang::Lang;
use super::outcome::partner_of;
use super::queue::Status;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One ticket, as the report sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub day: NaiveDate,
    /// Local hour the ticket was taken (0–23).
    pub hour: u8,
    /// The theme's name, the organisation in charge of the procedure (a national partner's
    /// name when it is one of theirs).
    pub theme: String,
    pub operator: String,
    pub status: Status,
    pub outcome: Option<String>,
    pub redirect_to: Option<String>,
    pub autonomy: Option<String>,
    /// `None` once purged.
    pub details: Option<Details>,
    pub first_visit: Option<bool>,
    /// From the ticket to its first call, and from the start of the service to its end.
    pub wait_s: Option<i64>,
    pub service_s: Option<i64>,
}

/// What a visitor said about themselves, purged after the retention period.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub lang: Lang,
    /// The priority reason, if any (health data).
    pub priority: Option<String>,
}

/// What the purge leaves of the details: how many visits of a day had each value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub day: NaiveDate,
    pub kind: KeptKind,
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptKind {
    /// A language code.
    Language,
    /// A priority reason, or "" for none.
    Priority,
}

impl KeptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeptKind::Language => "lang",
            KeptKind::Priority => "priority",
        }
    }
    pub fn parse(s: &str) -> Option<KeptKind> {
        [KeptKind::Language, KeptKind::Priority].into_iter().find(|k| k.as_str() == s)
    }
}

/// A count per value, largest first (then by name), as shown and exported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts(pub Vec<(String, u64)>);

impl Counts {
    fn from_map(map: BTreeMap<String, u64>) -> Counts {
        let mut v = Counts::in_order(map);
        v.0.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
    /// In the values' own order (days, weeks and months: in time).
    fn in_order(map: BTreeMap<String, u64>) -> Counts {
        Counts(map.into_iter().filter(|(_, n)| *n > 0).collect())
    }
    pub fn total(&self) -> u64 {
        self.0.iter().map(|(_, n)| n).sum()
    }
}

/// Median and 90th percentile, in minutes (rounded), over the visits that have the time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Spread {
    pub count: u64,
    pub median_min: Option<u32>,
    pub p90_min: Option<u32>,
}

impl Spread {
    fn of(mut seconds: Vec<i64>) -> Spread {
        seconds.retain(|s| *s >= 0);
        seconds.sort_unstable();
        let at = |q: f64| -> Option<u32> {
            // Nearest rank: the smallest value with at least q of the values at or under it.
            let n = seconds.len();
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n.max(1));
            seconds.get(rank - 1).map(|s| ((*s as f64) / 60.0).round() as u32)
        };
        Spread { count: seconds.len() as u64, median_min: at(0.5), p90_min: at(0.9) }
    }
}

/// A day as "2026-12-03".
fn as_text<S: serde::Serializer>(day: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(day)
}

/// Everything the report says about a span of days.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    #[serde(serialize_with = "as_text")]
    pub from: NaiveDate,
    #[serde(serialize_with = "as_text")]
    pub to: NaiveDate,
    /// Tickets taken at the kiosk.
    pub tickets: u64,
    /// Tickets seen by staff to the end.
    pub visits: u64,
    pub no_shows: u64,
    pub cancelled: u64,
    pub not_seen: u64,
    /// Visits per day ("2026-12-03"), ISO week ("2026-W49") and month ("2026-12").
    pub per_day: Counts,
    pub per_week: Counts,
    pub per_month: Counts,
    pub themes: Counts,
    pub operators: Counts,
    pub outcomes: Counts,
    pub redirected_to: Counts,
    pub autonomy: Counts,
    /// Over every ticket (purged days from their kept counts).
    pub languages: Counts,
    pub priority_reasons: Counts,
    pub with_priority: u64,
    /// Visits whose first-visit answer staff gave: yes, no.
    pub first_visit: Counts,
    pub wait: Spread,
    pub service: Spread,
    /// Tickets per local hour of the day, 0–23.
    pub busy_hours: [u64; 24],
}

/// Names the visits' themes and organisations from the catalogue: the store keeps ids
/// (`theme`, and the procedure's id in `operator`). An organisation that belongs to a
/// national partner counts as that partner; one the catalogue no longer has keeps its id.
pub fn name_from(visits: &mut [Visit], catalogue: &Catalogue) {
    let mut operators: HashMap<String, String> = HashMap::new();
    let mut themes: HashMap<String, String> = HashMap::new();
    for v in visits.iter_mut() {
        let theme = themes.entry(std::mem::take(&mut v.theme)).or_insert_with_key(|id| {
            catalogue.themes.iter().find(|t| &t.id == id).map_or_else(|| id.clone(), |t| t.title.clone())
        });
        v.theme.clone_from(theme);
        let operator = operators.entry(std::mem::take(&mut v.operator)).or_insert_with_key(|id| {
            catalogue.find_procedure(id).map_or_else(
                || id.clone(),
                |(_, p)| partner_of(&p.operator).map_or_else(|| p.operator.clone(), String::from),
            )
        });
        v.operator.clone_from(operator);
    }
}

/// Counts per section ("theme", "language", …) and value.
#[derive(Default)]
struct Tally(BTreeMap<&'static str, BTreeMap<String, u64>>);

impl Tally {
    fn add(&mut self, section: &'static str, value: &str, n: u64) {
        *self.0.entry(section).or_default().entry(value.to_string()).or_default() += n;
    }
    fn take(&mut self, section: &str) -> Counts {
        Counts::from_map(self.0.remove(section).unwrap_or_default())
    }
    fn take_in_order(&mut self, section: &str) -> Counts {
        Counts::in_order(self.0.remove(section).unwrap_or_default())
    }
}

/// The report on `visits` and `kept` whose day lies in `from..=to`.
pub fn build(from: NaiveDate, to: NaiveDate, visits: &[Visit], kept: &[Kept]) -> Report {
    let mut r = Report { from, to, ..Report::default() };
    let mut t = Tally::default();
    let mut waits = Vec::new();
    let mut services = Vec::new();
    let within = |d: NaiveDate| d >= from && d <= to;
    for v in visits.iter().filter(|v| within(v.day)) {
        r.tickets += 1;
        r.busy_hours[usize::from(v.hour.min(23))] += 1;
        match v.status {
            Status::Done => r.visits += 1,
            Status::NoShow => r.no_shows += 1,
            Status::Cancelled => r.cancelled += 1,
            Status::NotSeen => r.not_seen += 1,
            Status::Waiting | Status::Called | Status::InService => {}
        }
        if let Some(d) = &v.details {
            t.add("language", d.lang.code(), 1);
            t.add("priority", d.priority.as_deref().unwrap_or(""), 1);
        }
        waits.extend(v.wait_s);
        if v.status != Status::Done {
            continue;
        }
        let iso = v.day.iso_week();
        t.add("day", &v.day.to_string(), 1);
        t.add("week", &format!("{}-W{:02}", iso.year(), iso.week()), 1);
        t.add("month", &v.day.format("%Y-%m").to_string(), 1);
        t.add("theme", &v.theme, 1);
        t.add("operator", &v.operator, 1);
        t.add("outcome", v.outcome.as_deref().unwrap_or("unknown"), 1);
        if let Some(to) = &v.redirect_to {
            t.add("redirected_to", to, 1);
        }
        t.add("autonomy", v.autonomy.as_deref().unwrap_or("unknown"), 1);
        if let Some(f) = v.first_visit {
            t.add("first_visit", if f { "yes" } else { "no" }, 1);
        }
        services.extend(v.service_s);
    }
    for k in kept.iter().filter(|k| within(k.day)) {
        let section = match k.kind {
            KeptKind::Language => "language",
            KeptKind::Priority => "priority",
        };
        t.add(section, &k.value, k.count);
    }
    let mut reasons = t.take("priority");
    reasons.0.retain(|(reason, _)| !reason.is_empty());
    r.with_priority = reasons.total();
    r.priority_reasons = reasons;
    r.per_day = t.take_in_order("day");
    r.per_week = t.take_in_order("week");
    r.per_month = t.take_in_order("month");
    r.themes = t.take("theme");
    r.operators = t.take("operator");
    r.outcomes = t.take("outcome");
    r.redirected_to = t.take("redirected_to");
    r.autonomy = t.take("autonomy");
    r.languages = t.take("language");
    r.first_visit = t.take("first_visit");
    r.wait = Spread::of(waits);
    r.service = Spread::of(services);
    r
}

impl Report {
    /// Every figure as (section, item, count) lines: the CSV export and the tables under
    /// the charts. Items are machine values (codes); the views name them.
    pub fn lines(&self) -> Vec<(&'static str, String, u64)> {
        let mut out: Vec<(&'static str, String, u64)> = vec![
            ("total", "tickets".into(), self.tickets),
            ("total", "visits".into(), self.visits),
            ("total", "no_show".into(), self.no_shows),
            ("total", "cancelled".into(), self.cancelled),
            ("total", "not_seen".into(), self.not_seen),
            ("total", "with_priority".into(), self.with_priority),
        ];
        let sections: [(&'static str, &Counts); 11] = [
            ("day", &self.per_day),
            ("week", &self.per_week),
            ("month", &self.per_month),
            ("theme", &self.themes),
            ("operator", &self.operators),
            ("outcome", &self.outcomes),
            ("redirected_to", &self.redirected_to),
            ("autonomy", &self.autonomy),
            ("language", &self.languages),
            ("priority_reason", &self.priority_reasons),
            ("first_visit", &self.first_visit),
        ];
        for (section, counts) in sections {
            out.extend(counts.0.iter().map(|(k, n)| (section, k.clone(), *n)));
        }
        for (section, s) in [("wait_minutes", self.wait), ("service_minutes", self.service)] {
            out.push((section, "count".into(), s.count));
            out.extend(s.median_min.map(|m| (section, "median".into(), u64::from(m))));
            out.extend(s.p90_min.map(|m| (section, "p90".into(), u64::from(m))));
        }
        out.extend(self.busy_hours.iter().enumerate().map(|(h, n)| ("hour", format!("{h:02}h"), *n)));
        out
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
