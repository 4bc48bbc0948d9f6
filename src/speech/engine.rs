//! The real speech engine: the `tts` crate over speech-dispatcher.

use super::{Speaker, SpeechError, Voice, VOLUME_STEPS};
use crate::core::lang::Lang;

pub struct TtsSpeaker {
    tts: tts::Tts,
    lang: Option<Lang>,
}

fn err(e: impl std::fmt::Display) -> SpeechError {
    SpeechError(e.to_string())
}

impl TtsSpeaker {
    pub fn new() -> Result<TtsSpeaker, SpeechError> {
        Ok(TtsSpeaker { tts: tts::Tts::default().map_err(err)?, lang: None })
    }

    fn select_language(&mut self, lang: Lang) {
        if self.lang == Some(lang) {
            return;
        }
        self.lang = Some(lang);
        let Ok(voices) = self.tts.voices() else { return };
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
