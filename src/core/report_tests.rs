use super::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
}

fn done(d: u32, theme: &str, wait_min: i64, service_min: i64) -> Visit {
    Visit {
        day: day(d),
        hour: 9,
        theme: theme.into(),
        operator: "France Travail".into(),
        status: Status::Done,
        outcome: Some("done".into()),
        redirect_to: None,
        autonomy: Some("with_them".into()),
        details: Some(Details { lang: Lang::Fr, priority: None }),
        first_visit: Some(true),
        wait_s: Some(wait_min * 60),
        service_s: Some(service_min * 60),
    }
}

fn count(c: &Counts, key: &str) -> u64 {
    c.0.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n)
}

#[test]
fn visits_are_counted_per_day_week_and_month_in_time_order() {
    // 2026-11-30 is a Monday (week 49), the 29th a Sunday (week 48).
    let visits = vec![done(30, "Travail", 5, 10), done(29, "Travail", 5, 10), done(2, "Santé", 5, 10)];
    let r = build(day(1), day(30), &visits, &[]);
    assert_eq!(r.visits, 3);
    let days: Vec<&str> = r.per_day.0.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(days, ["2026-11-02", "2026-11-29", "2026-11-30"]);
    assert_eq!(count(&r.per_week, "2026-W48"), 1);
    assert_eq!(count(&r.per_week, "2026-W49"), 1);
    assert_eq!(count(&r.per_month, "2026-11"), 3);
    // Largest first elsewhere.
    assert_eq!(r.themes.0[0], ("Travail".to_string(), 2));
}

#[test]
fn only_the_days_asked_for_count() {
    let visits = vec![done(1, "A", 1, 1), done(2, "A", 1, 1), done(3, "A", 1, 1)];
    let kept = [Kept { day: day(1), kind: KeptKind::Language, value: "ar".into(), count: 4 }];
    let r = build(day(2), day(3), &visits, &kept);
    assert_eq!((r.tickets, r.visits), (2, 2));
    assert_eq!(count(&r.languages, "ar"), 0);
}

#[test]
fn no_shows_and_unfinished_tickets_are_tickets_not_visits() {
    let mut absent = done(1, "A", 3, 0);
    absent.status = Status::NoShow;
    absent.service_s = None;
    let mut waiting = done(1, "A", 0, 0);
    waiting.status = Status::Waiting;
    waiting.wait_s = None;
    let r = build(day(1), day(1), &[absent, waiting, done(1, "A", 1, 1)], &[]);
    assert_eq!((r.tickets, r.visits, r.no_shows), (3, 1, 1));
    assert_eq!(r.themes.total(), 1);
    // The absent visitor did wait: their wait counts.
    assert_eq!(r.wait.count, 2);
    assert_eq!(r.service.count, 1);
}

#[test]
fn median_and_p90_use_the_nearest_rank() {
    // Waits of 1..=10 minutes: median 5, p90 9 (nearest rank), over 10 visits.
    let visits: Vec<Visit> = (1..=10).map(|m| done(1, "A", m, 2 * m)).collect();
    let r = build(day(1), day(1), &visits, &[]);
    assert_eq!(r.wait, Spread { count: 10, median_min: Some(5), p90_min: Some(9) });
    assert_eq!(r.service, Spread { count: 10, median_min: Some(10), p90_min: Some(18) });
    let none = build(day(1), day(1), &[], &[]);
    assert_eq!(none.wait, Spread { count: 0, median_min: None, p90_min: None });
}

#[test]
fn purged_days_still_count_their_languages_and_priorities() {
    let mut purged = done(1, "A", 1, 1);
    purged.details = None;
    let mut priority = done(2, "A", 1, 1);
    priority.details = Some(Details { lang: Lang::Uk, priority: Some("disability".into()) });
    let kept = [
        Kept { day: day(1), kind: KeptKind::Language, value: "ar".into(), count: 1 },
        Kept { day: day(1), kind: KeptKind::Priority, value: "pregnancy".into(), count: 1 },
        Kept { day: day(1), kind: KeptKind::Priority, value: "".into(), count: 0 },
    ];
    let r = build(day(1), day(2), &[purged, priority], &kept);
    assert_eq!(count(&r.languages, "ar"), 1);
    assert_eq!(count(&r.languages, "uk"), 1);
    assert_eq!(r.with_priority, 2);
    assert_eq!(count(&r.priority_reasons, ""), 0, "no reason is not a reason");
    assert_eq!(r.languages.total(), 2);
}

#[test]
fn outcomes_redirections_autonomy_first_visits_and_hours() {
    let mut sent = done(1, "A", 1, 1);
    sent.outcome = Some("redirected".into());
    sent.redirect_to = Some("Caisse d'allocations familiales (CAF)".into());
    sent.autonomy = None;
    sent.first_visit = Some(false);
    sent.hour = 14;
    let mut unknown = done(1, "A", 1, 1);
    unknown.first_visit = None;
    let r = build(day(1), day(1), &[sent, unknown, done(1, "A", 1, 1)], &[]);
    assert_eq!(count(&r.outcomes, "redirected"), 1);
    assert_eq!(count(&r.redirected_to, "Caisse d'allocations familiales (CAF)"), 1);
    assert_eq!(count(&r.autonomy, "unknown"), 1);
    assert_eq!(count(&r.autonomy, "with_them"), 2);
    assert_eq!((count(&r.first_visit, "yes"), count(&r.first_visit, "no")), (1, 1));
    assert_eq!((r.busy_hours[9], r.busy_hours[14]), (2, 1));
}

#[test]
fn every_figure_has_a_line_for_the_export() {
    let r = build(day(1), day(1), &[done(1, "Santé", 4, 20)], &[]);
    let lines = r.lines();
    assert!(lines.contains(&("total", "visits".into(), 1)));
    assert!(lines.contains(&("theme", "Santé".into(), 1)));
    assert!(lines.contains(&("wait_minutes", "median".into(), 4)));
    assert!(lines.contains(&("hour", "09h".into(), 1)));
    assert_eq!(lines.iter().filter(|l| l.0 == "hour").count(), 24);
}
