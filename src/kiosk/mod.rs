//! The kiosk adapter: wires the Slint window to the journey (core), the store, speech
//! and the printer. Runs on the UI thread; slow work goes to the "issuer" thread and
//! comes back through the `worker-done` callback.

mod direct;
pub mod focus;
pub mod fonts;
pub mod headless;
mod help;
mod issuer;
pub mod measure;
mod paging;
pub mod rest;
pub mod staff;
pub mod ticket;
mod view;
mod wiring;

pub use view::{cap_ratio, font_for};

use crate::core::catalogue::Catalogue;
use crate::core::journey::{Effect, Event, IdlePolicy, Journey, Screen, TicketRequest};
use crate::core::lang::Lang;
use crate::hardware::keys::Key;
use crate::hardware::printer::TicketPrinter;
use crate::health::{Health, SpeechHealth};
use crate::speech::{SpeakerFactory, SpeechHandle, Voice, DEFAULT_VOLUME, VOLUME_STEPS};
use crate::store::Store;
use crate::ui::{AppWindow, HelpState, KioskApi, PrintState, Theme};
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{mpsc, Arc};
use std::time::Duration;
use ticket::{IssueContext, TicketView};

/// Everything the kiosk needs from the outside.
pub struct KioskServices {
    pub store: Store,
    pub catalogue: Arc<Catalogue>,
    pub speaker: SpeakerFactory,
    /// `None`: no printer configured (the ticket screen says nothing about paper).
    pub printer: Option<Box<dyn TicketPrinter>>,
    pub issue: IssueContext,
    pub idle: IdlePolicy,
    /// Logical pixels per millimetre of the display (sets the 20 mm targets).
    pub px_per_mm: f32,
    /// Where the kiosk reports its printer, speech and errors (the staff console reads it).
    pub health: Health,
}

pub(crate) enum Done {
    /// The ticket, and whether a printer will try to print it.
    Issued(Box<TicketView>, bool),
    Failed,
    Printed(bool),
    SpeechLost,
    /// A staff member answered this kiosk's call for help.
    HelpComing,
}

struct State {
    journey: Journey,
    icons: view::Icons,
    voice: Voice,
    ticket: Option<TicketView>,
    /// The screen last pushed to the UI.
    shown: Option<Screen>,
}

struct Inner {
    window: slint::Weak<AppWindow>,
    cat: Arc<Catalogue>,
    state: RefCell<State>,
    speech: SpeechHandle,
    jobs: mpsc::Sender<TicketRequest>,
    done: mpsc::Receiver<Done>,
    ticker: Timer,
    /// Started when the attract screen comes back: hands back unused memory (rest.rs).
    rest: Timer,
    /// How long the attract screen stays still before that; `None`: never (tests).
    rest_after: std::cell::Cell<Option<Duration>>,
    help: help::HelpLine,
    /// Button texts that do not fit, counted per text (layout may clip for a moment
    /// while a screen is being built; what counts is what stays clipped).
    clipped: RefCell<std::collections::HashMap<String, i32>>,
}

/// The running kiosk UI.
pub struct Kiosk {
    window: AppWindow,
    inner: Rc<Inner>,
}

impl Kiosk {
    pub fn new(services: KioskServices) -> Result<Kiosk, slint::PlatformError> {
        let window = AppWindow::new()?;
        let KioskServices { store, catalogue, speaker, printer, issue, idle, px_per_mm, health } = services;
        let (done_tx, done_rx) = mpsc::channel();
        let notify = notifier(window.as_weak(), done_tx.clone());
        let speech_notify = notify.clone();
        let speech_health = health.clone();
        health.speech(SpeechHealth::Working);
        let speech = SpeechHandle::spawn(
            speaker,
            Box::new(move |e| {
                eprintln!("guichet: speech unavailable, text only: {e}");
                speech_health.speech(SpeechHealth::Lost(e.to_string()));
                speech_health.error(format!("synthèse vocale : {e}"));
                speech_notify(Done::SpeechLost);
            }),
        );
        let help = help::HelpLine::new(store.clone(), issue.site_name.clone(), notify.clone());
        let jobs = issuer::spawn(issuer::Issuer { store, cat: catalogue.clone(), ctx: issue, printer, health }, notify);
        let inner = Rc::new(Inner {
            window: window.as_weak(),
            cat: catalogue,
            state: RefCell::new(State {
                journey: Journey::new(idle),
                icons: view::Icons::default(),
                voice: Voice::default(),
                ticket: None,
                shown: None,
            }),
            speech,
            jobs,
            done: done_rx,
            ticker: Timer::default(),
            rest: Timer::default(),
            rest_after: std::cell::Cell::new(None),
            help,
            clipped: RefCell::default(),
        });
        window.global::<Theme>().set_mm(px_per_mm);
        window.global::<KioskApi>().set_volume_steps(VOLUME_STEPS as i32);
        window.global::<KioskApi>().set_version(env!("CARGO_PKG_VERSION").into());
        wiring::wire(&window, &inner);
        paging::wire(&window);
        let kiosk = Kiosk { window, inner };
        kiosk.inner.reset_visit();
        // The first screen was built before `say` had a handler: have it speak now.
        kiosk.inner.with_api(|api| api.set_repeat_count(api.get_repeat_count() + 1));
        Ok(kiosk)
    }

    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// What the staff panel shows about the console (`None`: none runs in this process).
    pub fn set_console(&self, info: Option<&staff::ConsoleInfo>) {
        staff::show(&self.window.global::<KioskApi>(), info);
    }

    /// The console could not start because another program holds `port`: the staff
    /// panel says so and names the setting to change (`None`: no such fault).
    pub fn set_console_port_taken(&self, port: Option<u16>) {
        let text = port.map(|p| p.to_string()).unwrap_or_default();
        self.window.global::<KioskApi>().set_console_fault(text.into());
    }

    /// Once the attract screen has stayed `after` (now, and after every visit), the kiosk
    /// hands back the memory it is not using (rest.rs).
    pub fn rest_when_idle(&self, after: Duration) {
        self.inner.rest_after.set(Some(after));
        self.inner.update_ticker();
    }

    /// Feeds one journey event, as a visitor action would.
    pub fn handle(&self, event: Event) {
        self.inner.handle(event);
    }

    /// Starts a fresh count of cut texts: every check still cut reports again at the
    /// next frame (run timers and `changed` handlers, or render, before `clipped_texts`).
    pub fn recount_clipped(&self) {
        self.inner.clipped.borrow_mut().clear();
        self.inner.with_api(|api| api.set_fit_epoch(api.get_fit_epoch().wrapping_add(1)));
    }

    /// Button texts that do not fit their box now.
    pub fn clipped_texts(&self) -> Vec<String> {
        let mut v: Vec<String> =
            self.inner.clipped.borrow().iter().filter(|(_, n)| **n > 0).map(|(t, _)| t.clone()).collect();
        v.sort();
        v
    }

    /// Applies results sent back by worker threads (also called by the `worker-done` callback).
    pub fn process_worker_results(&self) {
        self.inner.drain();
    }
}

/// A keypad key was pressed: the window gets the keyboard key it stands for, so the
/// keypad, a USB keypad and a keyboard do the same things.
pub fn press(window: &AppWindow, key: Key) {
    focus::type_key(window, focus::key_text(key));
}

/// Someone stepped up to the kiosk (presence sensor): on the welcome screen, with no
/// panel open, it says its welcome again, so a visitor who cannot see learns it speaks.
pub fn wake(window: &AppWindow) {
    let api = window.global::<KioskApi>();
    if api.get_screen() == crate::ui::Screen::Attract && !api.get_panel_open() {
        api.set_repeat_count(api.get_repeat_count() + 1);
    }
}

/// A sender of results that also wakes the UI thread.
fn notifier(window: slint::Weak<AppWindow>, tx: mpsc::Sender<Done>) -> Arc<dyn Fn(Done) + Send + Sync> {
    let tx = std::sync::Mutex::new(tx);
    Arc::new(move |d| {
        if let Ok(tx) = tx.lock() {
            let _ = tx.send(d);
        }
        let _ = window.upgrade_in_event_loop(|w| w.global::<KioskApi>().invoke_worker_done());
    })
}

impl Inner {
    fn with_api(&self, f: impl FnOnce(&KioskApi<'_>)) {
        if let Some(w) = self.window.upgrade() {
            f(&w.global::<KioskApi>());
        }
    }

    fn with_theme(&self, f: impl FnOnce(&Theme<'_>)) {
        if let Some(w) = self.window.upgrade() {
            f(&w.global::<Theme>());
        }
    }

    fn set_language(&self, lang: Lang) {
        if let Some(w) = self.window.upgrade() {
            view::apply_language(&w, lang);
        }
        self.state.borrow_mut().voice.lang = lang;
    }

    fn refresh(&self) {
        let Some(w) = self.window.upgrade() else { return };
        let mut st = self.state.borrow_mut();
        let st = &mut *st;
        let screen = Some(st.journey.screen());
        if st.shown != screen {
            // The old screen's buttons are gone with it.
            self.clipped.borrow_mut().clear();
            st.shown = screen;
        }
        view::refresh(&w, &st.journey, &self.cat, &mut st.icons);
    }

    fn handle(self: &Rc<Self>, event: Event) {
        let effects = {
            let mut st = self.state.borrow_mut();
            st.journey.handle(event, &self.cat)
        };
        for effect in effects {
            match effect {
                Effect::IssueTicket(req) => {
                    if self.jobs.send(req).is_err() {
                        self.on_done(Done::Failed);
                    }
                }
                Effect::Reset => self.reset_visit(),
            }
        }
        self.refresh();
        self.update_ticker();
    }

    /// Runs the one-second inactivity tick only during a visit (idle CPU stays at zero).
    fn update_ticker(self: &Rc<Self>) {
        let visiting = self.state.borrow().journey.screen() != Screen::Attract;
        if visiting && !self.ticker.running() {
            let weak = Rc::downgrade(self);
            self.ticker.start(TimerMode::Repeated, Duration::from_secs(1), move || {
                if let Some(me) = weak.upgrade() {
                    me.handle(Event::Tick);
                }
            });
        } else if !visiting {
            self.ticker.stop();
        }
        match (visiting, self.rest_after.get()) {
            (false, Some(after)) if !self.rest.running() => {
                self.rest.start(TimerMode::SingleShot, after, || {
                    // Reading smaps and unmapping take a few milliseconds: not on the UI thread.
                    let _ = std::thread::Builder::new().name("rest".into()).spawn(rest::hand_back);
                });
            }
            (true, _) => self.rest.stop(),
            _ => {}
        }
    }

    /// Everything back to the defaults: nothing of this visit stays visible.
    fn reset_visit(&self) {
        {
            let mut st = self.state.borrow_mut();
            st.voice = Voice::default();
            st.ticket = None;
        }
        self.set_language(Lang::Fr);
        if let Some(w) = self.window.upgrade() {
            let theme = w.global::<Theme>();
            theme.set_contrast(false);
            theme.set_large(false);
            let api = w.global::<KioskApi>();
            api.set_settings_open(false);
            api.set_staff_open(false);
            api.set_speech_first(false);
            api.set_armed(Default::default());
            // The next visitor may not use keys: no focus ring until a key is pressed.
            api.set_keys_in_use(false);
            api.set_volume(DEFAULT_VOLUME as i32);
            api.set_slow_speech(false);
            if api.get_help_state() != HelpState::None {
                self.help.cancel();
                api.set_help_state(HelpState::None);
            }
            view::show_ticket(&w, None);
        }
    }

    fn drain(self: &Rc<Self>) {
        while let Ok(done) = self.done.try_recv() {
            self.on_done(done);
        }
    }

    fn on_done(self: &Rc<Self>, done: Done) {
        match done {
            Done::Issued(view, printing) => {
                if let Some(w) = self.window.upgrade() {
                    view::show_ticket(&w, Some(&view));
                    w.global::<KioskApi>().set_print_state(if printing {
                        PrintState::Printing
                    } else {
                        PrintState::None
                    });
                }
                self.state.borrow_mut().ticket = Some(*view);
                self.handle(Event::TicketIssued);
            }
            Done::Failed => self.handle(Event::TicketFailed),
            Done::Printed(ok) => {
                let has_ticket = self.state.borrow().ticket.is_some();
                if has_ticket {
                    self.with_api(|api| api.set_print_state(if ok { PrintState::Printed } else { PrintState::Failed }));
                }
            }
            Done::SpeechLost => self.with_api(|api| api.set_speech_available(false)),
            Done::HelpComing => {
                let called =
                    self.window.upgrade().is_some_and(|w| w.global::<KioskApi>().get_help_state() == HelpState::Called);
                if called {
                    self.with_api(|api| api.set_help_state(HelpState::Coming));
                    // The visitor sees and hears it even if they closed the help screen.
                    self.handle(Event::Help(true));
                }
            }
        }
    }
}
