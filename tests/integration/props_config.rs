//! Property tests of `guichet.toml`: the example file, edited line by line as a technician
//! (or a broken editor) might, is read without a panic; a refusal names the file, a line
//! inside it and a fix; whatever is accepted satisfies every rule the reader checks.

use crate::props::{apply, cases, edit, key_lines, line_in, share, Edit};
use guichet::config::{Config, DETAILS_DAYS};
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("../../firmware-config/guichet.toml");

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(edit(key_lines(EXAMPLE)), 1..8)
}

/// The rules an accepted configuration must satisfy (what `Config::parse` promises).
fn holds(c: &Config) -> Result<(), String> {
    let d = c.display;
    let i = c.idle;
    let rules = [
        ([0, 90, 180, 270].contains(&d.rotation), "rotation is a quarter turn"),
        (d.width_px > 0 && d.height_px > 0, "the display has pixels"),
        (d.width_mm > 10.0 && d.height_mm > 10.0, "the display is larger than 10 mm"),
        (d.px_per_mm().is_finite() && d.px_per_mm() > 0.0, "pixels per mm is a number"),
        (i.warning_s >= 20, "the warning lasts 20 s or more"),
        (i.timeout_s > i.warning_s && i.ticket_s > i.warning_s, "the timeouts outlast the warning"),
        (DETAILS_DAYS.contains(&c.retention.details_days), "details_days in range"),
        (c.console.public_url.starts_with("http://") || c.console.public_url.starts_with("https://"), "public_url"),
        (!(c.console.serves_https() && c.console.public_url.starts_with("http://")), "https served, http told"),
        (c.console.bind.parse::<std::net::SocketAddr>().is_ok(), "bind is an address and port"),
        (c.console.desks.iter().all(|d| !d.trim().is_empty() && !d.chars().any(char::is_control)), "desks"),
        ((50..=5000).contains(&c.printer.status_timeout_ms), "status_timeout_ms in range"),
        ([58, 80].contains(&c.printer.paper_mm), "paper_mm is a roll width"),
    ];
    match rules.iter().find(|(ok, _)| !ok) {
        Some((_, rule)) => Err(format!("accepted, but broken: {rule}")),
        None => Ok(()),
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn an_edited_config_is_read_or_refused_with_its_line_and_fix(edits in edits()) {
        let text = apply(EXAMPLE, &edits);
        match Config::parse(&text, "/etc/guichet/guichet.toml") {
            Ok(config) => prop_assert!(holds(&config).is_ok(), "{:?}\n{text}", holds(&config)),
            Err(e) => {
                prop_assert_eq!(e.file.as_str(), "/etc/guichet/guichet.toml");
                prop_assert!(line_in(&text, e.line), "line {} of {} lines: {e}", e.line, text.lines().count());
                prop_assert!(!e.problem.trim().is_empty() && !e.fix.trim().is_empty(), "{e}");
            }
        }
    }

    /// Any text at all (not only near-valid files): no panic, and the same answer twice.
    #[test]
    fn any_text_is_read_or_refused_without_a_panic(text in "[\\PC\n\t\r\"=\\[\\]#.]{0,200}") {
        let first = Config::parse(&text, "g.toml").map(|c| format!("{c:?}")).map_err(|e| e.to_string());
        let again = Config::parse(&text, "g.toml").map(|c| format!("{c:?}")).map_err(|e| e.to_string());
        prop_assert_eq!(first, again);
    }
}

#[test]
fn the_edits_reach_past_the_first_refusal() {
    let accepted = share(edits(), 400, |e| Config::parse(&apply(EXAMPLE, &e), "g.toml").is_ok());
    assert!((40..=360).contains(&accepted), "{accepted} of 400 edited files accepted");
}
