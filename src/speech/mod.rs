//! The `Speaker` port: the kiosk speaks every screen itself (the Pi's display backend
//! has no screen-reader bridge). A worker thread owns the engine so that nothing slow
//! runs in a UI callback; a recording speaker keeps a transcript for tests.

#[cfg(feature = "speech")]
pub mod engine;
pub mod output;
pub mod punctuation;

use crate::core::lang::Lang;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Volume steps offered to the visitor (EN 301 549 5.1.3.12); 3 is the default.
pub const VOLUME_STEPS: u8 = 5;
pub const DEFAULT_VOLUME: u8 = 3;

/// How to say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    pub lang: Lang,
    /// 1..=VOLUME_STEPS
    pub volume: u8,
    pub slow: bool,
}

impl Default for Voice {
    fn default() -> Self {
        Voice { lang: Lang::Fr, volume: DEFAULT_VOLUME, slow: false }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("speech engine: {0}")]
pub struct SpeechError(pub String);

/// A speech engine.
pub trait Speaker {
    /// Says `text`, interrupting whatever was being said.
    fn speak(&mut self, text: &str, voice: Voice) -> Result<(), SpeechError>;
    fn stop(&mut self) -> Result<(), SpeechError>;
}

/// What a recording speaker heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    Said { text: String, voice: Voice },
    Stopped,
}

/// A shared, thread-safe transcript.
#[derive(Clone, Default)]
pub struct Transcript(Arc<Mutex<Vec<(Heard, Instant)>>>);

impl Transcript {
    pub fn push(&self, heard: Heard) {
        if let Ok(mut v) = self.0.lock() {
            v.push((heard, Instant::now()));
        }
    }

    /// Everything heard so far.
    pub fn entries(&self) -> Vec<Heard> {
        self.0.lock().map(|v| v.iter().map(|(h, _)| h.clone()).collect()).unwrap_or_default()
    }

    /// Everything heard so far, with the instant the engine got it.
    pub fn timed(&self) -> Vec<(Heard, Instant)> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// Only the texts said.
    pub fn said(&self) -> Vec<String> {
        self.entries()
            .into_iter()
            .filter_map(|h| match h {
                Heard::Said { text, .. } => Some(text),
                Heard::Stopped => None,
            })
            .collect()
    }

    pub fn clear(&self) {
        if let Ok(mut v) = self.0.lock() {
            v.clear();
        }
    }

    /// Waits (polling) until `pred` holds for the transcript, up to `timeout`.
    pub fn wait_for(&self, timeout: Duration, pred: impl Fn(&[Heard]) -> bool) -> bool {
        let end = Instant::now() + timeout;
        loop {
            if pred(&self.entries()) {
                return true;
            }
            if Instant::now() > end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A speaker that only writes down what it is asked to say (tests, text-only kiosks).
pub struct RecordingSpeaker(pub Transcript);

impl Speaker for RecordingSpeaker {
    fn speak(&mut self, text: &str, voice: Voice) -> Result<(), SpeechError> {
        self.0.push(Heard::Said { text: text.to_string(), voice });
        Ok(())
    }
    fn stop(&mut self) -> Result<(), SpeechError> {
        self.0.push(Heard::Stopped);
        Ok(())
    }
}

/// A factory for a recording speaker writing into `transcript` (tests, screenshots, benches).
pub fn recording(transcript: Transcript) -> SpeakerFactory {
    Box::new(move || Ok(Box::new(RecordingSpeaker(transcript)) as Box<dyn Speaker>))
}

enum Msg {
    Say(String, Voice),
    Stop,
}

/// Builds the engine on the speech thread (some engines are not `Send`).
pub type SpeakerFactory = Box<dyn FnOnce() -> Result<Box<dyn Speaker>, SpeechError> + Send>;

/// The UI side of the speech thread. Cheap calls: they only send a message.
pub struct SpeechHandle {
    tx: mpsc::Sender<Msg>,
    last: Mutex<Option<(String, Voice, Instant)>>,
}

impl SpeechHandle {
    /// Starts the speech thread. `on_unavailable` runs (on that thread) if the engine
    /// cannot start or fails: the kiosk then shows its text-only notice.
    pub fn spawn(factory: SpeakerFactory, on_unavailable: Box<dyn Fn(String) + Send>) -> SpeechHandle {
        let (tx, rx) = mpsc::channel::<Msg>();
        let spawned = std::thread::Builder::new().name("speech".into()).spawn(move || {
            let mut engine = match factory() {
                Ok(engine) => engine,
                Err(e) => {
                    on_unavailable(e.to_string());
                    // Keep draining so senders never block or error.
                    for _ in rx {}
                    return;
                }
            };
            while let Ok(mut msg) = rx.recv() {
                // Only the newest message counts: a newer text replaces one not said
                // yet (a screen that settles within a frame), a stop cancels it.
                while let Ok(newer) = rx.try_recv() {
                    msg = newer;
                }
                let result = match msg {
                    Msg::Say(text, voice) => engine.speak(&text, voice),
                    Msg::Stop => engine.stop(),
                };
                if let Err(e) = result {
                    on_unavailable(e.to_string());
                }
            }
        });
        if let Err(e) = spawned {
            eprintln!("guichet: cannot start the speech thread: {e}");
        }
        SpeechHandle { tx, last: Mutex::new(None) }
    }

    /// Says `text`; the same text asked again within 300 ms is said once.
    pub fn say(&self, text: &str, voice: Voice) {
        let text = &punctuation::tidy(text);
        if text.is_empty() {
            return;
        }
        if let Ok(mut last) = self.last.lock() {
            if let Some((t, v, at)) = last.as_ref() {
                if t == text && *v == voice && at.elapsed() < Duration::from_millis(300) {
                    return;
                }
            }
            *last = Some((text.to_string(), voice, Instant::now()));
        }
        let _ = self.tx.send(Msg::Say(text.to_string(), voice));
    }

    pub fn stop(&self) {
        if let Ok(mut last) = self.last.lock() {
            *last = None;
        }
        let _ = self.tx.send(Msg::Stop);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_forwards_and_dedups_and_reports_a_dead_engine() {
        let transcript = Transcript::default();
        let t = transcript.clone();
        let speech = SpeechHandle::spawn(
            Box::new(move || Ok(Box::new(RecordingSpeaker(t)) as Box<dyn Speaker>)),
            Box::new(|_| {}),
        );
        speech.say("Bonjour", Voice::default());
        assert!(transcript.wait_for(Duration::from_secs(2), |h| h.len() == 1));
        // The same text again within 300 ms is not sent at all.
        speech.say("Bonjour", Voice::default());
        speech.say("Au revoir", Voice::default());
        let last_is = |h: &[Heard]| matches!(h.last(), Some(Heard::Said { text, .. }) if text == "Au revoir");
        assert!(transcript.wait_for(Duration::from_secs(2), last_is));
        assert_eq!(transcript.said(), vec!["Bonjour", "Au revoir"]);
        speech.stop();
        assert!(transcript.wait_for(Duration::from_secs(2), |h| h.last() == Some(&Heard::Stopped)));

        let (tx, rx) = mpsc::channel();
        let dead = SpeechHandle::spawn(
            Box::new(|| Err(SpeechError("no daemon".into()))),
            Box::new(move |e| {
                let _ = tx.send(e);
            }),
        );
        dead.say("x", Voice::default());
        assert!(rx.recv_timeout(Duration::from_secs(2)).unwrap().contains("no daemon"));
    }
}
