//! The board as a Slint window (`guichet board`): on a second screen of the kiosk (its
//! database), or on a Pi of its own following the kiosk over the network (`remote`).
//! Calls are shown as they are announced; a lost link is said on the board.

use super::announcer::{self, Announcer, Hooks, Silent, Sound, Speaker};
use super::remote::{self, Heard};
use crate::hardware::watchdog;
use crate::store::{self, BoardCall, ReadPool};
use crate::ui::{BoardLine, BoardWindow};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many earlier calls the window lists.
const BEFORE: usize = 5;

/// What the board shows: the call being announced and the ones before it (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    pub current: Option<(String, String)>,
    pub before: Vec<(String, String)>,
}

impl Shown {
    /// The board as it stands after `calls` (oldest first), none being announced.
    pub fn from_calls(calls: &[BoardCall]) -> Shown {
        let mut shown = Shown::default();
        for call in calls {
            shown.push(call);
        }
        shown
    }

    /// `call` becomes the current one; the one it replaces heads the list.
    pub fn push(&mut self, call: &BoardCall) {
        if let Some(previous) = self.current.replace((call.number.clone(), call.desk.clone())) {
            self.before.insert(0, previous);
            self.before.truncate(BEFORE);
        }
    }
}

/// Puts `shown` on the window.
pub fn display(window: &BoardWindow, shown: &Shown) {
    let (number, desk) = shown.current.clone().unwrap_or_default();
    window.set_number(SharedString::from(number));
    window.set_desk(SharedString::from(desk));
    let lines: Vec<BoardLine> = shown
        .before
        .iter()
        .map(|(n, d)| BoardLine { number: SharedString::from(n.as_str()), desk: SharedString::from(d.as_str()) })
        .collect();
    window.set_before(ModelRc::new(VecModel::from(lines)));
}

/// Where the board's calls come from.
pub enum Calls {
    /// This machine's database (the kiosk's, on the same Pi).
    Local(ReadPool),
    /// A kiosk elsewhere on the network (`guichet board --follow`).
    Remote(remote::Source),
}

/// The window, from any thread: what it shows is changed on the UI thread.
#[derive(Clone)]
struct OnScreen {
    window: slint::Weak<BoardWindow>,
    shown: Arc<Mutex<Shown>>,
}

impl OnScreen {
    fn push(&self, call: BoardCall) {
        let me = self.clone();
        let _ = slint::invoke_from_event_loop(move || {
            if let (Some(window), Ok(mut shown)) = (me.window.upgrade(), me.shown.lock()) {
                shown.push(&call);
                display(&window, &shown);
            }
        });
    }

    fn offline(&self, offline: bool) {
        let _ = self.window.upgrade_in_event_loop(move |w| w.set_offline(offline));
    }
}

/// Opens the board window full screen and runs it until it is closed. `silent`: no sound
/// (each call still stays up 4 s before the next one).
pub fn run(site_name: &str, calls: Calls, silent: bool) -> anyhow::Result<()> {
    let window = BoardWindow::new()?;
    window.set_site(site_name.into());
    let screen = OnScreen { window: window.as_weak(), shown: Arc::default() };
    let sound: Box<dyn Sound> =
        if silent { Box::new(Silent(Duration::from_secs(4))) } else { Box::new(Speaker::new()) };
    let started = screen.clone();
    let hooks = Hooks {
        on_start: Box::new(move |call| started.push(call.clone())),
        on_error: Box::new(|e| eprintln!("guichet board: sound: {e}")),
    };
    let announcer = Announcer::spawn(sound, hooks);
    match calls {
        Calls::Local(reader) => {
            if let Ok(mut shown) = screen.shown.lock() {
                *shown = Shown::from_calls(&reader.with(|c| store::last_calls(c, store::SHOWN))?);
                display(&window, &shown);
            }
            announcer::follow(reader, move |call| {
                announcer.announce(call);
                true
            })?;
        }
        Calls::Remote(source) => {
            remote::follow(source, move |heard| match heard {
                Heard::Shown(call) => screen.push(call),
                Heard::Call(call) => announcer.announce(call),
                Heard::Connected => screen.offline(false),
                Heard::Lost(why) => {
                    eprintln!("guichet board: {why}");
                    screen.offline(true);
                }
            })?;
        }
    }
    window.window().set_fullscreen(true);
    // The board runs under the kiosk's unit (Type=notify, WatchdogSec=): without these
    // systemd would kill it and start it again every minute and a half.
    let _alive = watchdog::keep_systemd_told("board on screen");
    window.run()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    fn call(id: i64) -> BoardCall {
        BoardCall { id, at: 0, number: format!("A-{id:03}"), desk: format!("Bureau {}", id % 3), lang: Lang::Fr }
    }

    #[test]
    fn the_newest_call_is_current_and_five_before_it_are_listed_newest_first() {
        let calls: Vec<BoardCall> = (1..=8).map(call).collect();
        let shown = Shown::from_calls(&calls);
        assert_eq!(shown.current, Some(("A-008".into(), "Bureau 2".into())));
        let numbers: Vec<&str> = shown.before.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(numbers, ["A-007", "A-006", "A-005", "A-004", "A-003"]);
        assert_eq!(Shown::from_calls(&[]), Shown::default());
    }
}
