//! Calls for help from the kiosk: the visitor touches "Appeler quelqu'un" on the Help
//! screen, the staff console shows the call (which kiosk, since when, on which screen:
//! nothing about the visitor), a staff member answers "J'y vais", and the kiosk tells
//! the visitor that someone is coming. One open call per kiosk; pure, no IO.

/// A call waiting for someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpCall {
    pub id: u64,
    /// The kiosk's name (its site name from the config).
    pub kiosk: String,
    /// Title of the screen the visitor was on, in French.
    pub screen: String,
    /// When it was called, in milliseconds since the epoch.
    pub since_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelpError {
    #[error("this call is no longer open")]
    Gone,
}

/// The open calls, oldest first.
#[derive(Debug, Default)]
pub struct HelpCalls {
    next: u64,
    open: Vec<HelpCall>,
}

/// Longest screen title or kiosk name kept (they come from the kiosk, shown on staff pages).
const MAX_TEXT: usize = 80;

fn short(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(MAX_TEXT).collect()
}

impl HelpCalls {
    /// A kiosk calls. A kiosk that already waits keeps its call (and its place): the
    /// screen is brought up to date. Returns the call and whether it is new.
    pub fn call(&mut self, kiosk: &str, screen: &str, now_ms: i64) -> (HelpCall, bool) {
        if let Some(c) = self.open.iter_mut().find(|c| c.kiosk == kiosk) {
            c.screen = short(screen);
            return (c.clone(), false);
        }
        self.next += 1;
        let call = HelpCall { id: self.next, kiosk: short(kiosk), screen: short(screen), since_ms: now_ms };
        self.open.push(call.clone());
        (call, true)
    }

    /// Someone goes: the call leaves the list. A second answer is told it is gone.
    pub fn answer(&mut self, id: u64) -> Result<HelpCall, HelpError> {
        let at = self.open.iter().position(|c| c.id == id).ok_or(HelpError::Gone)?;
        Ok(self.open.remove(at))
    }

    /// The visit ended before anyone came (the kiosk went back to its first screen).
    pub fn cancel(&mut self, kiosk: &str) -> Option<HelpCall> {
        let at = self.open.iter().position(|c| c.kiosk == kiosk)?;
        Some(self.open.remove(at))
    }

    pub fn open(&self) -> &[HelpCall] {
        &self.open
    }

    /// Calls numbered from `first` on: the processes of a site number their calls apart.
    pub fn numbered_from(first: u64) -> HelpCalls {
        HelpCalls { next: first, open: Vec::new() }
    }

    /// Another process's call, as it made it (a site's kiosk, heard by its consoles): kept
    /// with its id; a kiosk that already waits has its call brought up to date.
    pub fn mirror(&mut self, call: HelpCall) {
        let call = HelpCall { kiosk: short(&call.kiosk), screen: short(&call.screen), ..call };
        match self.open.iter_mut().find(|c| c.kiosk == call.kiosk) {
            Some(c) => *c = call,
            None => self.open.push(call),
        }
    }
}

/// What staff read for the screen the visitor was on.
pub fn screen_label(screen: crate::core::journey::Screen) -> &'static str {
    use crate::core::journey::Screen;
    match screen {
        Screen::Attract => "premier écran",
        Screen::Language => "choix de la langue",
        Screen::Theme => "choix du sujet",
        Screen::Procedure => "choix de la démarche",
        Screen::Have => "ce qu'il ou elle a avec soi",
        Screen::Priority => "priorité",
        Screen::Summary => "vérification de la demande",
        Screen::Ticket => "ticket reçu",
    }
}

/// "il y a 3 min" for the console.
pub fn waited(since_ms: i64, now_ms: i64) -> String {
    let minutes = (now_ms - since_ms).max(0) / 60_000;
    if minutes == 0 {
        "à l'instant".to_string()
    } else {
        format!("il y a {minutes} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_open_call_per_kiosk_answered_once() {
        let mut calls = HelpCalls::default();
        let (a, new) = calls.call("Accueil", "Quelle démarche ?", 1_000);
        assert!(new);
        let (again, new) = calls.call("Accueil", "Vérifiez votre demande", 5_000);
        assert!(!new);
        assert_eq!((again.id, again.since_ms, again.screen.as_str()), (a.id, 1_000, "Vérifiez votre demande"));
        let (b, _) = calls.call("Salle 2", "Besoin d'aide ?", 6_000);
        assert_eq!(calls.open().iter().map(|c| c.id).collect::<Vec<_>>(), [a.id, b.id]);
        assert_eq!(calls.answer(a.id).map(|c| c.kiosk), Ok("Accueil".to_string()));
        assert_eq!(calls.answer(a.id), Err(HelpError::Gone), "a second desk is told it is gone");
        assert_eq!(calls.cancel("Salle 2").map(|c| c.id), Some(b.id));
        assert!(calls.open().is_empty());
    }

    #[test]
    fn texts_from_the_kiosk_are_bounded_and_plain() {
        let mut calls = HelpCalls::default();
        let (c, _) = calls.call(&"x".repeat(500), "a\u{7}b\nc", 0);
        assert_eq!(c.kiosk.chars().count(), MAX_TEXT);
        assert_eq!(c.screen, "abc");
        assert_eq!(waited(0, 59_999), "à l'instant");
        assert_eq!(waited(0, 180_000), "il y a 3 min");
    }
}
