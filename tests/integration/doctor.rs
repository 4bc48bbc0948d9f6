//! `guichet doctor` and `guichet backup` as a technician runs them: the real binary.

use std::process::Command;

fn guichet(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guichet")).arg("--data-dir").arg(data).args(args).output().unwrap()
}

#[test]
fn doctor_reports_each_part_and_fails_on_a_bad_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = guichet(dir.path(), &["doctor", "--quiet"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for part in ["version", "config", "data", "disk", "database", "clock", "display", "touch", "speech", "printer"] {
        assert!(text.lines().any(|l| l.split_whitespace().nth(1) == Some(part)), "no {part} line:\n{text}");
    }
    assert!(text.contains("PASS  database") && text.contains("integrity ok"), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    assert!(out.status.success(), "{text}");

    // --json: one object per line of the report.
    let out = guichet(dir.path(), &["doctor", "--quiet", "--json"]);
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let parts: Vec<&str> = lines.as_array().unwrap().iter().map(|l| l["part"].as_str().unwrap()).collect();
    assert!(parts.contains(&"clock") && parts.contains(&"console"), "{parts:?}");

    // A mistake in the config is a FAIL line naming file and line, and exit status 1.
    std::fs::write(dir.path().join("guichet.toml"), "[idle]\nwarning_s = 5\n").unwrap();
    let out = guichet(dir.path(), &["doctor", "--quiet"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL  config") && text.contains("guichet.toml:2"), "{text}");
    assert!(!out.status.success());
}

#[test]
fn backup_copies_the_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let shot = dir.path().join("ticket.png");
    let out = guichet(&data, &["screenshot", "--screen", "ticket", "--out", shot.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let copy = dir.path().join("usb/guichet-copy.sqlite");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    let out = guichet(&data, &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let tickets: i64 = conn.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0)).unwrap();
    assert_eq!(tickets, 1);
    // The copy is a whole database: doctor accepts it as a data directory.
    let restored = dir.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(&copy, restored.join("guichet.sqlite")).unwrap();
    let out = guichet(&restored, &["doctor", "--quiet"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("integrity ok"));
}
