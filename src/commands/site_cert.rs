//! `guichet site-cert` and `guichet site-init`: a site server's certificates, written for
//! the technician, and its tables (docs/SITE.md says where each goes).

use super::Site;
use anyhow::Context;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Writes `text` to a new file (never over one: a site's authority is made once), with
/// `mode`.
fn write_new(file: &Path, text: &str, mode: u32) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(file)
        .with_context(|| format!("cannot make {} (an existing one is never replaced)", file.display()))?;
    f.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", file.display()))
}

pub fn site_cert(site: &Site, addresses: &[String], out: &Path) -> anyhow::Result<()> {
    let certs = crate::store::site_cert::make(&site.config.site_name, addresses)
        .context("cannot make the certificates (an address or name they cannot hold?)")?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot make the folder {}", out.display()))?;
    let files = [
        ("site-ca.crt", &certs.ca_cert, 0o644),
        ("site-server.crt", &certs.server_cert, 0o644),
        ("site-server.key", &certs.server_key, 0o600),
    ];
    for (name, _, _) in &files {
        let file = out.join(name);
        anyhow::ensure!(!file.exists(), "{} exists already: a site's authority is made once", file.display());
    }
    for (name, text, mode) in files {
        write_new(&out.join(name), text, mode)?;
    }
    println!("site-ca.crt: give it to every kiosk and desk PC ([site] ca_file = \"/etc/guichet/site-ca.crt\")");
    println!("site-server.crt and site-server.key (secret): PostgreSQL's ssl_cert_file and ssl_key_file on the server");
    println!("names the server certificate holds: {}", addresses.join(", "));
    Ok(())
}

pub fn site_init(site: &Site) -> anyhow::Result<()> {
    anyhow::ensure!(
        site.config.site.database().is_some(),
        "no [site] database in guichet.toml: give the site's database, with its owner's settings"
    );
    let store = site.store()?;
    store.flush().wait()?;
    println!("the site's database is at schema {}: kiosks and desks can use it", crate::store::schema::VERSION);
    Ok(())
}

/// `guichet site-demo-server`: a throwaway cluster for the site demo; its `[site]` line on
/// stdout (the demo script reads it), then it serves until SIGINT or SIGTERM.
pub fn site_demo_server(dir: &Path) -> anyhow::Result<()> {
    // The server runs in its data folder: the socket's folder must be absolute.
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let dir = &dir.canonicalize().with_context(|| format!("cannot find {}", dir.display()))?;
    let cluster = crate::store::Cluster::start(dir)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("cannot start PostgreSQL (Debian's postgresql package: scripts/setup-debian.sh installs it)")?;
    let database = cluster.create_database("site").map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("database = \"{database}\"");
    std::io::stdout().flush().context("stdout")?;
    use nix::sys::signal::{SigSet, Signal};
    let mut stop = SigSet::empty();
    stop.add(Signal::SIGINT);
    stop.add(Signal::SIGTERM);
    stop.thread_block().context("cannot wait for a signal")?;
    let _ = stop.wait();
    drop(cluster);
    Ok(())
}
