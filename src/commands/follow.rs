//! Starts "Suivre mon tour" (`[follow]`) beside the kiosk or `guichet serve`. Its port
//! taken or its address wrong: the kiosk runs on without it, says so in the journal and
//! to staff (État de la borne), and tickets carry no follow link.

use super::Site;
use crate::core::follow::Office;
use crate::follow::{self, Follow, FollowConfig, FollowServer};
use crate::health::Health;
use crate::store::Store;

impl Site {
    /// What a ticket's "Suivre mon tour" link starts with (`None`: the page is off).
    pub fn follow_base(&self) -> Option<String> {
        self.config.follow.base_url()
    }

    /// The follow page as configured (not started).
    pub fn follow(&self, store: Store) -> Follow {
        let q = &self.config.queue;
        let config = FollowConfig {
            site_name: self.config.site_name.clone(),
            office: Office { minutes_per_visit: q.minutes_per_visit, desks: q.desks },
        };
        Follow::new(store, config)
    }
}

/// Starts the page when `[follow] enabled`; `None` when off or when it cannot start.
pub(super) fn start(site: &Site, store: Store, health: Option<&Health>) -> Option<FollowServer> {
    let section = &site.config.follow;
    if !section.enabled {
        return None;
    }
    let started = section
        .bind
        .parse()
        .map_err(|_| std::io::Error::other(format!("\"{}\" is not an address:port", section.bind)))
        .and_then(|addr| follow::spawn(site.follow(store), addr));
    match started {
        Ok(server) => {
            println!("follow page: http://{} (phones open {})", server.addr, section.public_url);
            Some(server)
        }
        Err(e) => {
            eprintln!(
                "guichet: the follow page cannot listen on {}: {e}; fix: free the port or change [follow] bind \
                 (and public_url) in guichet.toml, then restart guichet",
                section.bind
            );
            if let Some(health) = health {
                health.fault(
                    "follow",
                    format!(
                        "la page « Suivre mon tour » ne peut pas écouter sur {} ({e}) : libérez le port ou changez \
                         [follow] bind (et public_url) dans guichet.toml, puis redémarrez la borne",
                        section.bind
                    ),
                );
            }
            None
        }
    }
}
