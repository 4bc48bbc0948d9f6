//! The link to the site's PostgreSQL: its connection settings, and over the network TLS
//! with the site's own certificate authority (`[site] ca_file`): a kiosk or desk reaches
//! the site server across an office LAN and its Wi-Fi, so the link is encrypted and the
//! server proven, or not made. A Unix socket (the server on the same machine) needs no TLS.

use super::StoreError;
use std::path::Path;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

#[derive(Clone)]
pub struct SiteLink {
    config: postgres::Config,
    tls: Option<MakeRustlsConnect>,
}

/// Whether the settings reach the server over the network (not only by its socket).
pub fn over_network(config: &postgres::Config) -> bool {
    config.get_hosts().iter().any(|h| matches!(h, postgres::config::Host::Tcp(_)))
}

fn unusable(ca_file: &Path, problem: String, fix: &str) -> StoreError {
    StoreError::Unusable { path: ca_file.to_path_buf(), problem, fix: fix.into() }
}

/// A TLS client that trusts the certificates in `ca_file` (PEM) and nothing else.
fn client(ca_file: &Path) -> Result<MakeRustlsConnect, StoreError> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let fix = "give [site] ca_file the site's certificate authority (ca.crt, made with the server's \
               certificate: docs/SITE.md)";
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(ca_file)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .map_err(|e| unusable(ca_file, format!("its certificates cannot be read ({e})"), fix))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in certs {
        roots.add(cert).map_err(|e| unusable(ca_file, format!("a certificate in it is not usable ({e})"), fix))?;
    }
    if roots.is_empty() {
        return Err(unusable(ca_file, "it holds no certificate".into(), fix));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| unusable(ca_file, e.to_string(), fix))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

impl SiteLink {
    /// The link `conninfo` names; over the network, TLS checked against `ca_file`, which
    /// it then needs.
    pub fn new(conninfo: &str, ca_file: Option<&Path>) -> Result<SiteLink, StoreError> {
        let mut config: postgres::Config = conninfo.parse()?;
        // A server gone from the network must not hold a visitor's ticket for minutes (the
        // system's TCP timeouts): the kiosk gives up after seconds and numbers the ticket in
        // its local series ([site] local_series) instead. The site's own settings win.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(4));
        }
        config.tcp_user_timeout(std::time::Duration::from_secs(8));
        config.keepalives_idle(std::time::Duration::from_secs(30));
        let tls = match ca_file {
            Some(file) => {
                config.ssl_mode(postgres::config::SslMode::Require);
                Some(client(file)?)
            }
            None if over_network(&config) => {
                return Err(StoreError::Unusable {
                    path: "guichet.toml".into(),
                    problem: "[site] database reaches the server over the network without TLS".into(),
                    fix: "add ca_file = \"/etc/guichet/site-ca.crt\" to [site] (docs/SITE.md)".into(),
                })
            }
            None => None,
        };
        Ok(SiteLink { config, tls })
    }

    pub fn connect(&self) -> Result<postgres::Client, StoreError> {
        Ok(match &self.tls {
            Some(tls) => self.config.connect(tls.clone())?,
            None => self.config.connect(postgres::NoTls)?,
        })
    }
}
