use super::*;
use crate::core::lang::Lang;
use crate::core::report::{Details, KeptKind};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
}

fn visit(d: u32, theme: &str, status: Status, wait_s: i64, service_s: i64) -> Visit {
    Visit {
        day: day(d),
        hour: 9 + (wait_s % 3) as u8,
        theme: theme.into(),
        operator: if wait_s % 2 == 0 { "CAF" } else { "France Travail" }.into(),
        status,
        outcome: Some("done".into()),
        redirect_to: (service_s > 900).then(|| "Mairie".to_string()),
        autonomy: Some("with_them".into()),
        details: Some(Details { lang: Lang::Fr, priority: (wait_s > 1000).then(|| "health".to_string()) }),
        first_visit: Some(wait_s % 5 == 0),
        wait_s: Some(wait_s),
        service_s: Some(service_s),
    }
}

/// Two sites' month of visits, with varied waits and outcomes.
fn month_of(seed: i64) -> Vec<Visit> {
    (1..=30)
        .flat_map(|d| {
            (0..(d as i64 % 7 + seed)).map(move |i| {
                let status = if i % 9 == 4 { Status::NoShow } else { Status::Done };
                let theme = ["Emploi", "Famille", "Santé"][(i % 3) as usize];
                visit(d, theme, status, (i * 137 + d as i64 * 31 + seed * 7) % 3000, (i * 211 + seed) % 2400)
            })
        })
        .collect()
}

fn sent(visits: &[Visit], kept: &[Kept]) -> Vec<Figure> {
    (1..=30).flat_map(|d| day_figures(day(d), visits, kept)).collect()
}

#[test]
fn a_sites_days_sent_and_summed_give_its_own_report_back() {
    let visits = month_of(3);
    let kept = [Kept { day: day(4), kind: KeptKind::Language, value: "ar".into(), count: 2 }];
    let own = report::build(day(1), day(30), &visits, &kept);
    let figures = sent(&visits, &kept);
    // Nothing about a visitor: no priority reason, only how many had one.
    assert!(figures.iter().all(|f| f.section != "priority_reason"), "health data stays on the site");
    let g = Gathered {
        figures: figures.into_iter().map(|f| ("Murat".to_string(), f)).collect(),
        months: vec![("Murat".into(), "2026-11".into(), own.visits)],
        days: own.per_day.0.clone(),
    };
    let net = build(day(1), day(30), &g);
    let mut back = net.all.clone();
    // The same report, but the priority reasons, which are not sent.
    back.priority_reasons = own.priority_reasons.clone();
    assert_eq!(back, own);
    assert_eq!(net.sites.len(), 1);
    assert_eq!(net.per_site.0, [("Murat".to_string(), own.visits)]);
}

#[test]
fn two_sites_add_up_and_their_spreads_are_the_spreads_of_all_their_visits() {
    let (a, b) = (month_of(2), month_of(5));
    let mut g = Gathered::default();
    for (site, visits) in [("A", &a), ("B", &b)] {
        g.figures.extend(sent(visits, &[]).into_iter().map(|f| (site.to_string(), f)));
        let visits_done = visits.iter().filter(|v| v.status == Status::Done).count() as u64;
        g.months.push((site.into(), "2026-11".into(), visits_done));
    }
    let net = build(day(1), day(30), &g);
    let both: Vec<Visit> = a.iter().chain(&b).cloned().collect();
    let whole = report::build(day(1), day(30), &both, &[]);
    assert_eq!((net.all.tickets, net.all.visits, net.all.no_shows), (whole.tickets, whole.visits, whole.no_shows));
    assert_eq!(net.all.wait, whole.wait);
    assert_eq!(net.all.service, whole.service);
    assert_eq!(net.all.themes, whole.themes);
    assert_eq!(net.all.operators, whole.operators);
    assert_eq!(net.all.busy_hours, whole.busy_hours);
    assert_eq!(net.all.per_month.0, [("2026-11".to_string(), whole.visits)]);
    let names: Vec<&str> = net.sites.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names, ["A", "B"]);
    assert_eq!(net.sites[0].1.visits + net.sites[1].1.visits, whole.visits);
}

#[test]
fn a_day_without_visits_sends_nothing() {
    assert!(day_figures(day(3), &month_of(0)[..0], &[]).is_empty());
}
