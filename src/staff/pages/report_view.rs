//! The report page: the span form, the key figures, and one chart per breakdown, drawn
//! here as SVG (no script), each with its numbers written on it and said in its label.
//! Printed, it fits A4 portrait: the form and the header go, charts do not split. The
//! network's page (`network_view`) draws its sites with the same parts: the form, the key
//! figures, the charts.

use crate::core::report::{Counts, Report, Spread};
use maud::{html, Markup};

pub(crate) const TITLE: &str = "Rapport d'activité";

/// Names a report line (section, item) in French.
pub(crate) type Namer<'a> = dyn Fn(&str, &str) -> (&'static str, String) + 'a;

/// Chart geometry, in SVG units. The chart scales to its box: 320 units keep the 16-unit
/// text at 15 px or more from a phone to a desktop column; names wrap at 32 characters.
const WIDTH: f32 = 320.0;
const WRAP: usize = 32;
/// A line of a name, and the bar under the name.
const LINE: f32 = 20.0;
const BAR_ROW: f32 = 30.0;
const COLUMNS_HEIGHT: f32 = 190.0;
const INK: &str = "#0b2e59";

pub(crate) fn bad_span(problem: &str, network: bool) -> Markup {
    html! {
        h1 { (TITLE) }
        p.notice.problem role="alert" { (problem) }
        (span_form(super::paths::REPORT, "", "", html! {}))
        (network_link(network))
    }
}

/// The span's form (`extra`: more fields before the button), sent to `action`.
pub(crate) fn span_form(action: &str, from: &str, to: &str, extra: Markup) -> Markup {
    html! {
        form.line.no-print method="get" action=(action) {
            div { label for="from" { "Du" } input #from type="date" name="from" value=(from); }
            div { label for="to" { "Au" } input #to type="date" name="to" value=(to); }
            (extra)
            button type="submit" { "Afficher" }
        }
    }
}

/// With `[network]`: where the network's figures are.
fn network_link(network: bool) -> Markup {
    html! {
        @if network {
            p.no-print { a href=(super::paths::REPORT_NETWORK) { "Voir les chiffres de tous les sites du réseau" } }
        }
    }
}

/// `network`: the site sends its figures to a network (`[network]`): its page is linked.
pub(crate) fn body(r: &Report, name: &Namer<'_>, network: bool) -> Markup {
    let (from, to) = (r.from.to_string(), r.to.to_string());
    let query = format!("?from={from}&to={to}");
    html! {
        h1 { (TITLE) }
        (span_form(super::paths::REPORT, &from, &to, html! {}))
        p.no-print {
            a href={ (super::paths::REPORT_CSV) (query) } { "Télécharger le tableau (CSV, pour le tableur du réseau)" }
            " · " a href={ (super::paths::REPORT_JSON) (query) } { "JSON" }
            " · Pour l'imprimer : Ctrl + P."
        }
        (network_link(network))
        (dates(r))
        h2 { "En bref" }
        (summary(r))
        div.charts { (charts(r, name, period(r), true)) }
    }
}

/// The span in words, and what the figures are.
pub(crate) fn dates(r: &Report) -> Markup {
    html! {
        p { strong { "Du " (r.from.format("%d/%m/%Y")) " au " (r.to.format("%d/%m/%Y")) } ". Chiffres anonymes : aucun nom, aucun numéro de ticket." }
    }
}

/// The key figures.
pub(crate) fn summary(r: &Report) -> Markup {
    let share = |n: u64| (n * 100).checked_div(r.tickets).map_or_else(String::new, |p| format!(" ({p} %)"));
    html! {
        dl.summary {
            dt { "Tickets pris à la borne" } dd { (r.tickets) }
            dt { "Visites accompagnées jusqu'au bout" } dd { (r.visits) (share(r.visits)) }
            dt { "Absents à l'appel" } dd { (r.no_shows) (share(r.no_shows)) }
            dt { "Non reçus (fermés en fin de journée)" } dd { (r.not_seen) (share(r.not_seen)) }
            dt { "Avec un besoin prioritaire" } dd { (r.with_priority) (share(r.with_priority)) }
            dt { "Attente avant l'appel" } dd { (spread(&r.wait)) }
            dt { "Durée de l'accompagnement" } dd { (spread(&r.service)) }
        }
    }
}

/// The visits in time that suit the span: days for a month or two, weeks up to a
/// season, months beyond; with the chart's title.
pub(crate) fn period(r: &Report) -> (&Counts, &'static str) {
    match (r.to - r.from).num_days() + 1 {
        0..=62 => (&r.per_day, "Visites par jour"),
        63..=186 => (&r.per_week, "Visites par semaine"),
        _ => (&r.per_month, "Visites par mois"),
    }
}

/// One chart per breakdown (figures for a `div.charts`): the visits in time (`period`),
/// tickets per hour, then every breakdown; `reasons`: the priority reasons too (they
/// never leave the site).
pub(crate) fn charts(r: &Report, name: &Namer<'_>, period: (&Counts, &str), reasons: bool) -> Markup {
    let (per, per_title) = period;
    html! {
        (columns(per_title, &per.0, &|k: &str| short_period(k)))
        (columns("Tickets par heure", &busy_hours(r), &|k: &str| k.to_string()))
        (bars("Thèmes", &r.themes, "theme", name))
        (bars("Organisme de la démarche", &r.operators, "operator", name))
        (bars("Résultat", &r.outcomes, "outcome", name))
        (bars("Orienté vers", &r.redirected_to, "redirected_to", name))
        (bars("Qui a fait la démarche", &r.autonomy, "autonomy", name))
        (bars("Langue de la borne", &r.languages, "language", name))
        @if reasons {
            (bars("Besoin prioritaire (raison)", &r.priority_reasons, "priority_reason", name))
        }
        (bars("Première visite (quand l'agent l'a noté)", &r.first_visit, "first_visit", name))
    }
}

fn spread(s: &Spread) -> String {
    match (s.median_min, s.p90_min) {
        (Some(m), Some(p)) => {
            let visits = if s.count == 1 { "visite" } else { "visites" };
            format!("{m} min en médiane, 9 sur 10 en moins de {p} min (sur {} {visits})", s.count)
        }
        _ => "pas encore mesurée".to_string(),
    }
}

/// The hours the office is open (any hour with a ticket, and 8 h to 17 h).
fn busy_hours(r: &Report) -> Vec<(String, u64)> {
    let used = |h: usize| r.busy_hours[h] > 0 || (8..=17).contains(&h);
    let first = (0..24).find(|h| used(*h)).unwrap_or(8);
    let last = (0..24).rev().find(|h| used(*h)).unwrap_or(17);
    (first..=last).map(|h| (format!("{h} h"), r.busy_hours[h])).collect()
}

/// "2026-12-03" → "3/12", "2026-W49" → "s. 49", "2026-12" → "12/2026".
pub(crate) fn short_period(key: &str) -> String {
    let parts: Vec<&str> = key.split('-').collect();
    match parts.as_slice() {
        [_, m, d] => format!("{}/{}", d.trim_start_matches('0'), m),
        [_, w] if w.starts_with('W') => format!("s. {}", w.trim_start_matches('W')),
        [y, m] => format!("{m}/{y}"),
        _ => key.to_string(),
    }
}

/// The figure around a chart: its caption, and the chart's spoken label.
fn figure(title: &str, said: &str, chart: Markup) -> Markup {
    html! {
        figure.chart {
            figcaption { (title) }
            (chart)
            @if said.is_empty() { p { "Rien sur cette période." } }
            span.visually-hidden { (said) }
        }
    }
}

/// Horizontal bars, one per value, largest first: the name above its bar, the count
/// and the share after it.
pub(crate) fn bars(title: &str, counts: &Counts, section: &str, name: &Namer<'_>) -> Markup {
    let total = counts.total().max(1);
    let max = counts.0.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f32;
    let rows: Vec<(Vec<String>, u64)> = counts.0.iter().map(|(k, n)| (wrap(&name(section, k).1), *n)).collect();
    let said = rows.iter().map(|(k, n)| format!("{} : {n}", k.join(" "))).collect::<Vec<_>>().join(", ");
    // Each row: its name's lines, then the bar with its count.
    let tops: Vec<f32> = rows
        .iter()
        .scan(0.0, |y, (lines, _)| {
            let top = *y;
            *y += LINE * lines.len() as f32 + BAR_ROW;
            Some(top)
        })
        .collect();
    let height = rows.iter().map(|(lines, _)| LINE * lines.len() as f32 + BAR_ROW).sum::<f32>();
    let chart = html! {
        @if !rows.is_empty() {
            svg viewBox={ "0 0 " (WIDTH) " " (height) } width="100%" aria-hidden="true" focusable="false" {
                @for ((lines, n), top) in rows.iter().zip(&tops) {
                    @for (j, line) in lines.iter().enumerate() {
                        text x="0" y=(top + LINE * (j + 1) as f32 - 4.0) font-size="16" fill="#111" { (line) }
                    }
                    @let y = top + LINE * lines.len() as f32;
                    // Room after the longest bar for "1234 (100 %)".
                    @let w = (WIDTH - 130.0) * (*n as f32) / max;
                    rect x="0" y=(y + 2.0) width=(w.max(2.0)) height="16" fill=(INK) {}
                    text x=(w + 8.0) y=(y + 16.0) font-size="16" font-weight="bold" fill="#111" {
                        (n) " (" (n * 100 / total) " %)"
                    }
                }
            }
        }
    };
    figure(title, &said, chart)
}

/// A name cut into lines that fit the chart's width (SVG text does not wrap).
fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= WRAP => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Columns in time order (days, hours), the count over each column when there is room.
pub(crate) fn columns(title: &str, values: &[(String, u64)], short: &dyn Fn(&str) -> String) -> Markup {
    let max = values.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f32;
    let said = values.iter().map(|(k, n)| format!("{} : {n}", short(k))).collect::<Vec<_>>().join(", ");
    let n = values.len().max(1) as f32;
    let step = WIDTH / n;
    let plot = COLUMNS_HEIGHT - 50.0;
    // Labels on every column when they fit, else on one in `every`.
    let every = ((n * 40.0 / WIDTH).ceil() as usize).max(1);
    let chart = html! {
        @if values.iter().any(|(_, n)| *n > 0) {
            svg viewBox={ "0 0 " (WIDTH) " " (COLUMNS_HEIGHT) } width="100%" aria-hidden="true" focusable="false" {
                line x1="0" y1=(plot + 20.0) x2=(WIDTH) y2=(plot + 20.0) stroke="#111" stroke-width="1" {}
                @for (i, (key, count)) in values.iter().enumerate() {
                    @let h = plot * (*count as f32) / max;
                    @let x = step * i as f32;
                    @let mid = x + step / 2.0;
                    @let bar = (step * 0.7).min(40.0);
                    rect x=(mid - bar / 2.0) y=(plot + 20.0 - h) width=(bar) height=(h) fill=(INK) {}
                    @if i % every == 0 {
                        @if *count > 0 {
                            text x=(mid) y=(plot + 14.0 - h) font-size="15" font-weight="bold" text-anchor="middle" fill="#111" { (count) }
                        }
                        // Kept inside the chart: the first and last labels are not cut.
                        text x=(mid.clamp(20.0, WIDTH - 20.0)) y=(plot + 42.0) font-size="15" text-anchor="middle" fill="#111" { (short(key)) }
                    }
                }
            }
        }
    };
    figure(title, if values.iter().any(|(_, n)| *n > 0) { &said } else { "" }, chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_to_the_chart_and_short_ones_stay_whole() {
        let lines = wrap("Centre communal d'action sociale (CCAS) et Fonds de solidarité pour le logement (FSL)");
        assert!(lines.len() >= 3 && lines.iter().all(|l| l.chars().count() <= WRAP), "{lines:?}");
        assert_eq!(wrap("France Travail"), ["France Travail"]);
        assert_eq!(short_period("2026-12-03"), "3/12");
        assert_eq!(short_period("2026-W49"), "s. 49");
    }
}
