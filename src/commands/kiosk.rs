//! `guichet kiosk` and `guichet serve`.

use super::Site;
use crate::config::{Config, PrinterKind};
use crate::hardware::keys;
use crate::hardware::printer::{EscPosPrinter, FolderPrinter, TicketPrinter};
use crate::hardware::transport::{DevicePort, Port, TcpPort};
use crate::hardware::watchdog::{self, Notifier};
use crate::kiosk::ticket::IssueContext;
use crate::kiosk::{press, wake, Kiosk, KioskServices};
use crate::speech::{SpeakerFactory, SpeechError};
use anyhow::Context;
use slint::ComponentHandle;
use std::net::SocketAddr;

fn speaker(config: &Config) -> SpeakerFactory {
    #[cfg(feature = "speech")]
    if config.speech.enabled {
        return Box::new(|| {
            // At most 10 s for speech-dispatcher's first answer; the speech thread's
            // watchdog gives up on it if anything after that hangs.
            let started = std::time::Instant::now();
            let speaker = crate::speech::engine::DispatcherSpeaker::new(std::time::Duration::from_secs(10))?;
            // The technician's (and the booted appliance test's) sign that the kiosk can
            // speak: speech-dispatcher, started by its library, takes a while at boot.
            println!("speech: ready after {:.1} s", started.elapsed().as_secs_f32());
            Ok(Box::new(speaker) as Box<dyn crate::speech::Speaker>)
        });
    }
    let why =
        if config.speech.enabled { "this build has no speech engine" } else { "speech is off in the configuration" };
    Box::new(move || Err(SpeechError(why.into())))
}

/// The configured printer (`None`: `kind = "none"`).
pub(super) fn printer(site: &Site) -> Option<Box<dyn TicketPrinter>> {
    let p = &site.config.printer;
    let path = p.path.clone().unwrap_or_default();
    let port: Box<dyn Port> = match p.kind {
        PrinterKind::None => return None,
        PrinterKind::Folder => Box::new(FolderPrinter(site.data_dir.join("printer"))),
        PrinterKind::Usb => Box::new(DevicePort::usb(path)),
        PrinterKind::Serial => Box::new(DevicePort::serial(path, p.baud)),
        PrinterKind::Tcp => Box::new(TcpPort::new(p.address.clone().unwrap_or_default())),
    };
    Some(Box::new(EscPosPrinter::new(port, p.layout(), p.status_timeout())))
}

fn bind_addr(text: &str) -> anyhow::Result<SocketAddr> {
    text.parse().with_context(|| format!("\"{text}\" is not an address:port such as 0.0.0.0:8080"))
}

pub fn kiosk(site: &Site, no_console: bool) -> anyhow::Result<()> {
    let (display, from) = site.screen();
    // Read by Slint's linuxkms backend (the Pi build) when it opens the screen; set before
    // any other thread starts.
    if display.rotation != 0 && std::env::var_os("SLINT_KMS_ROTATION").is_none() {
        std::env::set_var("SLINT_KMS_ROTATION", display.rotation.to_string());
    }
    let store = site.store()?;
    super::Retention::of(site).every_day(store.clone());
    super::report_network::every_hour(site, store.clone());
    let health = crate::health::Health::new();
    // A mistake in the site's catalogue or a console port taken leaves visitors served.
    let catalogue = super::degraded::catalogue(site, Some(&health))?;
    if site.config.speech.enabled {
        choose_sound_output(&site.config, &health);
    }
    let console = match no_console {
        true => super::degraded::ConsoleStart::default(),
        false => super::degraded::console(site, store.clone(), catalogue.clone(), &health),
    };
    // "Suivre mon tour" on the visitors' phones, when [follow] is on.
    let follow_page = super::follow::start(site, store.clone(), Some(&health));
    // Tickets carry its link only when it runs.
    let issue = IssueContext { follow_base: follow_page.as_ref().and(site.follow_base()), ..site.issue_context() };
    println!(
        "display: {}x{} px, {}x{} mm ({from}), turned {} degrees",
        display.width_px, display.height_px, display.width_mm, display.height_mm, display.rotation
    );
    // The board's calls are read from the kiosk's own database (no second store).
    let calls = store.reader();
    let kiosk = Kiosk::new(KioskServices {
        store,
        catalogue,
        speaker: speaker(&site.config),
        printer: printer(site),
        issue,
        idle: site.config.idle.policy(),
        px_per_mm: display.px_per_mm(),
        health: health.clone(),
    })
    .context("cannot open the kiosk window (no display? run it under xvfb-run, or use the Pi build)")?;
    // Shown on the kiosk's staff panel.
    kiosk.set_console(console.info.as_ref());
    kiosk.set_console_port_taken(console.taken);
    kiosk.rest_when_idle(std::time::Duration::from_secs(REST_AFTER_SECS));
    start_gpio(&site.config, &kiosk, &health);
    if site.config.board.speak_on_kiosk {
        speak_calls(calls, &health)?;
    }
    let _alive = watchdog::keep_systemd_told("kiosk on screen");
    kiosk.window().run().context("the kiosk window stopped with an error")?;
    Ok(())
}

/// Seconds the attract screen stays still before the kiosk hands back unused memory.
const REST_AFTER_SECS: u64 = 3;

/// `[board] speak_on_kiosk`: each call said on the kiosk's speaker, in order (a sound
/// failure goes to the kiosk's health, seen on "État de la borne").
fn speak_calls(calls: crate::store::ReadPool, health: &crate::health::Health) -> anyhow::Result<()> {
    use crate::board::announcer::{follow, Announcer, Hooks, Speaker};
    let health = health.clone();
    let hooks = Hooks {
        on_start: Box::new(|_| {}),
        on_error: Box::new(move |e| health.error(format!("annonce des appels : {e}"))),
    };
    let announcer = Announcer::spawn(Box::new(Speaker::new()), hooks);
    follow(calls, move |call| {
        announcer.announce(call);
        true
    })?;
    println!("board: calls are said on the kiosk's speaker");
    Ok(())
}

/// Points ALSA's default at the configured speech output before speech starts.
fn choose_sound_output(config: &Config, health: &crate::health::Health) {
    let cards = std::fs::read_to_string("/proc/asound/cards").unwrap_or_default();
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default();
    match crate::speech::output::apply(config.speech.output, &cards, &home) {
        Ok(what) => println!("speech output: {what}"),
        Err(why) => {
            println!("speech output: {why}");
            health.error(format!("sortie du son : {why}"));
        }
    }
}

/// The keypad, the status LEDs and the presence sensor, each when configured.
fn start_gpio(config: &Config, kiosk: &Kiosk, health: &crate::health::Health) {
    let (tx, rx) = std::sync::mpsc::channel();
    match keys::spawn_gpio(config.keys, tx) {
        Ok(()) => {
            let weak = kiosk.window().as_weak();
            std::thread::spawn(move || {
                for key in rx {
                    let _ = weak.upgrade_in_event_loop(move |w| press(&w, key));
                }
            });
        }
        Err(why) => println!("physical keys: none ({why})"),
    }
    if let Err(why) = crate::hardware::lamp::spawn_gpio(config.led, health.clone()) {
        println!("status LED: none ({why})");
    }
    let weak = kiosk.window().as_weak();
    let arrived = move || {
        let _ = weak.upgrade_in_event_loop(|w| wake(&w));
    };
    if let Err(why) = crate::hardware::presence::spawn_gpio(config.presence, arrived) {
        println!("presence sensor: none ({why})");
    }
}

/// Starts the console and says where it listens (and its certificate's fingerprint).
pub(super) fn start_console(console: crate::staff::Console, bind: &str) -> anyhow::Result<crate::staff::ServerHandle> {
    let addr = bind_addr(bind)?;
    let scheme = if console.is_https() { "https" } else { "http" };
    let fingerprint = console.tls_fingerprint().map(str::to_string);
    let server =
        crate::staff::spawn(console, addr).with_context(|| format!("cannot start the staff console on {addr}"))?;
    println!("staff console: {scheme}://{}", server.addr);
    if let Some(fingerprint) = fingerprint {
        println!("staff console certificate SHA-256: {fingerprint}");
    }
    Ok(server)
}

pub fn serve(site: &Site, bind: Option<String>) -> anyhow::Result<()> {
    let store = site.store()?;
    super::Retention::of(site).every_day(store.clone());
    super::report_network::every_hour(site, store.clone());
    let catalogue = super::degraded::catalogue(site, None)?;
    let bind = bind.unwrap_or_else(|| site.config.console.bind.clone());
    let _follow = super::follow::start(site, store.clone(), None);
    let _server = start_console(site.console(store, catalogue, &bind)?, &bind)?;
    if let Some(n) = Notifier::from_env() {
        n.ready("staff console listening");
    }
    loop {
        std::thread::park();
    }
}
