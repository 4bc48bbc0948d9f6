//! No clock battery and no network time: the kiosk starts with its clock in 1970 (the Pi
//! the next morning), visitors take tickets, then the clock is set right while it runs
//! (a jump of 56 years) and more visitors come. Their numbers never repeat within the
//! service day, the 1970 tickets are carried into the real day with their numbers
//! (docs/DATA.md, "When the clock is wrong"), `guichet doctor` says what is wrong, and the
//! console shows the kiosk's time.

use super::console::{self, Desk};
use super::steps::{unit, Kiosk};
use chrono::{Duration as Days, NaiveDate, Utc};
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

/// One row of the tickets table.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    number: String,
    day: String,
    status: String,
    issued_at: i64,
}

fn rows(k: &Kiosk) -> Vec<Row> {
    let query = "SELECT number, service_day, status, issued_at FROM tickets ORDER BY id";
    let (code, out, err) =
        k.m.run(&format!("sqlite3 -readonly -separator ' ' /var/lib/guichet/guichet.sqlite '{query}'"), MINUTE);
    assert_eq!(code, 0, "sqlite3: {err}");
    out.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let issued_at = f.get(3)?.parse().ok()?;
            Some(Row { number: f[0].into(), day: f[1].into(), status: f[2].into(), issued_at })
        })
        .collect()
}

fn row<'a>(rows: &'a [Row], number: &str, day: &str) -> &'a Row {
    let found = rows.iter().find(|r| r.number == number && r.day == day);
    found.unwrap_or_else(|| panic!("no {number} on {day}: {rows:#?}"))
}

/// Sets the guest's clock (UTC), nothing correcting it.
fn set_clock(k: &Kiosk, when: &str) {
    let (code, out, err) = k.m.run(&format!("timedatectl set-ntp false 2>/dev/null; date -u -s '{when}'"), MINUTE);
    assert_eq!(code, 0, "date -s {when}: {out}{err}");
}

/// `guichet doctor` inside the kiosk's sandbox (guichet-doctor.service): its clock and
/// time sync lines. Its journal is read from a cursor taken just before the run, not by
/// time (the clock jumps) nor by the unit's InvocationID (a finished oneshot unit may be
/// unloaded, and its ID then reads empty: that made this step flaky).
fn doctor_clock_lines(k: &Kiosk) -> (String, String) {
    let script = "c=$(journalctl -q -n 1 --show-cursor | sed -n 's/^-- cursor: //p'); \
                  systemctl start guichet-doctor.service; journalctl --sync; \
                  journalctl -q -o cat -u guichet-doctor.service --after-cursor=\"$c\"";
    let (_, out, err) = k.m.run(script, Duration::from_secs(180));
    let line = |part: &str| {
        let found =
            out.lines().map(str::trim).find(|l| l.get(4..).is_some_and(|rest| rest.trim_start().starts_with(part)));
        found.map(str::to_string).unwrap_or_else(|| {
            let status = k.m.run("systemctl status --no-pager guichet-doctor.service", MINUTE).1;
            panic!("doctor printed no {part:?} line:\n{out}\n{err}\n{status}")
        })
    };
    (line("clock"), line("time sync"))
}

/// The console's "État de la borne" shows the kiosk's own time (the guest's `date`, read
/// just before and after the page) and that no network set it.
fn console_shows_the_time(k: &Kiosk, desk: &Desk) {
    let date = || k.m.run("date +'%d/%m/%Y à %H:%M'", MINUTE).1.trim().to_string();
    let before = date();
    let page = desk.get("/borne");
    let after = date();
    assert!(page.contains("Heure de la borne"), "no time on /borne:\n{page}");
    let shown = [&before, &after].iter().any(|t| page.contains(&format!("Le {t}")));
    assert!(shown, "/borne does not show the kiosk's time ({before} .. {after}):\n{page}");
    assert!(page.contains("Pas réglée par le réseau"), "/borne does not say the clock is not synchronised:\n{page}");
}

pub fn wrong_then_set(k: &Kiosk) {
    let (_, today, _) = k.m.run("date -u +%F", MINUTE);
    let today: NaiveDate = today.trim().parse().expect("the guest's date");
    let next_morning = today + Days::days(1);
    let earlier = rows(k);

    // The next morning, the Pi starts with its clock in 1970.
    k.m.run("systemctl stop guichet", MINUTE);
    set_clock(k, "1970-01-02 08:00:00");
    k.m.run("systemctl start guichet", MINUTE * 2);
    k.wait_up();
    let restarts = unit(k.m, "guichet", "NRestarts");
    let (clock, sync) = doctor_clock_lines(k);
    assert!(clock.starts_with("FAIL") && clock.contains("1970") && clock.contains("before this build"), "{clock}");
    assert!(sync.starts_with("WARN") && sync.contains("not synchronised"), "{sync}");
    let desk = console::desk(k.m, &k.m.dir);
    console_shows_the_time(k, &desk);
    let late = [k.quick_visit(), k.quick_visit()];
    // Filed under the last day used (the service day never goes back), numbered after it.
    let rows_1970 = rows(k);
    let new: Vec<&Row> = rows_1970.iter().skip(earlier.len()).collect();
    let numbers: Vec<&str> = new.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(numbers, late.iter().map(String::as_str).collect::<Vec<_>>(), "the tickets shown are the ones saved");
    let last_day = new[0].day.clone();
    for r in &new {
        assert!(r.issued_at < 2 * 86_400_000, "{} not issued in 1970: {r:?}", r.number);
        assert_eq!(r.day, last_day, "{r:?}");
        assert!(!earlier.iter().any(|e| e.day == r.day && e.number == r.number), "{} given twice: {r:?}", r.number);
    }
    if let Some(e) = earlier.last() {
        assert_eq!(last_day, e.day, "the 1970 tickets are not filed under the last day used");
    }

    // The network (or a technician) sets the clock while the kiosk runs.
    set_clock(k, &format!("{next_morning} 08:30:00"));
    let on_time = k.quick_visit();
    let now = rows(k);
    let day = next_morning.to_string();
    for n in &late {
        let r = row(&now, n, &day);
        assert_eq!(r.status, "waiting", "{n}, taken before the clock was set, is not waiting today: {r:?}");
        assert!(r.issued_at > Utc::now().timestamp_millis() - 86_400_000 * 30, "{n}'s time did not move on: {r:?}");
    }
    let todays: Vec<&Row> = now.iter().filter(|r| r.day == day).collect();
    assert_eq!(todays.len(), 3, "today holds the two carried tickets and the new one: {todays:#?}");
    let seq = |n: &str| n.rsplit('-').next().and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    assert!(late.iter().all(|n| seq(&on_time) > seq(n)), "{on_time} is not numbered above the carried {late:?}");
    let mut numbers: Vec<&str> = todays.iter().map(|r| r.number.as_str()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), todays.len(), "a number given twice today: {todays:#?}");
    let left =
        now.iter().filter(|r| r.day == last_day && ["waiting", "called", "in_service"].contains(&r.status.as_str()));
    assert_eq!(left.count(), 0, "the day before still has open tickets: {now:#?}");
    assert_eq!(unit(k.m, "guichet", "NRestarts"), restarts, "the kiosk restarted when the clock jumped");
    let (clock, sync) = doctor_clock_lines(k);
    assert!(clock.starts_with("PASS"), "{clock}");
    assert!(sync.starts_with("WARN"), "{sync}");
    console_shows_the_time(k, &desk);

    // The clock back to the host's (the next boot takes it from the machine's RTC anyway).
    set_clock(k, &format!("@{}", Utc::now().timestamp()));
}
