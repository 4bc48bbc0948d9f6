//! `guichet kiosk` when a part is wrong at start: it keeps serving visitors and says what
//! is wrong, with what to do, to staff (the console's "État de la borne" and banners, the
//! kiosk's staff panel, the status LED) and in the journal (stderr). A restart loop under
//! systemd would leave visitors with a black screen instead.

use super::Site;
use crate::core::catalogue::Catalogue;
use crate::health::Health;
use crate::kiosk::staff::ConsoleInfo;
use crate::staff::ServerHandle;
use crate::store::Store;
use std::sync::Arc;

/// The site's catalogue, or the built-in one when the site's folder has a mistake (the
/// error names file, line and fix; `guichet check-config` still refuses it).
pub(super) fn catalogue(site: &Site, health: Option<&Health>) -> anyhow::Result<Arc<Catalogue>> {
    let e = match site.catalogue() {
        Ok(catalogue) => return Ok(catalogue),
        Err(e) => e,
    };
    let Some(dir) = site.config.catalogue_dir.as_deref() else { return Err(e) };
    let dir = dir.display();
    eprintln!(
        "guichet: the site's catalogue in {dir} has a mistake; the kiosk uses the built-in catalogue \
         until it is fixed (guichet check-config shows it again):\n{e:#}"
    );
    if let Some(health) = health {
        health.fault(
            "catalogue",
            format!(
                "le catalogue du site ({dir}) a une erreur : la borne propose le catalogue intégré. \
                 Corrigez le fichier, vérifiez avec « guichet check-config », puis redémarrez la borne. {e:#}"
            ),
        );
    }
    Ok(Arc::new(crate::assets::load_catalogue(None)?))
}

/// The kiosk's console as it started, or what stopped it.
#[derive(Default)]
pub(super) struct ConsoleStart {
    /// Held while the kiosk runs: dropping it stops the console.
    pub _server: Option<ServerHandle>,
    /// What the staff panel shows (`None`: no console).
    pub info: Option<ConsoleInfo>,
    /// The port another program holds (the staff panel names it and the setting).
    pub taken: Option<u16>,
}

/// Starts the kiosk's console on `[console] bind`. When it cannot (its port taken, a
/// certificate that cannot be read), the kiosk runs on without it and says why.
pub(super) fn console(site: &Site, store: Store, catalogue: Arc<Catalogue>, health: &Health) -> ConsoleStart {
    let bind = &site.config.console.bind;
    let started = site.console(store, catalogue, bind).and_then(|console| {
        let info = ConsoleInfo {
            address: site.config.console.public_url.clone(),
            fingerprint: console.tls_fingerprint().map(str::to_string),
        };
        Ok((super::kiosk::start_console(console.with_health(health.clone()), bind)?, info))
    });
    let e = match started {
        Ok((server, info)) => return ConsoleStart { _server: Some(server), info: Some(info), taken: None },
        Err(e) => e,
    };
    let taken = e
        .chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::AddrInUse)
        .then(|| bind.rsplit(':').next().and_then(|p| p.parse().ok()))
        .flatten();
    let (fix, fr) = match taken {
        Some(port) => (
            format!(
                "another program holds port {port}: stop it (sudo ss -ltnp 'sport = :{port}' names it) or \
                 change [console] bind (and public_url) in guichet.toml, then restart guichet"
            ),
            format!(
                "le port {port} est pris par un autre programme. Arrêtez-le, ou changez [console] bind \
                 (et public_url) dans guichet.toml, puis redémarrez la borne"
            ),
        ),
        None => ("see the error above, then restart guichet".into(), format!("{e:#}")),
    };
    eprintln!("guichet: the staff console did not start ({e:#}); {fix}. Visitors are still served.");
    health.fault("console", format!("la console du personnel n'a pas démarré : {fr}."));
    ConsoleStart { _server: None, info: None, taken }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_catalogue_with_a_mistake_gives_way_to_the_built_in_one_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("catalogue");
        std::fs::create_dir_all(&folder).unwrap();
        let built_in = crate::assets::load_catalogue(None).unwrap();
        std::fs::write(folder.join("catalogue.toml"), "# Notre catalogue\n[[queues]\nid = \"A\"\n").unwrap();
        let config = dir.path().join("guichet.toml");
        std::fs::write(&config, format!("catalogue_dir = \"{}\"\n", folder.display())).unwrap();
        let site = Site::open(&dir.path().join("data"), Some(&config)).unwrap();
        assert!(site.catalogue().is_err(), "check-config and doctor still refuse it");
        let health = Health::new();
        let catalogue = catalogue(&site, Some(&health)).expect("the built-in catalogue");
        assert_eq!(catalogue.themes.len(), built_in.themes.len());
        let faults = health.snapshot().faults;
        assert_eq!(faults.len(), 1);
        let what = &faults[0].problem.what;
        assert!(what.contains("catalogue.toml:2") && what.contains("catalogue intégré"), "{what}");
        assert!(what.contains("fix:") && what.contains("guichet check-config"), "{what}");
    }
}
