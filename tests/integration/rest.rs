//! The kiosk at rest hands back the clean pages it maps (guichet::kiosk::rest): here in
//! this very process, whose other tests keep running code on other threads meanwhile;
//! the real kiosk doing it on its own after the attract screen stays still is checked in
//! window.rs, before the visit that follows.

use guichet::kiosk::rest::{clean_mappings, hand_back};

/// Resident KiB of the executable's code mappings of a process.
pub fn code_rss_kib(pid: u32) -> u64 {
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
    let exe = exe.to_string_lossy().into_owned();
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut ours = false;
    let mut total = 0;
    for line in smaps.lines() {
        let mut parts = line.split_whitespace();
        let first = parts.next().unwrap_or("");
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let perms = parts.next().unwrap_or("");
            ours = perms.contains('x') && line.trim_end().ends_with(exe.as_str());
        } else if let (true, Some(kib)) = (ours, line.strip_prefix("Rss:")) {
            total += kib.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap_or(0);
        }
    }
    total
}

#[test]
fn a_rest_unmaps_the_clean_pages_and_the_program_runs_on() {
    let me = std::process::id();
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let clean: u64 = clean_mappings(&smaps).iter().map(|c| c.rss_kib).sum();
    let code_before = code_rss_kib(me);
    assert!(code_before > 1024, "this test binary maps {code_before} KiB of code");
    let rested = hand_back();
    assert!(rested.mappings > 0 && rested.kib > 0, "{rested:?}, clean before: {clean} KiB");
    let code_after = code_rss_kib(me);
    assert!(code_after * 2 < code_before, "code resident {code_before} KiB before a rest, {code_after} KiB after");
    // The process runs on: code, read-only data, relocated tables (vtables, formatting).
    let words: Vec<String> = (0..2000).map(|i| format!("{i:>5}-{}", i * 7 % 13)).collect();
    let catalogue = guichet::assets::load_catalogue(None).expect("the built-in catalogue after a rest");
    assert!(!catalogue.themes.is_empty() && words.len() == 2000);
    let again = hand_back();
    assert!(again.mappings > 0, "a second rest finds the pages mapped again");
}
