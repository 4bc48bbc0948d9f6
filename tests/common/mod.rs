//! Helpers shared by the UI tests: a kiosk on the Slint testing backend with a
//! recording speaker, a folder printer and a temporary database.
#![allow(dead_code)]

pub mod capture;
pub mod displays;
pub mod soak;

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
use slint::platform::{PointerEventButton, WindowEvent};
use slint::{ComponentHandle, LogicalPosition};
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

/// A kiosk on the reference 10.1" display.
pub fn rig() -> Rig {
    rig_at(guichet::config::Display::default().px_per_mm())
}

/// A rig for a display of this many logical pixels per millimetre.
pub fn rig_at(px_per_mm: f32) -> Rig {
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
            // The follow page on, as an office that offers it: the ticket shows both codes.
            follow_base: Some("http://kiosk.test:8081".into()),
        },
        idle: POLICY,
        px_per_mm,
        health: Default::default(),
    })
    .unwrap();
    kiosk.window().window().set_size(slint::LogicalSize::new(1280.0, 800.0));
    kiosk.window().show().unwrap();
    let rig = Rig { kiosk, store, catalogue, transcript, dir };
    rig.settle();
    rig
}

/// A shown Slint window holds its component until it is hidden: without this, every
/// check's kiosk stayed alive to the end of the process (about 290 kB each), and the
/// testing backend walks every live window's tree at each `mock_elapsed_time`, so later
/// checks ran slower (docs/RELIABILITY.md, `soak_kiosks`).
impl Drop for Rig {
    fn drop(&mut self) {
        let _ = self.app().hide();
    }
}

impl Rig {
    pub fn app(&self) -> &AppWindow {
        self.kiosk.window()
    }

    /// Runs what worker threads queued for the UI thread, then brings the element tree
    /// up to date as a frame would (the active screen is built and says itself).
    /// The loop runs until this call's own marker is reached: hiding a kiosk's window
    /// (every `Rig`'s drop) leaves a request to quit in the queue, and each one stopped a
    /// later pump before the work queued after it, so every ticket waited one more pump
    /// for each kiosk made before it (5 ms each: 10 s after 2,000 kiosks).
    pub fn pump(&self) {
        let reached = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mark = reached.clone();
        slint::invoke_from_event_loop(move || {
            mark.store(true, std::sync::atomic::Ordering::SeqCst);
            let _ = slint::quit_event_loop();
        })
        .unwrap();
        while !reached.load(std::sync::atomic::Ordering::SeqCst) {
            slint::run_event_loop().unwrap();
        }
        self.settle();
    }

    /// Visits the element tree, which instantiates the screens shown (no renderer here).
    pub fn settle(&self) {
        let _ = self.buttons();
        // Runs pending timers and `changed` handlers, as the event loop does before a frame.
        i_slint_backend_testing::mock_elapsed_time(Duration::ZERO);
        let _ = self.buttons();
    }

    /// Pumps until `cond` holds (worker results arrive asynchronously). Up to 10 s: the
    /// ticket's durable commit on a machine busy with builds took more than 2 s.
    pub fn pump_until(&self, what: &str, cond: impl Fn(&Rig) -> bool) {
        for _ in 0..2000 {
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

    /// Presses and lifts a finger at this point of the window, as a touch screen reports
    /// it: the press, a frame (timers, `changed` handlers, the element tree brought up to
    /// date), then the release at the same point. Whatever is drawn on top there gets it.
    pub fn press_at(&self, position: LogicalPosition) {
        let window = self.app().window();
        window.dispatch_event(WindowEvent::PointerMoved { position });
        window.dispatch_event(WindowEvent::PointerPressed { position, button: PointerEventButton::Left });
        self.settle();
        window.dispatch_event(WindowEvent::PointerReleased { position, button: PointerEventButton::Left });
        window.dispatch_event(WindowEvent::PointerExited);
        self.pump();
    }

    /// The centre of the element labelled `label` that is on screen now, if any.
    pub fn centre_of(&self, label: &str) -> Option<LogicalPosition> {
        let size = self.app().window().size().to_logical(self.app().window().scale_factor());
        self.find(label).iter().find_map(|e| {
            let (p, s) = (e.absolute_position(), e.size());
            let c = LogicalPosition::new(p.x + s.width / 2.0, p.y + s.height / 2.0);
            let inside = s.width > 0.0 && s.height > 0.0 && c.x >= 0.0 && c.y >= 0.0;
            (inside && c.x < size.width && c.y < size.height).then_some(c)
        })
    }

    /// Touches the button with this accessible label, with a finger at its centre (a
    /// button that is covered, misplaced or rebuilt mid-press does not get the touch);
    /// turns the pages ("Autres choix", "Lire la suite") to reach it, as a visitor would.
    pub fn tap(&self, label: &str) {
        for attempt in 0..12 {
            if self.centre_of(label).is_some() {
                break;
            }
            let code = self.app().global::<guichet::ui::KioskApi>().get_lang().to_string();
            let lang = Lang::ALL.into_iter().find(|l| l.code() == code).unwrap_or(Lang::Fr);
            let mut pagers = self.find(&ui_tr(lang, "Autres choix"));
            pagers.extend(self.find(&ui_tr(lang, "Lire la suite")));
            // The language list's page button is named by the languages it leads to.
            if pagers.is_empty() {
                pagers = self.page_buttons();
            }
            let Some(pager) = pagers.get(pagers.len().saturating_sub(1 + attempt % pagers.len().max(1))) else { break };
            let (p, s) = (pager.absolute_position(), pager.size());
            self.press_at(LogicalPosition::new(p.x + s.width / 2.0, p.y + s.height / 2.0));
        }
        let Some(centre) = self.centre_of(label) else {
            panic!("no element labelled {label:?} on screen; buttons here: {:?}", self.buttons());
        };
        self.press_at(centre);
    }

    /// Buttons whose description is a page number ("Page 1 sur 3", "1 з 3"): the page
    /// buttons, whatever their names.
    pub fn page_buttons(&self) -> Vec<ElementHandle> {
        i_slint_backend_testing::ElementQuery::from_root(self.app())
            .match_accessible_role(i_slint_backend_testing::AccessibleRole::Button)
            .find_all()
            .into_iter()
            .filter(|b| {
                b.accessible_description()
                    .is_some_and(|d| d.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).count() == 2)
            })
            .collect()
    }

    /// Texts cut on screen now (a fresh count: see `Kiosk::recount_clipped`).
    pub fn cut_texts(&self) -> Vec<String> {
        self.kiosk.recount_clipped();
        self.settle();
        self.kiosk.clipped_texts()
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
        // A ceiling, not a budget: returns as soon as it is heard (a loaded 2-core
        // machine running both UI processes may take a while to schedule speech).
        self.transcript.wait_for(Duration::from_secs(10), |h| {
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
    let map = guichet::core::po::parse_forms(&text).unwrap();
    map.get(french).and_then(|forms| forms.first().cloned()).unwrap_or_else(|| french.to_string())
}
