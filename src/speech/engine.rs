//! The real speech engine: speech-dispatcher, through its client library (libspeechd,
//! the `speech-dispatcher` crate). The voice follows the language (SSIP `SET SELF
//! LANGUAGE`): speech-dispatcher takes its module's voice for it, with no list to fetch.
//! (The `tts` crate, used before over the same library, chose voices by name and asked
//! for espeak-ng's whole list of some 13,000 voices at every change of language: seconds
//! on a Pi, more than the watchdog's 30 s once under emulation on a busy host.)

use super::probe::probe;
use super::{Speaker, SpeechError, Voice, VOLUME_STEPS};
use crate::core::lang::Lang;
use speech_dispatcher::{Connection, Mode, Priority};
use std::time::Duration;

pub struct DispatcherSpeaker {
    sd: Connection,
    lang: Option<Lang>,
}

/// speech-dispatcher's scales (SSIP): volume and rate from -100 to 100, 0 the normal rate.
const LEAST_VOLUME: f32 = -100.0;
const MOST_VOLUME: f32 = 100.0;
/// Slow speech for a visitor who asked for it: 40 % of the way from normal to slowest.
const SLOW_RATE: i32 = -40;

fn failed(what: &str) -> SpeechError {
    SpeechError(format!("speech-dispatcher: {what} failed"))
}

fn check(done: Result<(), speech_dispatcher::Error>, what: &str) -> Result<(), SpeechError> {
    done.map_err(|_| failed(what))
}

/// The volume step (1 to VOLUME_STEPS) on speech-dispatcher's scale.
fn volume(step: u8) -> i32 {
    let share = f32::from(step.clamp(1, VOLUME_STEPS)) / f32::from(VOLUME_STEPS);
    (LEAST_VOLUME + (MOST_VOLUME - LEAST_VOLUME) * share).round() as i32
}

impl DispatcherSpeaker {
    /// Connects to speech-dispatcher. Its library waits for ever on a server that accepts
    /// the connection and never answers, so the server is asked first, under `limit`
    /// (`probe`); the kiosk's speech watchdog covers what could still hang after that.
    /// With no server listening, the library starts one (autospawn).
    pub fn new(limit: Duration) -> Result<DispatcherSpeaker, SpeechError> {
        probe(limit).map_err(|silent| SpeechError(silent.fr()))?;
        let sd = Connection::open("guichet", "guichet", "guichet", Mode::Threaded)
            .map_err(|_| SpeechError("speech-dispatcher: connexion impossible".into()))?;
        Ok(DispatcherSpeaker { sd, lang: None })
    }

    /// Says `text` in speech-dispatcher's default voice (French: DefaultLanguage in the
    /// kiosk's speechd.conf): `guichet doctor`'s test phrase.
    pub fn say_in_default_voice(&mut self, text: &str) -> Result<(), SpeechError> {
        self.say(text)
    }

    fn say(&mut self, text: &str) -> Result<(), SpeechError> {
        check(self.sd.cancel(), "cancel")?;
        // The library takes a C string: a NUL (never in our text) would end it.
        let text = text.replace('\0', " ");
        self.sd.say(Priority::Important, text).map(|_| ()).ok_or_else(|| failed("say"))
    }
}

impl Speaker for DispatcherSpeaker {
    fn speak(&mut self, text: &str, voice: Voice) -> Result<(), SpeechError> {
        if self.lang != Some(voice.lang) {
            check(self.sd.set_language(voice.lang.code()), "set language")?;
            self.lang = Some(voice.lang);
        }
        check(self.sd.set_volume(volume(voice.volume)), "set volume")?;
        check(self.sd.set_voice_rate(if voice.slow { SLOW_RATE } else { 0 }), "set rate")?;
        self.say(text)
    }

    fn stop(&mut self) -> Result<(), SpeechError> {
        check(self.sd.cancel(), "cancel")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_steps_span_speech_dispatchers_scale() {
        assert_eq!(volume(VOLUME_STEPS), 100);
        assert!(volume(1) > -100, "the lowest step still speaks");
        let steps: Vec<i32> = (1..=VOLUME_STEPS).map(volume).collect();
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
    }
}
