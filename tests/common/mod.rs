//! Helpers shared by the UI tests: a kiosk on the Slint testing backend with a
//! recording speaker, a folder printer and a temporary database.
#![allow(dead_code)]

use guichet::core::catalogue::Catalogue;
use guichet::core::journey::IdlePolicy;
use guichet::core::lang::Lang;
use guichet::hardware::printer::FolderPrinter;
use guichet::kiosk::ticket::IssueContext;
use guichet::kiosk::{Kiosk, KioskServices};
use guichet::speech::Transcript;
use guichet::store::Store;
use guichet::ui::AppWindow;
use i_slint_backend_testing::ElementHandle;
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::Duration;

pub struct Rig {
    pub kiosk: Kiosk,
    pub store: Store,
    pub catalogue: Arc<Catalogue>,
    pub transcript: Transcript,
    pub dir: tempfile::TempDir,
}

pub const POLICY: IdlePolicy = IdlePolicy { timeout: 60, warning: 25, ticket_timeout: 40 };

pub fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.sqlite")).unwrap();
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).unwrap());
    let transcript = Transcript::default();
    let kiosk = Kiosk::new(KioskServices {
        store: store.clone(),
        catalogue: catalogue.clone(),
        speaker: guichet::speech::recording(transcript.clone()),
        printer: Some(Box::new(FolderPrinter(dir.path().join("printer")))),
        issue: IssueContext {
            site_name: "Test".into(),
            public_url: "http://kiosk.test:8080".into(),
            minutes_per_visit: 15,
            desks: 2,
        },
        idle: POLICY,
        px_per_mm: 5.9,
    })
    .unwrap();
    kiosk.window().window().set_size(slint::LogicalSize::new(1280.0, 800.0));
    kiosk.window().show().unwrap();
    let rig = Rig { kiosk, store, catalogue, transcript, dir };
    rig.settle();
    rig
}

impl Rig {
    pub fn app(&self) -> &AppWindow {
        self.kiosk.window()
    }

    /// Runs what worker threads queued for the UI thread, then brings the element tree
    /// up to date as a frame would (the active screen is built and says itself).
    pub fn pump(&self) {
        slint::invoke_from_event_loop(|| {
            let _ = slint::quit_event_loop();
        })
        .unwrap();
        slint::run_event_loop().unwrap();
        self.settle();
    }

    /// Visits the element tree, which instantiates the screens shown (no renderer here).
    pub fn settle(&self) {
        let _ = self.buttons();
        // Runs pending timers and `changed` handlers, as the event loop does before a frame.
        i_slint_backend_testing::mock_elapsed_time(Duration::ZERO);
        let _ = self.buttons();
    }

    /// Pumps until `cond` holds (worker results arrive asynchronously).
    pub fn pump_until(&self, what: &str, cond: impl Fn(&Rig) -> bool) {
        for _ in 0..400 {
            self.pump();
            if cond(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("timed out waiting for {what}");
    }

    pub fn find(&self, label: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(self.app(), label).collect()
    }

    /// Activates the element with this accessible label, as a visitor's touch would;
    /// turns the pages of choice grids ("Autres choix") to reach it, as a visitor would.
    pub fn tap(&self, label: &str) {
        for attempt in 0..12 {
            if !self.find(label).is_empty() {
                break;
            }
            let pagers = self.find("Autres choix");
            let Some(pager) = pagers.get(pagers.len().saturating_sub(1 + attempt % pagers.len().max(1))) else { break };
            pager.invoke_accessible_default_action();
            self.pump();
        }
        let found = self.find(label);
        let Some(el) = found.first() else {
            panic!("no element labelled {label:?}; buttons here: {:?}", self.buttons());
        };
        el.invoke_accessible_default_action();
        self.pump();
    }

    /// Accessible labels of every button on screen.
    pub fn buttons(&self) -> Vec<String> {
        let mut labels: Vec<String> = i_slint_backend_testing::ElementQuery::from_root(self.app())
            .match_accessible_role(i_slint_backend_testing::AccessibleRole::Button)
            .find_all()
            .into_iter()
            .filter_map(|e| e.accessible_label().map(|s| s.to_string()))
            .collect();
        labels.dedup();
        labels
    }

    /// A catalogue text as the visitor sees it in `lang`.
    pub fn tr(&self, lang: Lang, french: &str) -> String {
        self.catalogue.tr(lang, french).to_string()
    }

    /// Waits until the transcript holds an utterance containing `needle`.
    pub fn heard(&self, needle: &str) -> bool {
        self.transcript.wait_for(Duration::from_secs(2), |h| {
            h.iter().any(|e| matches!(e, guichet::speech::Heard::Said { text, .. } if text.contains(needle)))
        })
    }
}

/// The UI translation of a French string, read from the bundled .po file.
pub fn ui_tr(lang: Lang, french: &str) -> String {
    if lang == Lang::Fr {
        return french.to_string();
    }
    let path = format!("{}/ui/translations/{}/LC_MESSAGES/guichet.po", env!("CARGO_MANIFEST_DIR"), lang.code());
    let text = std::fs::read_to_string(&path).unwrap();
    let map = guichet::core::po::parse(&text).unwrap();
    map.get(french).cloned().unwrap_or_else(|| french.to_string())
}
