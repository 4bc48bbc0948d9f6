//! The kiosk's end of a call for help: "Appeler quelqu'un" sends the call through the
//! store (which tells every staff console), a listener thread waits for a staff member's
//! answer and wakes the UI, and the end of the visit withdraws a call nobody answered.

use super::Done;
use crate::core::help::screen_label;
use crate::core::journey::Screen;
use crate::store::{DomainEvent, Store};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

pub(super) struct HelpLine {
    store: Store,
    kiosk: String,
}

impl HelpLine {
    /// Starts listening for answers to this kiosk's calls.
    pub(super) fn new(store: Store, kiosk: String, notify: Arc<dyn Fn(Done) + Send + Sync>) -> HelpLine {
        let mut events = store.subscribe();
        let me = kiosk.clone();
        let spawned = std::thread::Builder::new().name("help".into()).spawn(move || loop {
            match events.blocking_recv() {
                Ok(DomainEvent::HelpAnswered { kiosk, .. }) if kiosk == me => notify(Done::HelpComing),
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            }
        });
        if let Err(e) = spawned {
            eprintln!("guichet: cannot listen for help answers: {e}");
        }
        HelpLine { store, kiosk }
    }

    /// Sends the call (never waits: the store thread takes it from here).
    pub(super) fn call(&self, screen: Screen) {
        drop(self.store.call_help(self.kiosk.clone(), screen_label(screen).to_string()));
    }

    /// The visit ended: a call still open is withdrawn.
    pub(super) fn cancel(&self) {
        self.store.cancel_help(self.kiosk.clone());
    }
}
