//! Announcing calls on this machine's speaker (the `guichet board` window, or the kiosk
//! itself in an office with no TV): one call after the other, in the order made, none
//! skipped; a chime, then the phrase in French and in the visitor's language, twice.

use super::audio::{self, AudioError};
use crate::core::announce;
use crate::core::lang::Lang;
use crate::store::{self, BoardCall, ReadPool};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Where the announcements are heard.
pub trait Sound: Send {
    fn chime(&mut self) -> Result<(), AudioError>;
    /// Returns once `text` has been said.
    fn say(&mut self, text: &str, lang: Lang) -> Result<(), AudioError>;
}

/// The real sound: the chime through `aplay` (alsa-utils), speech through espeak-ng.
pub struct Speaker {
    chime: PathBuf,
}

impl Speaker {
    pub fn new() -> Speaker {
        let chime = std::env::temp_dir().join(format!("guichet-chime-{}.wav", std::process::id()));
        if let Err(e) = std::fs::write(&chime, audio::chime()) {
            eprintln!("guichet: board chime not written ({e}): calls are only said");
        }
        Speaker { chime }
    }
}

impl Default for Speaker {
    fn default() -> Self {
        Speaker::new()
    }
}

impl Sound for Speaker {
    fn chime(&mut self) -> Result<(), AudioError> {
        let status = std::process::Command::new("aplay")
            .arg("-q")
            .arg(&self.chime)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(AudioError::Missing)?;
        if status.success() {
            Ok(())
        } else {
            Err(AudioError::Failed(format!("aplay: {status}")))
        }
    }

    fn say(&mut self, text: &str, lang: Lang) -> Result<(), AudioError> {
        audio::say_here(text, lang)
    }
}

/// A board with no sound (`guichet board --silent`): each call still stays up a while.
pub struct Silent(pub Duration);

impl Sound for Silent {
    fn chime(&mut self) -> Result<(), AudioError> {
        std::thread::sleep(self.0);
        Ok(())
    }
    fn say(&mut self, _: &str, _: Lang) -> Result<(), AudioError> {
        Ok(())
    }
}

/// What the announcer tells its owner.
pub struct Hooks {
    /// A call's announcement starts: show it now (seen and heard together).
    pub on_start: Box<dyn Fn(&BoardCall) + Send>,
    /// A sound failed (said once per kind of failure in a row); the next call still goes.
    pub on_error: Box<dyn Fn(String) + Send>,
}

/// The calls waiting to be announced, handed to the announcing thread.
pub struct Announcer {
    tx: mpsc::Sender<BoardCall>,
}

impl Announcer {
    /// Starts the announcing thread.
    pub fn spawn(mut sound: Box<dyn Sound>, hooks: Hooks) -> Announcer {
        let (tx, rx) = mpsc::channel::<BoardCall>();
        let Hooks { on_start, on_error } = hooks;
        let spawned = std::thread::Builder::new().name("announcer".into()).spawn(move || {
            let mut last_error = None;
            for call in rx {
                on_start(&call);
                let mut result = sound.chime();
                for lang in announce::languages(call.lang) {
                    result = result.and(sound.say(&announce::phrase(lang, &call.number, &call.desk), lang));
                }
                let error = result.err().map(|e| e.to_string());
                if error.is_some() && error != last_error {
                    on_error(error.clone().unwrap_or_default());
                }
                last_error = error;
            }
        });
        if let Err(e) = spawned {
            eprintln!("guichet: cannot start the announcer: {e}");
        }
        Announcer { tx }
    }

    /// Queues a call; it is announced after those queued before it.
    pub fn announce(&self, call: BoardCall) {
        let _ = self.tx.send(call);
    }
}

/// How often a board on this machine looks for new calls in the database.
pub const POLL: Duration = Duration::from_millis(250);

/// Reads the calls made after the newest one at start, in order, and hands each to `seen`
/// (another process may make them: the kiosk, while the board runs on its own). Runs on a
/// thread of its own until `seen` returns false.
pub fn follow(reader: ReadPool, mut seen: impl FnMut(BoardCall) -> bool + Send + 'static) -> std::io::Result<()> {
    std::thread::Builder::new().name("board-calls".into()).spawn(move || {
        let mut last = loop {
            match reader.with(|c| store::last_calls(c, 1)) {
                Ok(calls) => break calls.last().map_or(0, |c| c.id),
                Err(e) => {
                    eprintln!("guichet: board cannot read the calls yet: {e}");
                    std::thread::sleep(Duration::from_secs(2));
                }
            }
        };
        loop {
            std::thread::sleep(POLL);
            let Ok(calls) = reader.with(|c| store::calls_after(c, last, 100)) else { continue };
            for call in calls {
                last = call.id;
                if !seen(call) {
                    return;
                }
            }
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Heard(Arc<Mutex<Vec<String>>>);

    impl Sound for Heard {
        fn chime(&mut self) -> Result<(), AudioError> {
            self.0.lock().unwrap().push("♪".into());
            Ok(())
        }
        fn say(&mut self, text: &str, lang: Lang) -> Result<(), AudioError> {
            // As slow as a voice, so that calls pile up behind the first.
            std::thread::sleep(Duration::from_millis(5));
            self.0.lock().unwrap().push(format!("{lang}: {text}"));
            Ok(())
        }
    }

    fn call(id: i64, number: &str, desk: &str, lang: Lang) -> BoardCall {
        BoardCall { id, at: 0, number: number.into(), desk: desk.into(), lang }
    }

    #[test]
    fn two_calls_at_once_are_both_announced_in_order() {
        let heard = Heard::default();
        let shown = heard.clone();
        let hooks = Hooks {
            on_start: Box::new(move |c| shown.0.lock().unwrap().push(format!("shown {}", c.number))),
            on_error: Box::new(|_| {}),
        };
        let announcer = Announcer::spawn(Box::new(heard.clone()), hooks);
        announcer.announce(call(1, "A-042", "bureau 2", Lang::Uk));
        announcer.announce(call(2, "B-003", "guichet 1", Lang::Fr));
        let expected = [
            "shown A-042",
            "♪",
            "fr: Numéro A 42, bureau 2.",
            "uk: Номер A 42, bureau 2.",
            "fr: Numéro A 42, bureau 2.",
            "uk: Номер A 42, bureau 2.",
            "shown B-003",
            "♪",
            "fr: Numéro B 3, guichet 1.",
            "fr: Numéro B 3, guichet 1.",
        ];
        for _ in 0..400 {
            if heard.0.lock().unwrap().len() >= expected.len() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(*heard.0.lock().unwrap(), expected);
    }

    #[test]
    fn a_board_follows_the_calls_made_after_it_started_in_order() {
        use crate::core::queue::Action;
        use crate::store::{Change, Store};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.sqlite")).unwrap();
        let request = || crate::core::journey::TicketRequest {
            theme: "papiers".into(),
            procedure: "carte-identite".into(),
            queue: 'A',
            lang: Lang::Uk,
            have: vec![],
            priority: None,
        };
        let old = store.issue(request()).wait().unwrap();
        store.call_next("Bureau 1".into(), None).wait().unwrap();
        let (tx, rx) = mpsc::channel();
        follow(store.reader(), move |call| tx.send(call).is_ok()).unwrap();
        std::thread::sleep(POLL * 2); // the board is up before the next calls
        let a = store.issue(request()).wait().unwrap();
        let b = store.issue(request()).wait().unwrap();
        store.call_next("Bureau 2".into(), None).wait().unwrap();
        store.call_next("Bureau 3".into(), None).wait().unwrap();
        store.act(old.id, Change::new(Action::Call)).wait().unwrap(); // a recall
        let seen: Vec<(String, String)> =
            (0..3).map(|_| rx.recv_timeout(Duration::from_secs(5)).unwrap()).map(|c| (c.number, c.desk)).collect();
        assert_eq!(
            seen,
            [(a.number, "Bureau 2".into()), (b.number, "Bureau 3".into()), (old.number, "Bureau 1".into())],
            "the call made before the board started is not said again; the recall is"
        );
    }
}
