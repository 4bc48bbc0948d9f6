//! The activity report: the page `/rapport` (charts, printable on A4), its CSV and JSON
//! exports, and what `guichet report` prints. Anonymous figures only; any staff member
//! may read them. The figures are `core::report`'s; the French words for its codes are
//! here, shared by the page and the CSV.

use super::console::Console;
use super::extract::Staff;
use crate::core::catalogue::Catalogue;
use crate::core::lang::Lang;
use crate::core::outcome::Autonomy;
use crate::core::report::{self, Report};
use crate::staff::pages;
use crate::staff::pages::labels;
use crate::staff::pages::report_view;
use crate::store::sql::Db;
use crate::store::{self, StoreError};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, TimeZone, Timelike};
use serde::Deserialize;

/// The longest span one report covers (a year, leap or not).
pub const MAX_DAYS: i64 = 366;

/// The report on the service days `from..=to`, read from `conn`.
pub fn gather(conn: &dyn Db, catalogue: &Catalogue, from: NaiveDate, to: NaiveDate) -> Result<Report, StoreError> {
    let mut visits = store::report_visits(conn, from, to, &local_hour)?;
    report::name_from(&mut visits, catalogue);
    let kept = store::report_kept(conn, from, to)?;
    Ok(report::build(from, to, &visits, &kept))
}

/// The local hour of a time in ms since the epoch.
pub(crate) fn local_hour(ms: i64) -> u8 {
    chrono::Local.timestamp_millis_opt(ms).single().map_or(0, |t| t.hour() as u8)
}

/// A span asked for: both ends given, in order, at most [`MAX_DAYS`] long.
pub fn check_span(from: NaiveDate, to: NaiveDate) -> Result<(), String> {
    if to < from {
        return Err(format!("the end ({to}) is before the start ({from}): swap them"));
    }
    let days = (to - from).num_days() + 1;
    if days > MAX_DAYS {
        return Err(format!("{days} days asked for: a report covers at most {MAX_DAYS} days; make several"));
    }
    Ok(())
}

/// The form's dates; an empty or missing one means this month so far.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct Span {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl Span {
    fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), String> {
        let month_start = today.with_day(1).unwrap_or(today);
        let from = date_field(&self.from)?.unwrap_or(month_start);
        let to = date_field(&self.to)?.unwrap_or(today);
        check_span(from, to).map_err(|_| format!("Choisissez un début avant la fin, sur {MAX_DAYS} jours au plus."))?;
        Ok((from, to))
    }
}

/// A date field of a form: empty is none; anything else must be a date.
pub(crate) fn date_field(text: &str) -> Result<Option<NaiveDate>, String> {
    match text.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| format!("« {s} » n'est pas une date (AAAA-MM-JJ)")),
    }
}

async fn load(console: &Console, staff: &Staff, span: &Span) -> Result<Report, Response> {
    let (from, to) = span.days(console.clock.today()).map_err(|problem| {
        let body = report_view::bad_span(&problem, console.network.is_some());
        (StatusCode::BAD_REQUEST, pages::page(&staff.chrome(console), report_view::TITLE, false, body)).into_response()
    })?;
    let catalogue = console.catalogue.clone();
    console
        .read(move |c| gather(c, &catalogue, from, to))
        .await
        .map_err(|e| console.unavailable(&staff.nonce, Some(&staff.session), e))
}

pub(crate) async fn page(State(console): State<Console>, staff: Staff, Query(span): Query<Span>) -> Response {
    match load(&console, &staff, &span).await {
        Ok(report) => {
            let body = report_view::body(&report, &|s, v| name(&console.catalogue, s, v), console.network.is_some());
            pages::page(&staff.chrome(&console), report_view::TITLE, false, body).into_response()
        }
        Err(page) => page,
    }
}

pub(crate) async fn csv_export(State(console): State<Console>, staff: Staff, Query(span): Query<Span>) -> Response {
    match load(&console, &staff, &span).await {
        Ok(report) => {
            exported(&console, &staff, "CSV", &report);
            let file = format!("attachment; filename=\"activite-{}-{}.csv\"", report.from, report.to);
            let headers =
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)];
            (headers, csv(&report, &console.catalogue)).into_response()
        }
        Err(page) => page,
    }
}

pub(crate) async fn json_export(State(console): State<Console>, staff: Staff, Query(span): Query<Span>) -> Response {
    match load(&console, &staff, &span).await {
        Ok(report) => {
            exported(&console, &staff, "JSON", &report);
            axum::Json(report).into_response()
        }
        Err(page) => page,
    }
}

/// An export leaves the console (a file, another program): the audit log says who took
/// which span.
fn exported(console: &Console, staff: &Staff, format: &str, report: &Report) {
    staff.audit(console, "report-export", &format!("{format} {} → {}", report.from, report.to));
}

/// The report as CSV: `du;au;rubrique;élément;nombre`, one line per figure, in French,
/// semicolon-separated as French spreadsheets expect, so that months paste one under
/// another.
pub fn csv(report: &Report, catalogue: &Catalogue) -> String {
    let mut out = String::from("du;au;rubrique;élément;nombre\r\n");
    let (from, to) = (report.from.to_string(), report.to.to_string());
    for (section, item, count) in report.lines() {
        let (section, item) = name(catalogue, section, &item);
        let cells = [from.as_str(), to.as_str(), section, &item, &count.to_string()];
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell: quoted when it holds a separator, a quote or a line break; a leading
/// `=`, `+`, `-` or `@` (a formula to a spreadsheet) is defused with an apostrophe.
pub(crate) fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A report line's section and item in French.
pub(crate) fn name(catalogue: &Catalogue, section: &str, item: &str) -> (&'static str, String) {
    let unknown = || "(non précisé)".to_string();
    match section {
        "total" => ("Total", total_name(item).to_string()),
        "day" => ("Visites par jour", item.to_string()),
        "week" => ("Visites par semaine", item.replace("-W", " semaine ")),
        "month" => ("Visites par mois", item.to_string()),
        "theme" => ("Thème", item.to_string()),
        "operator" => ("Organisme de la démarche", item.to_string()),
        "outcome" => ("Résultat", labels::outcome(item).map_or_else(unknown, String::from)),
        "redirected_to" => ("Orienté vers", item.to_string()),
        "autonomy" => {
            ("Qui a fait la démarche", Autonomy::parse(item).map_or_else(unknown, |a| labels::autonomy_label(a).into()))
        }
        "language" => (
            "Langue de la borne",
            Lang::from_code(item).map_or_else(|| item.to_string(), |l| labels::language_name(l).into()),
        ),
        "priority_reason" => ("Besoin prioritaire", labels::priority_name(catalogue, item).to_string()),
        "first_visit" => ("Première visite", if item == "yes" { "oui" } else { "non" }.into()),
        "wait_minutes" => ("Attente avant l'appel (minutes)", spread_name(item).into()),
        "service_minutes" => ("Durée de l'accompagnement (minutes)", spread_name(item).into()),
        "hour" => (
            "Tickets par heure",
            item.trim_end_matches('h').parse::<u32>().map_or_else(|_| item.to_string(), |h| format!("{h} h")),
        ),
        _ => ("Autre", item.to_string()),
    }
}

fn total_name(item: &str) -> &'static str {
    match item {
        "tickets" => "Tickets pris à la borne",
        "visits" => "Visites accompagnées jusqu'au bout",
        "no_show" => "Absents à l'appel",
        "cancelled" => "Annulés",
        "not_seen" => "Non reçus (fermés en fin de journée)",
        "with_priority" => "Avec un besoin prioritaire",
        _ => "Autre",
    }
}

fn spread_name(item: &str) -> &'static str {
    match item {
        "count" => "visites mesurées",
        "median" => "médiane",
        "p90" => "9 sur 10 en moins de (p90)",
        _ => "autre",
    }
}
