//! What the kiosk said, from the WAV file qemu records of the guest's sound card: how many
//! seconds of voice (not silence) were played after a given point.

use std::path::Path;

/// The recording so far: its length in bytes (a mark to measure from).
pub fn mark(wav: &Path) -> u64 {
    std::fs::metadata(wav).map(|m| m.len()).unwrap_or(0)
}

/// Seconds of voice recorded after `from` (a `mark`): 20 ms windows whose loudness is
/// above a whisper. qemu writes 16-bit stereo at 44.1 kHz unless told otherwise; the
/// header says.
pub fn voiced_since(wav: &Path, from: u64) -> f64 {
    let Ok(bytes) = std::fs::read(wav) else { return 0.0 };
    if bytes.len() < 44 || &bytes[0..4] != b"RIFF" {
        return 0.0;
    }
    let channels = u16::from_le_bytes([bytes[22], bytes[23]]).max(1) as usize;
    let rate = u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]).max(1) as usize;
    let start = (from as usize).max(44);
    let start = start - (start - 44) % (2 * channels);
    let samples: Vec<i16> =
        bytes[start.min(bytes.len())..].chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
    let window = rate / 50 * channels;
    let voiced = samples
        .chunks(window.max(1))
        .filter(|w| {
            let energy: f64 = w.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / w.len() as f64;
            energy.sqrt() > 300.0
        })
        .count();
    voiced as f64 / 50.0
}

#[test]
fn a_tone_counts_and_silence_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.wav");
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0");
    b.extend_from_slice(&44100u32.to_le_bytes());
    b.extend_from_slice(&(44100u32 * 4).to_le_bytes());
    b.extend_from_slice(b"\x04\0\x10\0data\0\0\0\0");
    for i in 0..44100 {
        let s = if i < 22050 { 0i16 } else { ((i as f64 * 0.06).sin() * 8000.0) as i16 };
        b.extend_from_slice(&s.to_le_bytes());
        b.extend_from_slice(&s.to_le_bytes());
    }
    std::fs::write(&path, &b).unwrap();
    let voiced = voiced_since(&path, 0);
    assert!((0.45..=0.55).contains(&voiced), "{voiced}");
    assert_eq!(voiced_since(&path, mark(&path)), 0.0);
}
