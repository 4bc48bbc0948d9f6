//! The board's sounds: the chime before a call (made here, no file to ship) and the
//! spoken call, synthesised on the kiosk with espeak-ng so that a TV's browser needs no
//! voice of its own and no internet.

use crate::core::lang::Lang;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The speech synthesiser the board runs.
pub const ESPEAK: &str = "espeak-ng";
/// Longer than any call takes to synthesise (about 25 ms here): then it is stuck.
const SYNTH_LIMIT: Duration = Duration::from_secs(5);
/// Words per minute: a little slower than espeak-ng's 175, for a waiting room.
pub const RATE: u32 = 140;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("{ESPEAK} cannot be started ({0}): install the espeak-ng package")]
    Missing(std::io::Error),
    #[error("{ESPEAK} failed: {0}")]
    Failed(String),
}

/// The arguments that make espeak-ng say `text` in `lang` (after them: where to write).
pub fn espeak_args(lang: Lang, text: &str) -> Vec<String> {
    vec!["-v".into(), lang.code().into(), "-s".into(), RATE.to_string(), "--".into(), text.into()]
}

/// `text` said in `lang`, as a WAV file (mono 16-bit), from espeak-ng.
pub fn synthesize(text: &str, lang: Lang) -> Result<Vec<u8>, AudioError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let file: PathBuf = std::env::temp_dir().join(format!(
        "guichet-call-{}-{}.wav",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let mut args = vec!["-w".to_string(), file.display().to_string()];
    args.extend(espeak_args(lang, text));
    let result = run(Command::new(ESPEAK).args(&args))
        .and_then(|()| std::fs::read(&file).map_err(|e| AudioError::Failed(format!("no sound written: {e}"))));
    let _ = std::fs::remove_file(&file);
    result
}

/// Says `text` in `lang` on this machine's sound output (the kiosk's speaker, or the
/// board window's), returning when it has been said.
pub fn say_here(text: &str, lang: Lang) -> Result<(), AudioError> {
    run(Command::new(ESPEAK).args(espeak_args(lang, text)))
}

/// Runs a command to its end, killed after [`SYNTH_LIMIT`] (a stuck sound device must not
/// hold the board).
fn run(command: &mut Command) -> Result<(), AudioError> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(AudioError::Missing)?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(AudioError::Failed(status.to_string())),
            Ok(None) if started.elapsed() > SYNTH_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(AudioError::Failed(format!("still running after {} s", SYNTH_LIMIT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(AudioError::Failed(e.to_string())),
        }
    }
}

const RATE_HZ: u32 = 22_050;

/// A soft two-note chime (E5 then C5, each dying away), about 1.2 s, as a WAV file.
pub fn chime() -> Vec<u8> {
    let mut samples = Vec::new();
    for (freq, seconds) in [(659.25_f32, 0.55_f32), (523.25, 0.7)] {
        let n = (RATE_HZ as f32 * seconds) as usize;
        for i in 0..n {
            let t = i as f32 / RATE_HZ as f32;
            // A quick rise (no click), then an exponential fall; two partials for a bell.
            let envelope = (t / 0.01).min(1.0) * (-t * 4.5).exp();
            let tone = (std::f32::consts::TAU * freq * t).sin() + 0.3 * (std::f32::consts::TAU * 2.0 * freq * t).sin();
            samples.push((envelope * tone * 0.35 * f32::from(i16::MAX)) as i16);
        }
    }
    wav(&samples)
}

/// 16-bit mono PCM samples at [`RATE_HZ`] in a WAV container.
fn wav(samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE_HZ.to_le_bytes());
    out.extend_from_slice(&(RATE_HZ * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chime_is_a_well_formed_wav_without_clipping() {
        let w = chime();
        assert_eq!(&w[0..4], b"RIFF");
        assert_eq!(u32::from_le_bytes([w[4], w[5], w[6], w[7]]) as usize, w.len() - 8);
        assert_eq!(&w[36..40], b"data");
        let samples: Vec<i16> = w[44..].chunks(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
        let seconds = samples.len() as f32 / RATE_HZ as f32;
        assert!((1.0..1.5).contains(&seconds), "{seconds} s");
        assert!(samples.iter().all(|s| s.unsigned_abs() < i16::MAX as u16 / 2), "no clipping");
        assert_eq!(samples[0], 0, "starts from silence (no click)");
    }

    #[test]
    fn the_text_is_never_read_as_an_option() {
        let args = espeak_args(Lang::Uk, "-v xx");
        assert_eq!(args[args.len() - 2], "--");
        assert_eq!(args[1], "uk");
    }
}
