//! The speech thread's tests: engines that hang, fail, or die and come back.

use super::*;
use crate::speech::{Heard, RecordingSpeaker, Speaker, Transcript};
use std::sync::mpsc;

/// An engine that says what it is asked until it is asked `hang_at`, then never
/// returns (speech-dispatcher accepting a sentence and going silent), or fails (its
/// connection closed: the server crashed or was killed).
struct Faulty {
    heard: Transcript,
    hang_at: &'static str,
    fail: bool,
    never: (mpsc::Sender<()>, mpsc::Receiver<()>),
}

impl Speaker for Faulty {
    fn speak(&mut self, text: &str, voice: Voice) -> Result<(), SpeechError> {
        if text == self.hang_at {
            if self.fail {
                return Err(SpeechError("connection closed".into()));
            }
            let _ = self.never.1.recv();
        }
        self.heard.push(Heard::Said { text: text.to_string(), voice });
        Ok(())
    }
    fn stop(&mut self) -> Result<(), SpeechError> {
        Ok(())
    }
}

/// Connects a new `Faulty` at each call, the n-th one (from 0) breaking at
/// `breaks_at[n]` ("" for never); counts the connections.
fn faulty(heard: &Transcript, fail: bool, breaks_at: &'static [&'static str]) -> (SpeakerFactory, Arc<Mutex<usize>>) {
    let (heard, connections) = (heard.clone(), Arc::new(Mutex::new(0)));
    let counted = connections.clone();
    let factory: SpeakerFactory = Box::new(move || {
        let mut n = counted.lock().map_err(|_| SpeechError("poisoned".into()))?;
        let hang_at = breaks_at.get(*n).copied().unwrap_or("");
        *n += 1;
        Ok(Box::new(Faulty { heard: heard.clone(), hang_at, fail, never: mpsc::channel() }) as Box<dyn Speaker>)
    });
    (factory, connections)
}

fn reports() -> (OnUnavailable, mpsc::Receiver<String>) {
    let (tx, rx) = mpsc::channel();
    (
        Box::new(move |e| {
            let _ = tx.send(e);
        }),
        rx,
    )
}

const SHORT: Limits = Limits {
    start: Duration::from_millis(300),
    call: Duration::from_millis(300),
    reconnect_gap: Duration::from_secs(60),
};

/// The UI's calls return at once however the engine is (stuck included).
fn say_many_quickly(speech: &SpeechHandle) {
    let started = Instant::now();
    for n in 0..10_000 {
        speech.say(&format!("Écran {n}"), Voice::default());
        if n % 100 == 0 {
            speech.stop();
        }
    }
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

#[test]
fn an_engine_that_never_connects_is_declared_lost_and_never_blocks_the_ui() {
    let (on_unavailable, rx) = reports();
    let (_keep, never) = mpsc::channel::<()>();
    let started = Instant::now();
    let speech = SpeechHandle::spawn_with(
        Box::new(move || {
            let _ = never.recv();
            Err(SpeechError("unreachable".into()))
        }),
        on_unavailable,
        SHORT,
    );
    say_many_quickly(&speech);
    let why = rx.recv_timeout(Duration::from_secs(3)).expect("declared lost");
    assert!(started.elapsed() >= SHORT.start, "{:?}", started.elapsed());
    assert_eq!(why, "speech-dispatcher n'a pas répondu en 0.3 s (connexion) : redémarrez la borne");
    say_many_quickly(&speech);
    assert!(rx.recv_timeout(Duration::from_millis(500)).is_err(), "reported once");
}

#[test]
fn an_engine_that_hangs_or_fails_mid_sentence_is_reported_once() {
    for fail in [false, true] {
        let heard = Transcript::default();
        // Failing: a new connection (a new server) fails the same sentence again.
        let (factory, connections) = faulty(&heard, fail, &["Deux", "Deux"]);
        let (on_unavailable, rx) = reports();
        let speech = SpeechHandle::spawn_with(factory, on_unavailable, SHORT);
        speech.say("Un", Voice::default());
        assert!(heard.wait_for(Duration::from_secs(2), |h| h.len() == 1));
        speech.say("Deux", Voice::default());
        let why = rx.recv_timeout(Duration::from_secs(3)).expect("declared lost");
        let expected = if fail {
            "speech engine: connection closed"
        } else {
            "speech-dispatcher n'a pas répondu en 0.3 s (phrase) : redémarrez la borne"
        };
        assert_eq!(why, expected);
        say_many_quickly(&speech);
        assert!(rx.recv_timeout(Duration::from_millis(500)).is_err(), "reported once");
        assert_eq!(heard.said(), ["Un"], "nothing more asked of a lost engine");
        let tried = connections.lock().map(|n| *n).unwrap_or_default();
        assert_eq!(tried, if fail { 2 } else { 1 }, "a hung call cannot be connected again");
    }
}

#[test]
fn a_killed_server_gets_a_new_connection_and_the_sentence_is_said_again() {
    let heard = Transcript::default();
    // The first server dies on "Deux"; the second on "Quatre", just after: lost then.
    let (factory, connections) = faulty(&heard, true, &["Deux", "Quatre"]);
    let (on_unavailable, rx) = reports();
    let speech = SpeechHandle::spawn_with(factory, on_unavailable, SHORT);
    for (n, text) in ["Un", "Deux", "Trois"].into_iter().enumerate() {
        speech.say(text, Voice::default());
        assert!(heard.wait_for(Duration::from_secs(2), |h| h.len() == n + 1), "{text}: {:?}", heard.said());
    }
    assert_eq!(heard.said(), ["Un", "Deux", "Trois"]);
    assert!(rx.try_recv().is_err(), "a server started again is no loss");
    assert_eq!(connections.lock().map(|n| *n).unwrap_or_default(), 2);
    speech.say("Quatre", Voice::default());
    let why = rx.recv_timeout(Duration::from_secs(3)).expect("a second failure at once is a loss");
    assert_eq!(why, "speech engine: connection closed");
    assert_eq!(connections.lock().map(|n| *n).unwrap_or_default(), 2, "not started for ever");

    // Long after the last new connection, a failure gets one again.
    let heard = Transcript::default();
    let (factory, connections) = faulty(&heard, true, &["Deux", "Quatre", ""]);
    let (on_unavailable, rx) = reports();
    let limits = Limits { reconnect_gap: Duration::ZERO, ..SHORT };
    let speech = SpeechHandle::spawn_with(factory, on_unavailable, limits);
    for (n, text) in ["Un", "Deux", "Trois", "Quatre"].into_iter().enumerate() {
        speech.say(text, Voice::default());
        assert!(heard.wait_for(Duration::from_secs(2), |h| h.len() == n + 1), "{text}: {:?}", heard.said());
    }
    assert!(rx.try_recv().is_err());
    assert_eq!(connections.lock().map(|n| *n).unwrap_or_default(), 3);
}

#[test]
fn a_new_server_that_answers_late_is_asked_again_before_speech_is_lost() {
    // The first server dies on "Deux"; the new one does not answer `silent` connections.
    for silent in [2, 3] {
        let heard = Transcript::default();
        let (inner, _) = faulty(&heard, true, &["Deux", ""]);
        let inner = Arc::new(Mutex::new(inner));
        let tries = Arc::new(Mutex::new(0));
        let counted = tries.clone();
        let factory: SpeakerFactory = Box::new(move || {
            let n = counted.lock().map(|mut n| {
                *n += 1;
                *n
            });
            if n.as_ref().is_ok_and(|n| (2..2 + silent).contains(n)) {
                return Err(SpeechError("ne répond pas en 10 s".into()));
            }
            inner.lock().map_err(|_| SpeechError("poisoned".into())).and_then(|mut f| f())
        });
        let (on_unavailable, rx) = reports();
        let speech = SpeechHandle::spawn_with(factory, on_unavailable, SHORT);
        speech.say("Un", Voice::default());
        assert!(heard.wait_for(Duration::from_secs(2), |h| h.len() == 1));
        speech.say("Deux", Voice::default());
        let tried = || tries.lock().map(|n| *n).unwrap_or_default();
        if silent < RECONNECT_TRIES {
            assert!(heard.wait_for(Duration::from_secs(2), |h| h.len() == 2), "{:?}", heard.said());
            assert_eq!(heard.said(), ["Un", "Deux"]);
            assert!(rx.try_recv().is_err(), "a server that answers at the third asking is no loss");
            assert_eq!(tried(), 1 + silent + 1);
        } else {
            let why = rx.recv_timeout(Duration::from_secs(3)).expect("declared lost");
            assert_eq!(why, "speech engine: ne répond pas en 10 s");
            assert_eq!(tried(), 1 + RECONNECT_TRIES, "asked {RECONNECT_TRIES} times, not for ever");
        }
    }
}

#[test]
fn handle_forwards_and_dedups_and_reports_a_dead_engine() {
    let transcript = Transcript::default();
    let t = transcript.clone();
    let speech = SpeechHandle::spawn(
        Box::new(move || Ok(Box::new(RecordingSpeaker(t.clone())) as Box<dyn Speaker>)),
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
