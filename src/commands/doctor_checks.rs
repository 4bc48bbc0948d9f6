//! The checks `guichet doctor` runs, one function per part of the kiosk.

use super::doctor_devices::Places;
use super::doctor_line::{Line, Status};
use super::Site;
use std::path::Path;

pub fn version() -> Line {
    let v = format!("guichet {} (database schema {})", env!("CARGO_PKG_VERSION"), crate::store::schema::VERSION);
    Line::new(Status::Pass, "version", v)
}

pub fn catalogue(site: &Site) -> Line {
    match site.catalogue() {
        Ok(cat) => {
            let procedures: usize = cat.themes.iter().map(|t| t.procedures.len()).sum();
            let what = format!("config and catalogue read: {} themes, {} procedures", cat.themes.len(), procedures);
            Line::new(Status::Pass, "config", what)
        }
        Err(e) => Line::new(Status::Fail, "config", format!("{e:#}")),
    }
}

/// Writable, and room left (SQLite and the simulated printer write there).
pub fn data_dir(dir: &Path) -> Vec<Line> {
    let probe = dir.join(".doctor-probe");
    let writable = match std::fs::write(&probe, b"ok").and_then(|()| std::fs::remove_file(&probe)) {
        Ok(()) => Line::new(Status::Pass, "data", format!("{} is writable", dir.display())),
        Err(e) => Line::new(Status::Fail, "data", format!("cannot write in {}: {e}", dir.display())),
    };
    let space = match nix::sys::statvfs::statvfs(dir) {
        Ok(s) => {
            // The statvfs fields are narrower than u64 on 32-bit targets.
            #[allow(clippy::useless_conversion)]
            let free_mb = u64::from(s.blocks_available()) * u64::from(s.fragment_size()) / 1_000_000;
            let status = match free_mb {
                0..50 => Status::Fail,
                50..500 => Status::Warn,
                _ => Status::Pass,
            };
            Line::new(
                status,
                "disk",
                format!("{free_mb} MB free (below 500 MB: clean up; below 50 MB tickets may fail)"),
            )
        }
        Err(e) => Line::new(Status::Warn, "disk", format!("free space unknown: {e}")),
    };
    vec![writable, space]
}

/// The database opens (migrating it if this build is newer) and passes `integrity_check`.
pub fn database(dir: &Path) -> Line {
    let path = dir.join("guichet.sqlite");
    if let Err(e) = crate::store::Store::open(&path) {
        return Line::new(Status::Fail, "database", format!("{}: {e}", path.display()));
    }
    let checked = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0)));
    match checked {
        Ok(answer) if answer == "ok" => {
            Line::new(Status::Pass, "database", format!("{}: integrity ok", path.display()))
        }
        Ok(answer) => Line::new(Status::Fail, "database", format!("{}: {answer}; restore a backup", path.display())),
        Err(e) => Line::new(Status::Fail, "database", format!("{}: {e}", path.display())),
    }
}

/// The screen's size (and where it comes from), and its DRM card opened read-write as
/// the kiosk opens it (a machine without /dev/dri: the size alone).
pub fn display(site: &Site, places: &Places) -> Line {
    let (d, from) = site.screen();
    let status = if from.contains("defaults") { Status::Warn } else { Status::Pass };
    let what = format!(
        "{}x{} px, {:.0}x{:.0} mm, {:.2} px/mm, turned {} degrees ({from})",
        d.width_px,
        d.height_px,
        d.width_mm,
        d.height_mm,
        d.px_per_mm(),
        d.rotation
    );
    match super::doctor_devices::screen_device(places) {
        None => Line::new(status, "display", what),
        Some(Ok(opened)) => Line::new(status, "display", format!("{what}; {opened}")),
        Some(Err(cannot)) => cannot,
    }
}

/// Which sound card the voice goes to (`[speech] output`).
pub fn sound(site: &Site) -> Line {
    use crate::speech::output::{parse_cards, pick, SpeechOutput};
    let output = site.config.speech.output;
    let cards = parse_cards(&std::fs::read_to_string("/proc/asound/cards").unwrap_or_default());
    let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
    match (output, pick(output, &cards)) {
        (SpeechOutput::System, _) => Line::new(Status::Pass, "sound", format!("system default (cards: {ids:?})")),
        (_, Some(card)) => Line::new(Status::Pass, "sound", format!("{output:?}: card {} ({})", card.index, card.id)),
        (_, None) => Line::new(
            Status::Fail,
            "sound",
            format!("no {output:?} card (cards: {ids:?}): plug it in or change [speech] output"),
        ),
    }
}

pub fn speech(site: &Site, speak: bool) -> Line {
    if !site.config.speech.enabled {
        return Line::new(Status::Warn, "speech", "off in the configuration ([speech] enabled = false)");
    }
    if !speak {
        return Line::new(Status::Pass, "speech", "on (test phrase not said: --quiet)");
    }
    #[cfg(feature = "speech")]
    {
        let phrase = "Bonjour. Ceci est un essai de la voix du guichet.";
        // The kiosk starts speech-dispatcher when it starts; a doctor run at that moment
        // (provision.sh does) finds no server yet, and its own start loses the race to the
        // kiosk's. A first start loads espeak-ng's voices: seen taking over 10 s on an
        // emulated arm64 board, the Pi's own core. So it tries again, 3 s apart, for 30 s
        // (within the check's 45 s limit) before saying it failed.
        // A server that accepts and never answers is said after 10 s: no retry helps it.
        // 5 s was too short for a busy one: in the emulated appliance, just after a visit,
        // the kiosk's own speech-dispatcher once took longer to answer the doctor.
        let answer = std::time::Duration::from_secs(5);
        if let Err(silent) = crate::speech::probe::probe(2 * answer) {
            return Line::new(Status::Fail, "speech", silent.en());
        }
        let started = std::time::Instant::now();
        let mut speaker = crate::speech::engine::DispatcherSpeaker::new(answer);
        while speaker.is_err() && started.elapsed() < std::time::Duration::from_secs(30) {
            std::thread::sleep(std::time::Duration::from_secs(3));
            speaker = crate::speech::engine::DispatcherSpeaker::new(answer);
        }
        let tried = started.elapsed().as_secs();
        let mut speaker = match speaker {
            Ok(speaker) => speaker,
            Err(e) => {
                let fix = "is speech-dispatcher installed? systemctl status guichet shows its start";
                return Line::new(Status::Fail, "speech", format!("{e} (tried for {tried} s); {fix}"));
            }
        };
        match speaker.say_in_default_voice(phrase) {
            Ok(()) => {
                std::thread::sleep(std::time::Duration::from_secs(4));
                Line::new(Status::Pass, "speech", format!("said \"{phrase}\": did you hear it?"))
            }
            Err(e) => Line::new(
                Status::Fail,
                "speech",
                format!(
                    "connected, but the test phrase failed ({e}): speech-dispatcher stopped in the middle; \
                     restart it (sudo systemctl restart guichet) and read its log (journalctl -u guichet)"
                ),
            ),
        }
    }
    #[cfg(not(feature = "speech"))]
    Line::new(Status::Fail, "speech", "this build has no speech engine (built without the speech feature)")
}

/// Asks the printer its state (DLE EOT, or the simulated printer's status file).
pub fn printer(site: &Site) -> Line {
    use crate::hardware::printer_status::PrinterState;
    let Some(mut printer) = super::kiosk::printer(site) else {
        return Line::new(Status::Warn, "printer", "none configured: tickets are shown and spoken only");
    };
    let state = printer.state();
    let status = match state {
        PrinterState::Ready => Status::Pass,
        PrinterState::PaperLow | PrinterState::Unknown => Status::Warn,
        _ if state.stops_printing() => Status::Fail,
        _ => Status::Warn,
    };
    Line::new(status, "printer", format!("{}: {state}", printer.describe()))
}

/// `--keys`: each configured key must be pressed within 10 s.
pub fn keys(site: &Site, press: bool) -> Vec<Line> {
    let wanted = site.config.keys.wanted();
    if wanted.is_empty() {
        return vec![Line::new(Status::Pass, "keys", "no GPIO keypad configured")];
    }
    if !press {
        let list: Vec<String> = wanted.iter().map(|(k, pin)| format!("{k:?} on GPIO {pin}")).collect();
        return vec![Line::new(Status::Pass, "keys", format!("{} (press test: --keys)", list.join(", ")))];
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if let Err(e) = crate::hardware::keys::spawn_gpio(site.config.keys, tx) {
        return vec![Line::new(Status::Fail, "keys", e)];
    }
    wanted
        .into_iter()
        .map(|(key, pin)| {
            println!("press {key:?} (GPIO {pin}) within 10 s…");
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            loop {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                match rx.recv_timeout(left) {
                    Ok(k) if k == key => break Line::new(Status::Pass, "keys", format!("{key:?} on GPIO {pin} works")),
                    Ok(_) => continue,
                    Err(_) => {
                        break Line::new(
                            Status::Fail,
                            "keys",
                            format!("{key:?} on GPIO {pin}: no press in 10 s; check its wire to GND"),
                        )
                    }
                }
            }
        })
        .collect()
}

/// Where the console listens, whether it is up, and the address staff phones reach.
pub fn console(site: &Site) -> Vec<Line> {
    let c = &site.config.console;
    let bound = match std::net::TcpStream::connect_timeout(
        &c.bind.parse().unwrap_or_else(|_| std::net::SocketAddr::from(([127, 0, 0, 1], 8080))),
        std::time::Duration::from_millis(500),
    ) {
        Ok(_) => Line::new(Status::Pass, "console", format!("listening on {}", c.bind)),
        Err(_) => Line::new(Status::Warn, "console", format!("nothing listens on {} (is the kiosk running?)", c.bind)),
    };
    let lan = super::doctor_network::lan_address().map_or_else(
        || Line::new(Status::Warn, "network", "no network address (cable or Wi-Fi?)"),
        |ip| Line::new(Status::Pass, "network", format!("this kiosk is {ip}; phones open {}", c.public_url)),
    );
    vec![bound, https(site), lan]
}

/// HTTPS: the certificate's fingerprint (staff compare it with what their browser shows
/// the first time), or a warning when passwords cross the network in clear.
fn https(site: &Site) -> Line {
    let c = &site.config.console;
    if !c.serves_https() {
        let loopback = c.bind.parse::<std::net::SocketAddr>().is_ok_and(|a| a.ip().is_loopback());
        return match loopback {
            true => Line::new(Status::Pass, "https", "plain HTTP on this machine only (loopback)"),
            false => Line::new(Status::Warn, "https", "tls = \"off\": staff passwords cross the network readable"),
        };
    }
    // Doctor may run as another user: it never makes the certificate (its key would not be
    // the kiosk's to read).
    let own = site.data_dir.join(crate::staff::tls::SELF_CERT);
    if c.cert.is_none() && !own.exists() {
        return Line::new(Status::Pass, "https", "the kiosk makes its certificate at its first start");
    }
    match site.tls_identity() {
        Ok(id) => {
            let whose = if id.self_signed { "made by this kiosk" } else { "the site's" };
            Line::new(
                Status::Pass,
                "https",
                format!("certificate {whose} ({}), SHA-256 {}", id.cert_path.display(), id.fingerprint),
            )
        }
        Err(e) => Line::new(Status::Fail, "https", format!("{e:#}")),
    }
}
