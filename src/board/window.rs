//! The board as a Slint window (`guichet board`): on a second screen of the kiosk or on
//! a Pi of its own reading the same database. Calls are shown as they are announced.

use super::announcer::{self, Announcer, Hooks, Silent, Sound, Speaker};
use crate::store::{self, BoardCall, ReadPool};
use crate::ui::{BoardLine, BoardWindow};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
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

/// Opens the board window full screen and runs it until it is closed. `silent`: no sound
/// (each call still stays up 4 s before the next one).
pub fn run(site_name: &str, reader: ReadPool, silent: bool) -> anyhow::Result<()> {
    let window = BoardWindow::new()?;
    window.set_site(site_name.into());
    let calls = reader.with(|c| store::last_calls(c, store::SHOWN))?;
    let shown = std::sync::Arc::new(std::sync::Mutex::new(Shown::from_calls(&calls)));
    if let Ok(s) = shown.lock() {
        display(&window, &s);
    }
    let sound: Box<dyn Sound> =
        if silent { Box::new(Silent(Duration::from_secs(4))) } else { Box::new(Speaker::new()) };
    let weak = window.as_weak();
    let hooks = Hooks {
        on_start: Box::new(move |call| {
            let (weak, shown, call) = (weak.clone(), shown.clone(), call.clone());
            let _ = slint::invoke_from_event_loop(move || {
                if let (Some(window), Ok(mut s)) = (weak.upgrade(), shown.lock()) {
                    s.push(&call);
                    display(&window, &s);
                }
            });
        }),
        on_error: Box::new(|e| eprintln!("guichet board: sound: {e}")),
    };
    let announcer = Announcer::spawn(sound, hooks);
    announcer::follow(reader, move |call| {
        announcer.announce(call);
        true
    })?;
    window.window().set_fullscreen(true);
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
