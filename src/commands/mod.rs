//! What each subcommand does. `main` only parses arguments and prints errors.

mod board;
mod degraded;
mod doctor;
mod doctor_checks;
mod doctor_devices;
mod doctor_limit;
mod doctor_line;
mod doctor_network;
mod doctor_time;
mod follow;
mod kiosk;
mod print_test;
mod report;
pub mod report_network;
mod screenshot;
mod site_cert;
mod staff;

pub use board::board;
pub use doctor::{doctor, Options as DoctorOptions};
pub use kiosk::{kiosk, serve};
pub use print_test::print_test;
pub use report::{purge, report, Retention};
pub use screenshot::screenshot;
pub use site_cert::{site_cert, site_demo_server, site_init};
pub use staff::staff;

use crate::config::{Config, Display};
use crate::core::catalogue::Catalogue;
use crate::kiosk::ticket::IssueContext;
use crate::staff::{Console, ConsoleConfig};
use crate::store::Store;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The data directory and the configuration found for it.
pub struct Site {
    pub data_dir: PathBuf,
    pub config: Config,
}

impl Site {
    pub fn open(data_dir: &Path, config: Option<&Path>) -> anyhow::Result<Site> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
        let path = config.map_or_else(|| data_dir.join("guichet.toml"), Path::to_path_buf);
        let config = Config::load(&path)?;
        Ok(Site { data_dir: data_dir.to_path_buf(), config })
    }

    /// The screen the kiosk draws on, and where its size comes from: the config's
    /// `[display]`, else the first connected DRM screen (turned as `rotation` says),
    /// else the 10.1" panel the defaults describe.
    pub fn screen(&self) -> (Display, String) {
        let given = self.config.display;
        if self.config.display_given {
            return (given, "guichet.toml [display]".into());
        }
        match crate::hardware::display::detect(Path::new("/sys/class/drm")).into_iter().next() {
            Some(s) => {
                let turned = given.rotation % 180 == 90;
                let (w, h, wmm, hmm) = if turned {
                    (s.height_px, s.width_px, s.height_mm, s.width_mm)
                } else {
                    (s.width_px, s.height_px, s.width_mm, s.height_mm)
                };
                let d = Display { width_px: w, height_px: h, width_mm: wmm, height_mm: hmm, rotation: given.rotation };
                (d, format!("{} on {} ({})", s.source, s.connector, "read from the kernel"))
            }
            None => (given, "no [display] in guichet.toml and no screen found: the 10.1\" defaults".into()),
        }
    }

    /// The queue: the site's PostgreSQL when `[site] database` names one, else this
    /// kiosk's SQLite file.
    pub fn store(&self) -> anyhow::Result<Store> {
        let path = self.data_dir.join("guichet.sqlite");
        match self.config.site.database() {
            Some(site) => {
                let clock = std::sync::Arc::new(crate::clock::SystemClock);
                let link = crate::store::SiteLink::new(site, self.config.site.ca_file.as_deref())
                    .context("the link to the site's database ([site] in guichet.toml)")?;
                let series = self.config.site.local_series.as_deref();
                Store::open_site(link, &path, clock, series)
                    .context("cannot open the site's database ([site] database)")
            }
            None => Store::open(&path).with_context(|| format!("cannot open the database {}", path.display())),
        }
    }

    pub fn catalogue(&self) -> anyhow::Result<Arc<Catalogue>> {
        Ok(Arc::new(crate::assets::load_catalogue(self.config.catalogue_dir.as_deref())?))
    }

    pub fn issue_context(&self) -> IssueContext {
        let c = &self.config;
        IssueContext {
            site_name: c.site_name.clone(),
            public_url: c.console.public_url.trim_end_matches('/').to_string(),
            minutes_per_visit: c.queue.minutes_per_visit,
            desks: c.queue.desks,
            follow_base: None,
        }
    }

    /// The console as configured, listening on `bind` (the config's, or `serve --bind`):
    /// with its certificate when it serves HTTPS there (made at first start if the site
    /// gave none).
    pub fn console(&self, store: Store, catalogue: Arc<Catalogue>, bind: &str) -> anyhow::Result<Console> {
        let section = &self.config.console;
        let config = ConsoleConfig {
            site_name: self.config.site_name.clone(),
            public_url: self.issue_context().public_url,
            session_minutes: section.session_minutes,
            max_failures: section.max_failures,
            lockout_minutes: section.lockout_minutes,
            desks: section.desks.iter().map(|d| d.trim().to_string()).collect(),
            calls_before_absent: self.config.queue.calls_before_absent,
        };
        let mut console = Console::new(store, catalogue, config);
        if self.config.network.database().is_some() {
            // The network's figures on a page; a link that cannot be made leaves the page out.
            match report_network::network_of(self) {
                Ok((network, _)) => console = console.with_network(network),
                Err(e) => eprintln!("console: no page for the network's figures: {e:#}"),
            }
        }
        let here = crate::config::ConsoleSection { bind: bind.to_string(), ..section.clone() };
        if !here.serves_https() {
            return Ok(console);
        }
        Ok(console.with_tls(self.tls_identity()?))
    }

    /// The console's certificate: the site's, or the one this kiosk made (now, the first time).
    pub fn tls_identity(&self) -> anyhow::Result<crate::staff::tls::TlsIdentity> {
        let section = &self.config.console;
        let supplied = section.cert.as_deref().zip(section.key.as_deref());
        let names = certificate_names(&section.public_url);
        crate::staff::tls::load_or_create(supplied, &self.data_dir, &names).map_err(Into::into)
    }
}

/// The names a certificate made here is valid for: the public URL's host, this machine's
/// name (and its mDNS `.local` name), and `localhost`.
fn certificate_names(public_url: &str) -> Vec<String> {
    let host = public_url.split("://").nth(1).unwrap_or_default().split(['/', ':']).next().unwrap_or_default();
    let machine = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_string();
    let mut names = vec![host.to_string(), machine.clone(), format!("{machine}.local"), "localhost".to_string()];
    names.retain(|n| !n.is_empty() && n != ".local");
    names.dedup();
    names
}

/// `guichet check-config`: the config was parsed by `Site::open`; check the catalogue too.
pub fn check_config(site: &Site) -> anyhow::Result<()> {
    let cat = site.catalogue()?;
    let procedures: usize = cat.themes.iter().map(|t| t.procedures.len()).sum();
    println!("configuration OK: {} themes, {} procedures, {} queues", cat.themes.len(), procedures, cat.queues.len());
    Ok(())
}

/// `guichet backup FILE`: SQLite's online backup, safe while the kiosk writes.
pub fn backup(site: &Site, file: &Path) -> anyhow::Result<()> {
    let store = site.store()?;
    let started = std::time::Instant::now();
    store.backup_to(file).with_context(|| format!("cannot write the backup {}", file.display()))?;
    let size = std::fs::metadata(file).map_or(0, |m| m.len());
    println!("backup written: {} ({} kB, {} ms)", file.display(), size / 1000, started.elapsed().as_millis());
    println!("to restore: stop the kiosk, copy it over {}, start the kiosk", store.path().display());
    Ok(())
}
