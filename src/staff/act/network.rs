//! The network's figures in the console (`[network]`): the page `/rapport/reseau`, its CSV
//! and JSON, and what `guichet report --network` prints (the same [`read`] and [`csv`]).
//! Any member of staff may read them, as the site's report: anonymous counts only.
//!
//! The network's PostgreSQL is read by `network_link`: a network that does not answer
//! gets a page saying so (503); the other pages and the console's stop never wait for it.

use super::console::Console;
use super::extract::Staff;
pub use super::network_link::read;
use super::report::{cell, date_field, name};
use crate::core::catalogue::Catalogue;
use crate::core::network::NetworkReport;
use crate::staff::pages::network_view;
use crate::staff::pages::{self, Plain};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The longest span of a network report: ten years.
pub const MAX_DAYS: i64 = 3660;

/// The span asked for: by default this year up to yesterday; `None` when the end comes
/// before the start or the span is longer than [`MAX_DAYS`].
pub fn span(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let to = to.unwrap_or_else(|| today.pred_opt().unwrap_or(today));
    let from = from.unwrap_or_else(|| to.with_ordinal(1).unwrap_or(to));
    (from <= to && (to - from).num_days() < MAX_DAYS).then_some((from, to))
}

/// The network's report as CSV: `du;au;site;rubrique;élément;nombre`, the whole network
/// first ("Tout le réseau"), then each site (its yearly form's figures, its visits per month).
pub fn csv(r: &NetworkReport) -> String {
    let mut out = String::from("du;au;site;rubrique;élément;nombre\r\n");
    let (from, to) = (r.all.from.to_string(), r.all.to.to_string());
    let catalogue = Catalogue::default();
    let mut add = |site: &str, section: &str, item: String, count: u64| {
        let cells = [from.as_str(), to.as_str(), site, section, &item, &count.to_string()];
        out.push_str(&cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    };
    for (site, visits) in &r.per_site.0 {
        add("Tout le réseau", "Visites par site", site.clone(), *visits);
    }
    for (site, report) in
        std::iter::once(("Tout le réseau", &r.all)).chain(r.sites.iter().map(|(s, r)| (s.as_str(), r)))
    {
        for (section, item, count) in report.lines() {
            if section == "day" || section == "week" {
                continue;
            }
            let (section, item) = name(&catalogue, section, &item);
            add(site, section, item, count);
        }
    }
    out
}

/// The network's report as JSON, as `guichet report --network --format json` prints it.
pub fn json(r: &NetworkReport) -> serde_json::Result<String> {
    Ok(format!("{}\n", serde_json::to_string_pretty(r)?))
}

/// The form: the span and the site ("" or none: the whole network).
#[derive(Debug, Deserialize, Default)]
pub(crate) struct Ask {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    site: String,
}

async fn load(console: &Console, staff: &Staff, ask: &Ask) -> Result<NetworkReport, Response> {
    let Some(link) = console.network.clone() else {
        return Err(pages::plain(&staff.chrome(console), Plain::NotFound));
    };
    let page = |status: StatusCode, text: &str| {
        let body = network_view::problem(text, &ask.from, &ask.to);
        (status, pages::page(&staff.chrome(console), network_view::TITLE, false, body)).into_response()
    };
    let bad = |text: String| page(StatusCode::BAD_REQUEST, &text);
    let (from, to) = (date_field(&ask.from).map_err(bad)?, date_field(&ask.to).map_err(bad)?);
    let Some((from, to)) = span(from, to, console.clock.today()) else {
        return Err(page(StatusCode::BAD_REQUEST, network_view::BAD_SPAN));
    };
    link.read(from, to).await.map_err(|why| {
        eprintln!("console: the network's figures: {}", why.cause());
        page(StatusCode::SERVICE_UNAVAILABLE, &why.said(super::network_link::WAIT))
    })
}

pub(crate) async fn page(State(console): State<Console>, staff: Staff, Query(ask): Query<Ask>) -> Response {
    match load(&console, &staff, &ask).await {
        Ok(report) => {
            let body = network_view::body(&report, ask.site.trim(), &|s, v| name(&console.catalogue, s, v));
            pages::page(&staff.chrome(&console), network_view::TITLE, false, body).into_response()
        }
        Err(page) => page,
    }
}

pub(crate) async fn csv_export(State(console): State<Console>, staff: Staff, Query(ask): Query<Ask>) -> Response {
    match load(&console, &staff, &ask).await {
        Ok(r) => {
            exported(&console, &staff, "CSV", &r);
            let file = format!("attachment; filename=\"reseau-{}-{}.csv\"", r.all.from, r.all.to);
            let headers =
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)];
            (headers, csv(&r)).into_response()
        }
        Err(page) => page,
    }
}

pub(crate) async fn json_export(State(console): State<Console>, staff: Staff, Query(ask): Query<Ask>) -> Response {
    match load(&console, &staff, &ask).await {
        Ok(r) => {
            exported(&console, &staff, "JSON", &r);
            match json(&r) {
                Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
                Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
            }
        }
        Err(page) => page,
    }
}

/// An export leaves the console: the audit log says who took which span.
fn exported(console: &Console, staff: &Staff, format: &str, r: &NetworkReport) {
    staff.audit(console, "report-export", &format!("réseau, {format} {} → {}", r.all.from, r.all.to));
}
