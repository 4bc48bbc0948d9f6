//! `guichet doctor`: one line per part of the kiosk, PASS / WARN / FAIL, in words a
//! technician can read over the phone; `--json` for scripts; exit status non-zero on any
//! FAIL. The checks themselves are in `doctor_checks` and `doctor_devices` (the devices
//! opened as the kiosk opens them); each runs under a time limit (`doctor_limit`), so a
//! part that never answers is a FAIL line instead of a doctor that hangs.

use super::doctor_checks as check;
use super::doctor_devices::{self as devices, Places};
use super::doctor_limit::{within, Limits, Part};
use super::doctor_line::{Line, Status};
use super::Site;
use std::path::Path;
use std::sync::Arc;

/// What `doctor` was asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub json: bool,
    /// Ask for each configured key to be pressed (10 s each).
    pub keys: bool,
    /// Say the test phrase (off in tests: no sound card).
    pub speak: bool,
}

/// Every check, in the order a technician walks the kiosk.
pub fn report(data_dir: &Path, config: Option<&Path>, options: Options) -> Vec<Line> {
    report_within(data_dir, config, options, Limits::default(), &Places::default())
}

/// `report` with each check's time limit and the devices' places given: each check but
/// the key press test (10 s per key) runs on a thread of its own and becomes a FAIL line
/// when it does not answer in time.
fn report_within(data_dir: &Path, config: Option<&Path>, options: Options, l: Limits, at: &Places) -> Vec<Line> {
    let mut lines = vec![check::version()];
    let site = match Site::open(data_dir, config) {
        Ok(site) => Arc::new(site),
        Err(e) => {
            lines.push(Line::new(Status::Fail, "config", format!("{e:#}")));
            return lines;
        }
    };
    let disk = "the SD card or USB disk may be failing: check dmesg";
    let part = Part::new("config", l.quick, "the catalogue's folder", disk);
    lines.extend(timed(&site, part, |s| vec![check::catalogue(s)]));
    let dir = site.data_dir.display().to_string();
    let part = Part::new("data", l.disk, format!("the data folder {dir}"), disk);
    lines.extend(timed(&site, part, |s| check::data_dir(&s.data_dir)));
    let held = "another program may hold it (sudo systemctl stop guichet, then run doctor again), \
                or the SD card is failing: check dmesg";
    let part = Part::new("database", l.disk, format!("the database in {dir}"), held);
    lines.extend(timed(&site, part, |s| vec![check::database(&s.data_dir)]));
    lines.extend(super::doctor_time::lines());
    let part = Part::new("display", l.quick, "the screen's driver", "check dmesg for the graphics driver");
    let places = at.clone();
    lines.extend(timed(&site, part, move |s| vec![check::display(s, &places)]));
    let replug = "unplug the USB touch screen or keypad and plug it in again; check dmesg";
    for (name, check) in [("touch", devices::touch as fn(&Places) -> Line), ("keyboard", devices::keyboard)] {
        let places = at.clone();
        let part = Part::new(name, l.quick, "the input devices", replug);
        lines.extend(timed(&site, part, move |_| vec![check(&places)]));
    }
    let part = Part::new("sound", l.quick, "the sound cards", "check dmesg and aplay -l");
    lines.extend(timed(&site, part, |s| vec![check::sound(s)]));
    let silent = "restart it (sudo systemctl restart guichet starts a new one), or check the sound card: aplay -l";
    let speak = options.speak;
    lines.extend(timed(&site, Part::new("speech", l.speech, "speech-dispatcher", silent), move |s| {
        vec![check::speech(s, speak)]
    }));
    let off = "check that it is on, its cover closed and its cable plugged in; then guichet print-test";
    let part = Part::new("printer", l.printer, printer_named(&site), off);
    lines.extend(timed(&site, part, |s| vec![check::printer(s)]));
    lines.extend(check::keys(&site, options.keys));
    let restart = "restart the kiosk: sudo systemctl restart guichet";
    let part = Part::new("console", l.quick, format!("the console's port {}", site.config.console.bind), restart);
    lines.extend(timed(&site, part, check::console));
    lines
}

/// `check` of `site` under `part`'s time limit.
fn timed(site: &Arc<Site>, part: Part, check: impl FnOnce(&Site) -> Vec<Line> + Send + 'static) -> Vec<Line> {
    let site = Arc::clone(site);
    within(part, move || check(&site))
}

/// "the printer (Serial /dev/ttyUSB0)", as configured.
fn printer_named(site: &Site) -> String {
    let p = &site.config.printer;
    let at = p.address.clone().or_else(|| p.path.as_ref().map(|path| path.display().to_string()));
    format!("the printer ({:?}{})", p.kind, at.map(|a| format!(" {a}")).unwrap_or_default())
}

/// `guichet doctor`: prints the report; an error when any line is FAIL.
pub fn doctor(data_dir: &Path, config: Option<&Path>, options: Options) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let lines = report(data_dir, config, options);
    if options.json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        for l in &lines {
            let tag = match l.status {
                Status::Pass => "PASS",
                Status::Warn => "WARN",
                Status::Fail => "FAIL",
            };
            println!("{tag}  {:<9} {}", l.part, l.detail);
        }
        println!("({} checks in {} ms)", lines.len(), started.elapsed().as_millis());
    }
    let failed = lines.iter().filter(|l| l.status == Status::Fail).count();
    anyhow::ensure!(failed == 0, "{failed} check(s) failed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole report on folders standing for sysfs and /dev: a touch screen the kernel
    /// lists but whose node cannot be opened is a FAIL, where sysfs alone said PASS.
    #[test]
    fn the_report_opens_the_devices_it_lists() {
        let root = tempfile::tempdir().unwrap();
        let device = root.path().join("sys/input/event3/device");
        std::fs::create_dir_all(device.join("capabilities")).unwrap();
        std::fs::write(device.join("name"), "Goodix Capacitive TouchScreen\n").unwrap();
        std::fs::write(device.join("capabilities/abs"), "2608000 3\n").unwrap();
        std::fs::write(device.join("capabilities/key"), "400 0 0 0 0 0\n").unwrap();
        let at = Places {
            sys_input: root.path().join("sys/input"),
            dev_input: root.path().join("dev/input"),
            sys_drm: root.path().join("sys/drm"),
            dev_dri: root.path().join("dev/dri"),
            unopenable: Status::Fail,
        };
        let options = Options { json: false, keys: false, speak: false };
        let lines = report_within(&root.path().join("data"), None, options, Limits::default(), &at);
        let line = |part: &str| lines.iter().find(|l| l.part == part).cloned();
        let touch = line("touch").unwrap();
        assert_eq!(touch.status, Status::Fail, "{touch:?}");
        let node = at.dev_input.join("event3");
        assert!(touch.detail.starts_with(&format!("cannot open {} (Goodix", node.display())), "{touch:?}");
        assert_eq!(line("keyboard").map(|l| l.status), Some(Status::Pass));
        // No /dev/dri here: the display line is the screen's size alone, as before.
        assert!(line("display").is_some_and(|l| !l.detail.contains("read-write")));
        let parts: Vec<&str> = lines.iter().map(|l| l.part).collect();
        let expected =
            ["version", "config", "data", "disk", "database", "clock", "time sync", "display", "touch", "keyboard"];
        assert_eq!(parts[..expected.len()], expected);
    }
}
