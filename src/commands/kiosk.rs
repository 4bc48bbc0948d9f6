//! `guichet kiosk` and `guichet serve`.

use super::Site;
use crate::config::{Config, PrinterKind};
use crate::hardware::keys;
use crate::hardware::printer::{EscPosPrinter, FolderPrinter, TicketPrinter};
use crate::hardware::transport::{DevicePort, Port, TcpPort};
use crate::kiosk::{press, Kiosk, KioskServices};
use crate::speech::{SpeakerFactory, SpeechError};
use anyhow::Context;
use slint::ComponentHandle;
use std::net::SocketAddr;

fn speaker(config: &Config) -> SpeakerFactory {
    #[cfg(feature = "speech")]
    if config.speech.enabled {
        return Box::new(|| Ok(Box::new(crate::speech::engine::TtsSpeaker::new()?) as Box<dyn crate::speech::Speaker>));
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
    let store = site.store()?;
    let catalogue = site.catalogue()?;
    let _server = if no_console {
        None
    } else {
        let addr = bind_addr(&site.config.console.bind)?;
        let server = crate::staff::spawn(site.console(store.clone(), catalogue.clone()), addr)
            .with_context(|| format!("cannot start the staff console on {addr}"))?;
        println!("staff console: http://{}", server.addr);
        Some(server)
    };
    let kiosk = Kiosk::new(KioskServices {
        store,
        catalogue,
        speaker: speaker(&site.config),
        printer: printer(site),
        issue: site.issue_context(),
        idle: site.config.idle.policy(),
        px_per_mm: site.config.display.px_per_mm(),
    })
    .context("cannot open the kiosk window (no display? run it under xvfb-run, or use the Pi build)")?;
    let (tx, rx) = std::sync::mpsc::channel();
    match keys::spawn_gpio(site.config.keys, tx) {
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
    kiosk.window().run().context("the kiosk window stopped with an error")?;
    Ok(())
}

pub fn serve(site: &Site, bind: Option<String>) -> anyhow::Result<()> {
    let store = site.store()?;
    let catalogue = site.catalogue()?;
    let addr = bind_addr(bind.as_deref().unwrap_or(&site.config.console.bind))?;
    let server = crate::staff::spawn(site.console(store, catalogue), addr)
        .with_context(|| format!("cannot start the staff console on {addr}"))?;
    println!("staff console: http://{}", server.addr);
    loop {
        std::thread::park();
    }
}
