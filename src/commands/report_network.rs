//! The network's figures (`[network]`): `guichet report --send` (a technician sends what the
//! network has not had yet), the hourly job a kiosk runs to do the same, and `guichet report
//! --network` (the report across every site, on a machine with `[network]`).

use super::Site;
use crate::cli::ReportFormat;
use crate::core::network::{self, NetworkReport};
use crate::staff::report::{cell as csv_cell, local_hour, name};
use crate::store::network::{catch_up, gather, Network, Sent};
use crate::store::sql::PgDb;
use crate::store::{SiteLink, Store};
use anyhow::{anyhow, Context};
use chrono::{Datelike, NaiveDate};
use std::time::Duration;

/// The longest span of a network report: ten years.
const MAX_DAYS: i64 = 3660;

/// The network `[network]` names, and this site's name in it.
fn network_of(site: &Site) -> anyhow::Result<(Network, String)> {
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

/// The network's report on `from..=to` (read by whoever may read the network's figures).
pub fn read(network: &Network, from: NaiveDate, to: NaiveDate) -> anyhow::Result<NetworkReport> {
    let mut client = network.connect().context("cannot reach the network's database")?;
    let db = PgDb::new(client.transaction()?);
    let g = gather(&db, from, to, (to - from).num_days() < 186)?;
    Ok(network::build(from, to, &g))
}

/// `guichet report --network`: by default this year up to yesterday.
pub fn report(site: &Site, from: Option<NaiveDate>, to: Option<NaiveDate>, format: ReportFormat) -> anyhow::Result<()> {
    let today = crate::clock::Clock::today(&crate::clock::SystemClock);
    let to = to.unwrap_or_else(|| today.pred_opt().unwrap_or(today));
    let from = from.unwrap_or_else(|| to.with_ordinal(1).unwrap_or(to));
    if to < from || (to - from).num_days() >= MAX_DAYS {
        return Err(anyhow!("--from {from} --to {to}: the start must come first, at most {MAX_DAYS} days"));
    }
    let (network, _) = network_of(site)?;
    let r = read(&network, from, to)?;
    match format {
        ReportFormat::Csv => print!("{}", csv(&r)),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&r)?),
    }
    Ok(())
}

/// The network's report as CSV: `du;au;site;rubrique;élément;nombre`, the whole network
/// first ("Tout le réseau"), then each site (its yearly form's figures, its visits per month).
pub fn csv(r: &NetworkReport) -> String {
    let mut out = String::from("du;au;site;rubrique;élément;nombre\r\n");
    let (from, to) = (r.all.from.to_string(), r.all.to.to_string());
    let catalogue = crate::core::catalogue::Catalogue::default();
    let mut add = |site: &str, section: &str, item: String, count: u64| {
        let cells = [from.as_str(), to.as_str(), site, section, &item, &count.to_string()];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    };
    for (site, visits) in &r.per_site.0 {
        add("Tout le réseau", "Visites par site", site.clone(), *visits);
    }
    for (site, report) in
        std::iter::once(("Tout le réseau", &r.all)).chain(r.sites.iter().map(|(s, r)| (s.as_str(), r)))
    {
        for (section, item, count) in report.lines() {
            if section == "day" || section == "week" {
                continue;
            }
            let (section, item) = name(&catalogue, section, &item);
            add(site, section, item, count);
        }
    }
    out
}
