//! What each subcommand does. `main` only parses arguments and prints errors.

mod kiosk;
mod print_test;
mod screenshot;
mod staff;

pub use kiosk::{kiosk, serve};
pub use print_test::print_test;
pub use screenshot::screenshot;
pub use staff::staff;

use crate::config::Config;
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

    pub fn store(&self) -> anyhow::Result<Store> {
        let path = self.data_dir.join("guichet.sqlite");
        Store::open(&path).with_context(|| format!("cannot open the database {}", path.display()))
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
        }
    }

    pub fn console(&self, store: Store, catalogue: Arc<Catalogue>) -> Console {
        let config = ConsoleConfig {
            site_name: self.config.site_name.clone(),
            public_url: self.issue_context().public_url,
            session_minutes: self.config.console.session_minutes,
            ..ConsoleConfig::default()
        };
        Console::new(store, catalogue, config)
    }
}

/// `guichet check-config`: the config was parsed by `Site::open`; check the catalogue too.
pub fn check_config(site: &Site) -> anyhow::Result<()> {
    let cat = site.catalogue()?;
    let procedures: usize = cat.themes.iter().map(|t| t.procedures.len()).sum();
    println!("configuration OK: {} themes, {} procedures, {} queues", cat.themes.len(), procedures, cat.queues.len());
    Ok(())
}
