//! The `Speaker` port: the kiosk speaks every screen itself (the Pi's display backend
//! has no screen-reader bridge). A worker thread owns the engine so that nothing slow
//! runs in a UI callback; a recording speaker keeps a transcript for tests.

#[cfg(feature = "speech")]
pub mod engine;
mod handle;
pub mod output;
pub mod probe;
pub mod punctuation;

use crate::core::lang::Lang;
use std::sync::{Arc, Mutex};

pub use handle::{Limits, OnUnavailable, SpeechHandle};
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
    Box::new(move || Ok(Box::new(RecordingSpeaker(transcript.clone())) as Box<dyn Speaker>))
}

/// Builds the engine on the speech thread (some engines are not `Send`); called again to
/// connect afresh when the engine fails (speech-dispatcher crashed or was killed).
pub type SpeakerFactory = Box<dyn FnMut() -> Result<Box<dyn Speaker>, SpeechError> + Send>;
