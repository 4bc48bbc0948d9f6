//! Config parsing: every mistake names its line and the fix.

use super::*;
use crate::hardware::escpos::{Layout, Paper, QrMode};

#[test]
fn example_config_parses() {
    let text = include_str!("../../firmware-config/guichet.toml");
    let c = Config::parse(text, "guichet.toml").unwrap();
    assert!(c.display.px_per_mm() > 3.0);
    assert!(c.display_given);
    assert!(!Config::parse("site_name = \"x\"\n", "g.toml").unwrap().display_given);
    let e = Config::parse("[display]\nrotation = 45\n", "g.toml").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(e.fix.contains("90"), "{e}");
}

#[test]
fn mistakes_name_line_and_fix() {
    let e = Config::parse("site_name = \"x\"\n[idle]\nwarning_s = 5\n", "g.toml").unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("g.toml", 3));
    assert!(e.fix.contains("20"));
    let e = Config::parse("[printer]\nkind = \"laser\"\n", "g.toml").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    let e = Config::parse("[console]\nbnd = \"x\"\n", "g.toml").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(e.problem.contains("bnd"), "{e}");
    let e = Config::parse("[printer]\nkind = \"usb\"\n", "g.toml").unwrap_err();
    assert!(e.fix.contains("/dev/usb/lp0"));
}

#[test]
fn printer_mistakes_name_line_and_fix() {
    let at = |text: &str| Config::parse(text, "g.toml").unwrap_err();
    let e = at("[printer]\nkind = \"tcp\"\n");
    assert_eq!(e.line, 2, "{e}");
    assert!(e.fix.contains("address = \"192.168.1.50:9100\""), "{e}");
    let e = at("[printer]\nkind = \"tcp\"\naddress = \"192.168.1.50\"\n");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.problem.contains("host:port"), "{e}");
    let e = at("[printer]\nkind = \"folder\"\n\npaper_mm = 57\n");
    assert_eq!(e.line, 4, "{e}");
    assert!(e.fix.contains("paper_mm = 58"), "{e}");
    let e = at("[printer]\nkind = \"serial\"\npath = \"/dev/ttyUSB0\"\nbaud = 9601\n");
    assert_eq!(e.line, 4, "{e}");
    assert!(e.fix.contains("baud = 9600"), "{e}");
    let e = at("[printer]\nqr = \"image\"\n");
    assert_eq!(e.line, 2, "{e}");
    let e = at("[printer]\nstatus_timeout_ms = 60000\n");
    assert!(e.fix.contains("500"), "{e}");
    let e = at("[printer]\nkind = \"usb\"\npath = \"/dev/usb/lp0\"\naddress = \"10.0.0.1:9100\"\n");
    assert_eq!(e.line, 4, "{e}");
    let ok = Config::parse(
        "[printer]\nkind = \"tcp\"\naddress = \"printer.lan:9100\"\npaper_mm = 58\nqr = \"raster\"\n",
        "g",
    );
    let p = ok.map(|c| c.printer).unwrap();
    assert_eq!(p.layout(), Layout { paper: Paper::Mm58, qr: QrMode::Raster });
}

#[test]
fn led_presence_and_speech_output_parse_and_a_shared_pin_is_named() {
    let c = Config::parse(
        "[keys]\nnext = 17\n[led]\nready = 5\nfault = 6\n[presence]\npin = 4\nquiet_s = 30\n[speech]\noutput = \"jack\"\n",
        "g.toml",
    )
    .unwrap();
    assert_eq!((c.led.ready, c.led.fault, c.presence.pin, c.presence.quiet_s), (Some(5), Some(6), Some(4), 30));
    assert_eq!(c.speech.output, SpeechOutput::Jack);
    let e = Config::parse("[keys]\nnext = 17\n[led]\nready = 17\n", "g.toml").unwrap_err();
    assert_eq!(e.line, 4, "{e}");
    assert!(e.problem.contains("pin 17") && e.problem.contains("next"), "{e}");
    let e = Config::parse("[speech]\noutput = \"bluetooth\"\n", "g.toml").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn console_desks_parse_and_a_repeated_or_empty_desk_is_named() {
    let c = Config::parse("[console]\ndesks = [\"Bureau 1\", \"Salle Marianne\"]\n", "g.toml").unwrap();
    assert_eq!(c.console.desks, vec!["Bureau 1".to_string(), "Salle Marianne".to_string()]);
    let text = "site_name = \"x\"\n[console]\nsession_minutes = 60\ndesks = [\"Bureau 1\", \" Bureau 1\"]\n";
    let e = Config::parse(text, "g.toml").unwrap_err();
    assert_eq!(e.line, 4, "{e}");
    assert!(e.problem.contains("twice") && e.fix.contains("desks = ["), "{e}");
    let e = Config::parse("[console]\ndesks = [\"\"]\n", "g.toml").unwrap_err();
    assert!(e.problem.contains("empty"), "{e}");
}

#[test]
fn https_is_the_default_off_loopback_and_public_url_must_say_so() {
    let lan =
        Config::parse("[console]\nbind = \"0.0.0.0:8080\"\npublic_url = \"https://g.local:8080\"\n", "g.toml").unwrap();
    assert!(lan.console.serves_https());
    let loopback = Config::parse("[console]\nbind = \"127.0.0.1:8080\"\n", "g.toml").unwrap();
    assert!(!loopback.console.serves_https(), "the demo on this machine stays plain HTTP");
    let text = "[console]\nbind = \"0.0.0.0:8080\"\npublic_url = \"http://g.local:8080\"\n";
    let e = Config::parse(text, "g.toml").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.fix.contains("https://") && e.fix.contains("tls = \"off\""), "{e}");
    let off = Config::parse(&format!("{text}tls = \"off\"\n"), "g.toml").unwrap();
    assert!(!off.console.serves_https(), "plain HTTP when the config says so");
    let e = Config::parse("[console]\ncert = \"/etc/guichet/c.pem\"\n", "g.toml").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn details_days_is_bounded_and_a_wrong_value_names_file_key_and_range() {
    for wrong in ["3651", "4294967295"] {
        let text = format!("site_name = \"x\"\n[retention]\ndetails_days = {wrong}\n");
        let e = Config::parse(&text, "/etc/guichet/guichet.toml").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("/etc/guichet/guichet.toml", 3), "{e}");
        assert!(e.problem.contains("details_days") && e.problem.contains(wrong), "{e}");
        assert!(e.fix.contains("0 to 3650"), "{e}");
        assert!(e.to_string().starts_with("/etc/guichet/guichet.toml:3: "), "{e}");
    }
    // 0: details wiped at the first purge after the visit's day (docs/DATA.md), the
    // smallest footprint a site may choose.
    for right in [0, 1, 30, 3650] {
        let c = Config::parse(&format!("[retention]\ndetails_days = {right}\n"), "g.toml").unwrap();
        assert_eq!(c.retention.details_days, right);
    }
}

/// Found by tests/integration/props_config.rs: a control character in a comment made
/// the TOML reader's message empty (`guichet.toml:3: ` and nothing said).
#[test]
fn a_control_character_in_a_comment_is_named() {
    let e = Config::parse("[idle]\ntimeout_s = 120\n# path = \"\u{0}\"\n", "g.toml").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.problem.contains("U+0000") && e.problem.contains("column 11"), "{e}");
    assert!(e.fix.contains("remove"), "{e}");
}
