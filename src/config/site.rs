//! `[site]`: the site's shared queue on PostgreSQL, for a site with several kiosks or
//! desks in separate processes (two kiosks, a kiosk and a console on a desk's PC). Without
//! it (the default) the kiosk keeps its queue in its own SQLite file.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSection {
    /// The site's database, as libpq's connection settings
    /// (`host=192.168.1.10 dbname=guichet user=kiosk_entree password=…`) or a
    /// `postgresql://` address. Empty: this kiosk's own SQLite file.
    pub database: String,
    /// The site's certificate authority (PEM, `guichet site-cert` makes it): over the
    /// network the link is TLS, and the server must prove itself with a certificate it signed.
    pub ca_file: Option<std::path::PathBuf>,
    /// This kiosk's own series while the site's database cannot be reached (one or two
    /// capital letters, different on each kiosk of the site: "E" numbers "EA-001"); its
    /// tickets join the site's queue when the link is back. Without it, a kiosk cannot
    /// give tickets while the site is away.
    pub local_series: Option<String>,
}

impl SiteSection {
    /// The site's connection settings, when the queue is shared.
    pub fn database(&self) -> Option<&str> {
        Some(self.database.trim()).filter(|d| !d.is_empty())
    }
}

/// A mistake in `[site]`: (the key, what is wrong, what to write instead).
pub fn check_site(site: &SiteSection) -> Result<(), (&'static str, String, String)> {
    if let Some(series) = &site.local_series {
        let letters = series.chars().all(|c| c.is_ascii_uppercase());
        if !(1..=2).contains(&series.chars().count()) || !letters {
            return Err((
                "local_series",
                format!("[site] local_series is \"{series}\": a series is one or two capital letters"),
                "write local_series = \"E\" (a letter no other kiosk of the site uses; its tickets read EA-001)".into(),
            ));
        }
    }
    let Some(database) = site.database() else { return Ok(()) };
    let parsed: Result<postgres::Config, _> = database.parse();
    match parsed {
        Err(e) => Err((
            "database",
            format!("[site] database cannot be read as PostgreSQL's connection settings ({e})"),
            "write database = \"host=192.168.1.10 dbname=guichet user=kiosk_entree password=...\" (the site \
             server's address, the database and this kiosk's role), or remove it to keep the queue on this kiosk"
                .into(),
        )),
        Ok(c) if c.get_hosts().is_empty() || c.get_dbname().is_none() || c.get_user().is_none() => Err((
            "database",
            "[site] database must name the server (host), the database (dbname) and this kiosk's role (user)".into(),
            "write database = \"host=192.168.1.10 dbname=guichet user=kiosk_entree password=...\"".into(),
        )),
        Ok(c) if crate::store::link::over_network(&c) && site.ca_file.is_none() => Err((
            "database",
            "[site] database reaches the server over the network: the link must be encrypted".into(),
            "add ca_file = \"/etc/guichet/site-ca.crt\" to [site], the site's authority made with the \
             server's certificate (guichet site-cert; docs/SITE.md)"
                .into(),
        )),
        Ok(_) => Ok(()),
    }
}

/// `[network]`: the network's PostgreSQL (a département's France Services, a network of
/// CCAS) where this site sends its anonymous daily figures, and from where
/// `guichet report --network` reads every site's.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkSection {
    /// The network's database, as libpq's connection settings. Empty: nothing is sent.
    pub database: String,
    /// The network's certificate authority (PEM), as `[site] ca_file`.
    pub ca_file: Option<std::path::PathBuf>,
    /// This site's name in the network's figures (the same on every kiosk of the site);
    /// empty: `site_name`.
    pub site: String,
}

impl NetworkSection {
    pub fn database(&self) -> Option<&str> {
        Some(self.database.trim()).filter(|d| !d.is_empty())
    }
}

/// A mistake in `[network]`: (the key, what is wrong, what to write instead).
pub fn check_network(network: &NetworkSection) -> Result<(), (&'static str, String, String)> {
    let Some(database) = network.database() else { return Ok(()) };
    let example = "write database = \"host=10.0.0.5 dbname=reseau user=fs_murat password=...\" (the network \
                   server, its database and this site's role), or remove [network]";
    match database.parse::<postgres::Config>() {
        Err(e) => Err((
            "database",
            format!("[network] database cannot be read as PostgreSQL's connection settings ({e})"),
            example.into(),
        )),
        Ok(c) if c.get_hosts().is_empty() || c.get_dbname().is_none() || c.get_user().is_none() => Err((
            "database",
            "[network] database must name the server (host), the database (dbname) and the role (user)".into(),
            example.into(),
        )),
        Ok(c) if crate::store::link::over_network(&c) && network.ca_file.is_none() => Err((
            "database",
            "[network] database reaches the server over the network: the link must be encrypted".into(),
            "add ca_file = \"/etc/guichet/network-ca.crt\" to [network], the authority that signed the network \
             server's certificate (docs/SITE.md)"
                .into(),
        )),
        Ok(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    #[test]
    fn the_queue_stays_on_the_kiosk_unless_a_site_database_is_given() {
        assert_eq!(Config::parse("", "g.toml").unwrap().site.database(), None);
        let text =
            "[site]\ndatabase = \"host=10.0.0.2 dbname=guichet user=kiosk_a\"\nca_file = \"/etc/guichet/ca.crt\"\n";
        let c = Config::parse(text, "g.toml").unwrap();
        assert_eq!(c.site.database(), Some("host=10.0.0.2 dbname=guichet user=kiosk_a"));
        let socket = "[site]\ndatabase = \"host=/run/postgresql dbname=guichet user=kiosk_a\"\n";
        assert!(Config::parse(socket, "g.toml").unwrap().site.database().is_some(), "no TLS on the same machine");
    }

    #[test]
    fn a_network_needs_its_server_database_and_role_and_tls_over_the_network() {
        assert_eq!(Config::parse("", "g.toml").unwrap().network.database(), None);
        let ok = "[network]\ndatabase = \"host=10.0.0.5 dbname=reseau user=fs_murat\"\nca_file = \"/etc/ca.crt\"\nsite = \"Murat\"\n";
        assert_eq!(Config::parse(ok, "g.toml").unwrap().network.site, "Murat");
        let e =
            Config::parse("[network]\n\ndatabase = \"host=10.0.0.5 dbname=reseau user=a\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.fix.contains("ca_file"), "{e}");
        let e = Config::parse("[network]\ndatabase = \"host=10.0.0.5\"\n", "g.toml").unwrap_err();
        assert!(e.problem.contains("dbname"), "{e}");
    }

    #[test]
    fn a_local_series_is_one_or_two_capital_letters() {
        let ok = Config::parse("[site]\nlocal_series = \"E\"\n", "g.toml").unwrap();
        assert_eq!(ok.site.local_series.as_deref(), Some("E"));
        for bad in ["e", "E1", "ABC", ""] {
            let e = Config::parse(&format!("[site]\n\nlocal_series = \"{bad}\"\n"), "g.toml").unwrap_err();
            assert_eq!(e.line, 3, "{e}");
            assert!(e.fix.contains("local_series = \"E\""), "{e}");
        }
    }

    #[test]
    fn a_database_setting_that_cannot_be_used_names_its_line_and_the_fix() {
        let e =
            Config::parse("site_name = \"x\"\n[site]\ndatabase = \"host=10.0.0.2 dbname\"\n", "g.toml").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("g.toml", 3), "{e}");
        assert!(e.fix.contains("dbname=guichet"), "{e}");
        let e = Config::parse("[site]\ndatabase = \"host=10.0.0.2\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.problem.contains("dbname"), "{e}");
        let url = "[site]\n\ndatabase = \"postgresql://kiosk_a@10.0.0.2/guichet\"\n";
        let e = Config::parse(url, "g.toml").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.fix.contains("ca_file"), "{e}");
    }
}
