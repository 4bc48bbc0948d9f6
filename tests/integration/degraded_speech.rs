//! Speech degraded, with the real adapter (the `tts` crate over libspeechd) against
//! stand-in speech-dispatchers on a Unix socket (`SPEECHD_ADDRESS=unix_socket:PATH`):
//! none at all, one that accepts the connection and never answers, one that dies in the
//! middle of a sentence. `guichet doctor` must give a FAIL line in time, never hang.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How a stand-in speech-dispatcher behaves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Ssip {
    /// Accepts the connection, then never says a word.
    Silent,
    /// Answers every command, then closes the connection when a sentence starts.
    DiesMidSentence,
}

/// A stand-in speech-dispatcher listening on `dir/speechd.sock`; each connection served
/// on a thread of its own until the test process ends.
pub(crate) fn stand_in(dir: &Path, how: Ssip) -> PathBuf {
    let path = dir.join("speechd.sock");
    let listener = UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || serve(conn, how));
        }
    });
    path
}

fn serve(mut conn: UnixStream, how: Ssip) {
    if how == Ssip::Silent {
        // Holds the connection open, unanswered, for as long as the test runs.
        std::thread::sleep(Duration::from_secs(3600));
        return;
    }
    let Ok(reader) = conn.try_clone() else { return };
    for line in BufReader::new(reader).lines() {
        let Ok(line) = line else { return };
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("SPEAK") {
            // "Go ahead", then gone before the sentence's end.
            let _ = conn.write_all(b"230 OK RECEIVING DATA\r\n");
            return;
        } else if command.starts_with("HISTORY GET CLIENT_ID") {
            b"245-1\r\n245 OK CLIENT ID SENT\r\n"
        } else if command.starts_with("LIST SYNTHESIS_VOICES") {
            b"249-fr\tfr\tnone\r\n249 OK VOICE LIST SENT\r\n"
        } else {
            b"200 OK\r\n"
        };
        if conn.write_all(reply).is_err() {
            return;
        }
    }
}

/// `guichet doctor` (the test phrase asked for) with speech-dispatcher at `socket`.
fn doctor(data: &Path, socket: &Path) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("--data-dir")
        .arg(data)
        .arg("doctor")
        .env("SPEECHD_ADDRESS", format!("unix_socket:{}", socket.display()))
        .output()
        .unwrap();
    (out, started.elapsed())
}

fn speech_line(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().find(|l| l.split_whitespace().nth(1) == Some("speech")).unwrap_or_default().to_string()
}

#[test]
fn doctor_says_a_silent_speech_dispatcher_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let socket = stand_in(dir.path(), Ssip::Silent);
    let (out, took) = doctor(&dir.path().join("data"), &socket);
    let line = speech_line(&out);
    assert!(line.starts_with("FAIL  speech"), "{line}\n{}", String::from_utf8_lossy(&out.stdout));
    assert!(line.contains("accepted the connection but did not answer within 10 s"), "{line}");
    assert!(line.contains(&socket.display().to_string()) && line.contains("restart"), "{line}");
    // Its probe's 10 s, not the speech part's 45 s limit, and certainly not for ever.
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(!out.status.success());
}

#[test]
fn doctor_says_a_speech_dispatcher_that_dies_mid_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let socket = stand_in(dir.path(), Ssip::DiesMidSentence);
    let (out, took) = doctor(&dir.path().join("data"), &socket);
    let line = speech_line(&out);
    assert!(line.starts_with("FAIL  speech"), "{line}\n{}", String::from_utf8_lossy(&out.stdout));
    assert!(line.contains("connected, but the test phrase failed") && line.contains("restart it"), "{line}");
    assert!(took < Duration::from_secs(15), "{took:?}");
}
