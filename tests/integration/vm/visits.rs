//! Visits in a hurry, for the stages that need several tickets: the keys to start, then the
//! pointer, each screen waited for on the panel but not listened to (the first visit of the
//! test hears every screen); what the panel says read back by OCR.

use super::machine::wait;
use super::steps::Kiosk;
use super::words;
use crate::xwd::Capture;
use guichet::core::journey::Screen;
use guichet::core::lang::Lang;
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);

impl Kiosk<'_> {
    /// The pointer on `label`, and the same press in-process; the panel once settled.
    pub fn click(&self, label: &str) -> Capture {
        let before = self.m.screen();
        let c = self.centre(label);
        self.m.click(c.x, c.y);
        self.rig.press_at(c);
        self.settled(&before)
    }

    /// From the welcome screen to the summary's last page, where "Prendre mon ticket" is.
    pub fn to_summary(&self) {
        self.rig.kiosk.show(Screen::Attract, Lang::Fr);
        self.rig.settle();
        self.start_by_keys();
        let cat = self.rig.catalogue.clone();
        let theme = &cat.themes[0];
        let (procedure, priority) = (theme.procedures[0].title.as_str(), cat.priority[0].label.as_str());
        for label in ["Français", theme.title.as_str(), procedure, "Continuer", priority] {
            self.click(label);
        }
        for _ in 0..8 {
            if self.rig.centre_of("Prendre mon ticket").is_some() {
                return;
            }
            self.click("Lire la suite");
        }
        panic!("no \"Prendre mon ticket\" on the summary: {:?}", self.rig.buttons());
    }

    /// Waits (60 s at most) until the panel says `phrase`; what it says last.
    pub fn reads(&self, phrase: &str, name: &str) -> (bool, String) {
        let started = Instant::now();
        loop {
            let text = words::read(&self.m.screen(), &self.m.dir, name);
            if words::holds(&text, phrase) || started.elapsed() > MINUTE {
                return (words::holds(&text, phrase), text);
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// A visit to the end: the number the ticket screen shows, which is the ticket that
    /// just appeared in the database; back on the welcome screen.
    pub fn quick_visit(&self) -> String {
        self.to_summary();
        let before = self.tickets();
        let c = self.centre("Prendre mon ticket");
        self.m.click(c.x, c.y);
        let mut after = Vec::new();
        let saved = wait(MINUTE, || {
            after = self.tickets();
            after.len() > before.len()
        });
        assert!(saved, "no ticket saved ({} before)", before.len());
        let number = after.pop().unwrap_or_default();
        let (shown, text) = self.reads(&number, "panel-ticket");
        assert!(shown, "the ticket screen does not show {number}: {text:?}");
        // The in-process kiosk issues its own ticket on its storage thread.
        self.rig.press_at(c);
        self.rig.pump_until("the ticket screen", |r| r.centre_of("J'ai fini").is_some());
        self.click("J'ai fini");
        number
    }
}
