//! The network's figures (`[network]`): `guichet report --send` (a technician sends what the
//! network has not had yet), the hourly job a kiosk runs to do the same, and `guichet report
//! --network` (the report across every site, on a machine with `[network]`).

use super::Site;
use crate::cli::ReportFormat;
/// The network's report on a span (also read so by the bench).
pub use crate::staff::network_report::read;
use crate::staff::network_report::{csv, json, span, MAX_DAYS};
use crate::staff::report::local_hour;
use crate::store::network::{catch_up, Network, Sent};
use crate::store::{SiteLink, Store};
use anyhow::{anyhow, Context};
use chrono::NaiveDate;
use std::time::Duration;

/// The network `[network]` names, and this site's name in it.
pub(super) fn network_of(site: &Site) -> anyhow::Result<(Network, String)> {
    let n = &site.config.network;
    let database = n.database().ok_or_else(|| anyhow!("no [network] database in guichet.toml (docs/SITE.md)"))?;
    let link =
        SiteLink::new(database, n.ca_file.as_deref()).context("the link to the network's database ([network])")?;
    let name = if n.site.trim().is_empty() { site.config.site_name.clone() } else { n.site.trim().to_string() };
    Ok((Network::new(link), name))
}

/// Sends every finished day the network has not had yet.
fn send_with(site: &Site, store: &Store) -> anyhow::Result<Sent> {
    let (network, name) = network_of(site)?;
    let catalogue = site.catalogue()?;
    let mut client = network.connect().context("cannot reach the network's database")?;
    let today = crate::clock::Clock::today(&crate::clock::SystemClock);
    let sent = store.reader().with(|local| catch_up(local, &mut client, &name, &catalogue, today, &local_hour))?;
    Ok(sent)
}

fn said(sent: Sent) -> String {
    match sent.last {
        Some(last) => format!("network: {} day(s) sent, up to {last}", sent.days),
        None => "network: nothing to send yet (no finished service day)".into(),
    }
}

/// `guichet report --send`.
pub fn send(site: &Site) -> anyhow::Result<()> {
    let store = site.store()?;
    println!("{}", said(send_with(site, &store)?));
    Ok(())
}

/// With `[network]`, sends the finished days a few minutes after start, then every hour,
/// on a thread of its own; a network out of reach is tried again the next hour.
pub fn every_hour(site: &Site, store: Store) {
    if site.config.network.database().is_none() {
        return;
    }
    let site = Site { data_dir: site.data_dir.clone(), config: site.config.clone() };
    let spawned = std::thread::Builder::new().name("network".into()).spawn(move || loop {
        std::thread::sleep(Duration::from_secs(5 * 60));
        match send_with(&site, &store) {
            Ok(sent) if sent.days > 0 => println!("{}", said(sent)),
            Ok(_) => {}
            Err(e) => eprintln!("network: {e:#} (tried again in an hour)"),
        }
        std::thread::sleep(Duration::from_secs(55 * 60));
    });
    if let Err(e) = spawned {
        eprintln!("network: cannot start the hourly job: {e}");
    }
}

/// `guichet report --network`: by default this year up to yesterday. What it prints is
/// what the console's page `/rapport/reseau` gives to download (the same functions).
pub fn report(site: &Site, from: Option<NaiveDate>, to: Option<NaiveDate>, format: ReportFormat) -> anyhow::Result<()> {
    let today = crate::clock::Clock::today(&crate::clock::SystemClock);
    let (from, to) = span(from, to, today)
        .ok_or_else(|| anyhow!("--from, --to: the start must come first, at most {MAX_DAYS} days (ten years)"))?;
    let (network, _) = network_of(site)?;
    let r = read(&network, from, to).context("cannot read the network's figures")?;
    match format {
        ReportFormat::Csv => print!("{}", csv(&r)),
        ReportFormat::Json => print!("{}", json(&r)?),
    }
    Ok(())
}
