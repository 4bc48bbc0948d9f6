//! The keyboard and the keypad (EN 301 549 5.1.3, closed functionality): a visitor who
//! cannot see moves a visible focus from control to control, hears each one, and
//! activates it. Slint moves the focus (Tab / Backtab through its focus chain, in
//! element order); this module puts each new screen's focus on its first control,
//! turns keypad presses into the window's key events, and decides what is said.

use crate::hardware::keys::Key;
use crate::ui::{AppWindow, KioskApi};
use slint::platform::{Key as SlintKey, WindowEvent};
use slint::{ComponentHandle, SharedString};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

/// Says a text in the visitor's language and voice.
pub(super) type Say = Rc<dyn Fn(&str)>;

#[derive(Default)]
struct State {
    /// What the screen on top said when it appeared (the focused control is said after).
    screen_speech: RefCell<String>,
    /// While a new screen's first control takes the focus: said with the screen.
    quiet: Cell<bool>,
    /// A focus reset is scheduled (several frames may appear in one update).
    pending: Cell<bool>,
}

/// The keyboard key a keypad key stands for.
pub fn key_text(key: Key) -> SharedString {
    match key {
        Key::Previous => SlintKey::Backtab.into(),
        Key::Next => SlintKey::Tab.into(),
        Key::Validate => SlintKey::Return.into(),
        Key::Back => SlintKey::Escape.into(),
        Key::Help => SlintKey::F1.into(),
        Key::Repeat => SlintKey::F5.into(),
        Key::VolumeDown => "-".into(),
        Key::VolumeUp => "+".into(),
    }
}

/// Sends a key press and release to the window, as a keyboard would.
pub fn type_key(window: &AppWindow, text: SharedString) {
    window.window().dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
    window.window().dispatch_event(WindowEvent::KeyReleased { text });
}

/// Runs `f` on the window once the event being handled is over.
fn soon(window: &AppWindow, f: impl FnOnce(&AppWindow) + 'static) {
    let weak = window.as_weak();
    slint::Timer::single_shot(Duration::ZERO, move || {
        if let Some(w) = weak.upgrade() {
            f(&w);
        }
    });
}

pub(super) fn wire(window: &AppWindow, say: Say) {
    let api = window.global::<KioskApi>();
    let state = Rc::new(State::default());

    let (s, say_screen, weak) = (state.clone(), say.clone(), window.as_weak());
    api.on_screen_shown(move |text| {
        *s.screen_speech.borrow_mut() = text.to_string();
        say_screen(&text);
        let Some(w) = weak.upgrade() else { return };
        if !s.pending.replace(true) {
            let (s, say) = (s.clone(), say_screen.clone());
            soon(&w, move |w| {
                s.pending.set(false);
                focus_first(w, &s, &*say);
            });
        }
    });
    let (s, say_focus, weak) = (state.clone(), say.clone(), window.as_weak());
    api.on_focused(move |name| {
        let keys = weak.upgrade().is_some_and(|w| w.global::<KioskApi>().get_keys_in_use());
        if keys && !s.quiet.get() {
            say_focus(&name);
        }
    });
    let (s, weak, say_how) = (state.clone(), window.as_weak(), say.clone());
    api.on_first_key(move |how| {
        let Some(w) = weak.upgrade() else { return };
        if w.global::<KioskApi>().get_focus_name().is_empty() {
            focus_first(&w, &s, &|_| {});
        }
        say_how(&format!("{how} {}", w.global::<KioskApi>().get_focus_name()));
    });
    // The first screen was built before these handlers: its focus too.
    soon(window, move |w| focus_first(w, &state, &*say));
    let weak = window.as_weak();
    api.on_move_focus(move |forward| {
        let text: SharedString = if forward { SlintKey::Tab.into() } else { SlintKey::Backtab.into() };
        if let Some(w) = weak.upgrade() {
            soon(&w, move |w| type_key(w, text));
        }
    });
}

/// Puts the focus on the first control of the screen on top (the window's key handler
/// takes no Tab focus itself, so a Tab from it lands there), quietly, then says the
/// screen and that control together when the visitor uses the keys.
fn focus_first(w: &AppWindow, s: &State, say: &dyn Fn(&str)) {
    let api = w.global::<KioskApi>();
    s.quiet.set(true);
    api.set_focus_name(SharedString::new());
    w.invoke_reset_focus();
    api.set_focus_by_kiosk(true);
    type_key(w, SlintKey::Tab.into());
    api.set_focus_by_kiosk(false);
    s.quiet.set(false);
    let name = api.get_focus_name();
    if api.get_keys_in_use() && !name.is_empty() {
        say(&format!("{} {name}", s.screen_speech.borrow()));
    }
}
