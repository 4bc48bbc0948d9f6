//! The real speech engine: the `tts` crate over speech-dispatcher.

use super::probe::probe;
use super::{Speaker, SpeechError, Voice, VOLUME_STEPS};
use crate::core::lang::Lang;
use std::time::Duration;

pub struct TtsSpeaker {
    tts: tts::Tts,
    lang: Option<Lang>,
    /// speech-dispatcher's voices, asked once: with espeak-ng it lists some 13,000 (each
    /// voice with each variant), which took 2 to 15 s each time in the virtual appliance
    /// test, and was asked again at every change of language.
    voices: Option<Vec<tts::Voice>>,
}

fn err(e: impl std::fmt::Display) -> SpeechError {
    SpeechError(e.to_string())
}

impl TtsSpeaker {
    /// Connects to speech-dispatcher. Its library waits for ever on a server that accepts
    /// the connection and never answers, so the server is asked first, under `limit`
    /// (`probe`); the kiosk's speech watchdog covers what could still hang after that.
    pub fn new(limit: Duration) -> Result<TtsSpeaker, SpeechError> {
        probe(limit).map_err(|silent| SpeechError(silent.fr()))?;
        Ok(TtsSpeaker { tts: tts::Tts::default().map_err(err)?, lang: None, voices: None })
    }

    /// Asks for the voices now (the kiosk's speech thread does it at start), so the first
    /// visitor's first words do not wait for the list.
    pub fn warm_up(&mut self) {
        if self.voices.is_none() {
            self.voices = self.tts.voices().ok();
        }
    }

    /// Says `text` in speech-dispatcher's default voice (French: DefaultLanguage in the
    /// kiosk's speechd.conf), without asking for the list of voices: `guichet doctor`'s
    /// test phrase, said within seconds even while the kiosk's own server is starting.
    pub fn say_in_default_voice(&mut self, text: &str) -> Result<(), SpeechError> {
        self.tts.speak(text, true).map_err(err)?;
        Ok(())
    }

    fn select_language(&mut self, lang: Lang) {
        if self.lang == Some(lang) {
            return;
        }
        self.lang = Some(lang);
        self.warm_up();
        let Some(voices) = &self.voices else { return };
        let wanted = lang.code();
        if let Some(v) = voices.iter().find(|v| v.language().primary_language() == wanted) {
            let _ = self.tts.set_voice(v);
        }
    }
}

impl Speaker for TtsSpeaker {
    fn speak(&mut self, text: &str, voice: Voice) -> Result<(), SpeechError> {
        self.select_language(voice.lang);
        let (min, max) = (self.tts.min_volume(), self.tts.max_volume());
        let step = f32::from(voice.volume.clamp(1, VOLUME_STEPS)) / f32::from(VOLUME_STEPS);
        self.tts.set_volume(min + (max - min) * step).map_err(err)?;
        let normal = self.tts.normal_rate();
        let rate = if voice.slow { normal - (normal - self.tts.min_rate()) * 0.4 } else { normal };
        self.tts.set_rate(rate).map_err(err)?;
        self.tts.speak(text, true).map_err(err)?;
        Ok(())
    }

    fn stop(&mut self) -> Result<(), SpeechError> {
        self.tts.stop().map_err(err)?;
        Ok(())
    }
}
