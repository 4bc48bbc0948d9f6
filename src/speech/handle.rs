//! The speech thread and its watchdog. The UI leaves messages in a one-message slot
//! (a newer one replaces one not taken yet); the speech thread takes them and calls the
//! engine; the watchdog declares speech lost when an engine call overruns its limit
//! (speech-dispatcher's library waits for ever on a server that stopped answering).

use super::{punctuation, SpeakerFactory, SpeechError, Voice};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

enum Msg {
    Say(String, Voice),
    Stop,
}

/// Called once when speech stops working (the engine could not start, failed, or did not
/// answer in time): the kiosk then shows its text-only notice.
pub type OnUnavailable = Box<dyn Fn(String) + Send + Sync>;

/// How long the engine may take before the watchdog declares speech lost. Generous: the
/// UI never waits for the engine, so a limit only decides when the text-only notice shows;
/// a server that accepts and never answers is found sooner by `probe` (10 s).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Building the engine: speech-dispatcher started by its library (about 90 s under
    /// arm64 emulation before its socket opens).
    pub start: Duration,
    /// One sentence handed over with its language, volume and rate, or a stop
    /// (milliseconds when speech-dispatcher is well).
    pub call: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { start: Duration::from_secs(180), call: Duration::from_secs(30) }
    }
}

/// What the UI and the speech thread share: one message slot (a newer message replaces one
/// not taken yet, so a stuck engine never makes anything pile up), and what the engine is
/// doing now, for the watchdog. The lock is never held across an engine call.
#[derive(Default)]
struct Shared {
    slot: Mutex<Slot>,
    changed: Condvar,
}

#[derive(Default)]
struct Slot {
    next: Option<Msg>,
    /// The engine call under way: since when, its limit, what it is.
    busy: Option<(Instant, Duration, &'static str)>,
    /// Speech was declared lost: nothing more is asked of the engine.
    lost: bool,
    /// The handle is gone: the threads end.
    closed: bool,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn post(&self, msg: Msg) {
        self.lock().next = Some(msg);
        self.changed.notify_all();
    }

    /// The next message, waiting for one; `None` when speech is lost or the handle gone.
    fn take(&self) -> Option<Msg> {
        let mut slot = self.lock();
        loop {
            if slot.lost || slot.closed {
                return None;
            }
            if let Some(msg) = slot.next.take() {
                return Some(msg);
            }
            slot = self.changed.wait(slot).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Runs one engine call under the watchdog's eye. `None`: the watchdog gave up on it
    /// while it ran (its result no longer counts).
    fn guarded<T>(&self, what: &'static str, limit: Duration, call: impl FnOnce() -> T) -> Option<T> {
        self.lock().busy = Some((Instant::now(), limit, what));
        self.changed.notify_all();
        let result = call();
        let mut slot = self.lock();
        slot.busy = None;
        (!slot.lost).then_some(result)
    }

    /// Marks speech lost; true for the first caller only (who reports it).
    fn lose(&self) -> bool {
        let mut slot = self.lock();
        let first = !slot.lost;
        slot.lost = true;
        self.changed.notify_all();
        first
    }

    /// The watchdog: waits while the engine is idle or within its limit; when a call
    /// overruns, declares speech lost. Ends when speech is lost or the handle is gone.
    fn watch(&self, on_unavailable: &OnUnavailable) {
        let mut slot = self.lock();
        loop {
            if slot.lost || slot.closed {
                return;
            }
            let wait = match slot.busy {
                None => None,
                Some((since, limit, what)) => match limit.checked_sub(since.elapsed()) {
                    Some(left) => Some(left),
                    None => {
                        slot.lost = true;
                        drop(slot);
                        on_unavailable(format!(
                            "speech-dispatcher n'a pas répondu en {} s ({what}) : redémarrez la borne",
                            limit.as_secs_f32()
                        ));
                        return;
                    }
                },
            };
            slot = match wait {
                None => self.changed.wait(slot).unwrap_or_else(std::sync::PoisonError::into_inner),
                Some(left) => {
                    self.changed.wait_timeout(slot, left).unwrap_or_else(std::sync::PoisonError::into_inner).0
                }
            };
        }
    }
}

/// The UI side of the speech thread. Cheap calls: they only leave a message in a slot;
/// nothing the engine does (even hanging inside speech-dispatcher's library) can make
/// them wait.
pub struct SpeechHandle {
    shared: Arc<Shared>,
    last: Mutex<Option<(String, Voice, Instant)>>,
}

impl SpeechHandle {
    /// Starts the speech thread and its watchdog with the default limits.
    pub fn spawn(factory: SpeakerFactory, on_unavailable: OnUnavailable) -> SpeechHandle {
        SpeechHandle::spawn_with(factory, on_unavailable, Limits::default())
    }

    /// Starts the speech thread. `on_unavailable` runs once (on the speech thread or the
    /// watchdog's) if the engine cannot start, fails, or overruns a limit: the kiosk then
    /// shows its text-only notice. A stuck engine call is abandoned with its thread.
    pub fn spawn_with(factory: SpeakerFactory, on_unavailable: OnUnavailable, limits: Limits) -> SpeechHandle {
        let shared = Arc::new(Shared::default());
        let on_unavailable = Arc::new(on_unavailable);
        let (watched, report) = (shared.clone(), on_unavailable.clone());
        let watchdog = std::thread::Builder::new().name("speech-watchdog".into()).spawn(move || {
            watched.watch(&report);
        });
        let worker = shared.clone();
        let spawned = std::thread::Builder::new().name("speech".into()).spawn(move || {
            let fail = |e: SpeechError| {
                if worker.lose() {
                    on_unavailable(e.to_string());
                }
            };
            let mut engine = match worker.guarded("connexion", limits.start, factory) {
                Some(Ok(engine)) => engine,
                Some(Err(e)) => return fail(e),
                None => return,
            };
            while let Some(msg) = worker.take() {
                let result = worker.guarded("phrase", limits.call, || match msg {
                    Msg::Say(text, voice) => engine.speak(&text, voice),
                    Msg::Stop => engine.stop(),
                });
                match result {
                    Some(Ok(())) => {}
                    Some(Err(e)) => return fail(e),
                    None => return,
                }
            }
        });
        for (what, result) in [("speech", spawned), ("speech watchdog", watchdog)] {
            if let Err(e) = result {
                eprintln!("guichet: cannot start the {what} thread: {e}");
            }
        }
        SpeechHandle { shared, last: Mutex::new(None) }
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
        self.shared.post(Msg::Say(text.to_string(), voice));
    }

    pub fn stop(&self) {
        if let Ok(mut last) = self.last.lock() {
            *last = None;
        }
        self.shared.post(Msg::Stop);
    }
}

impl Drop for SpeechHandle {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::{Heard, RecordingSpeaker, Speaker, Transcript};
    use std::sync::mpsc;

    /// An engine that says what it is asked until it is asked `hang_at`, then never
    /// returns (speech-dispatcher accepting a sentence and going silent), or fails.
    struct Faulty {
        heard: Transcript,
        hang_at: &'static str,
        fail: bool,
        never: mpsc::Receiver<()>,
    }

    impl Speaker for Faulty {
        fn speak(&mut self, text: &str, voice: Voice) -> Result<(), SpeechError> {
            if text == self.hang_at {
                if self.fail {
                    return Err(SpeechError("connection closed".into()));
                }
                let _ = self.never.recv();
            }
            self.heard.push(Heard::Said { text: text.to_string(), voice });
            Ok(())
        }
        fn stop(&mut self) -> Result<(), SpeechError> {
            Ok(())
        }
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

    const SHORT: Limits = Limits { start: Duration::from_millis(300), call: Duration::from_millis(300) };

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
            let (_keep, never) = mpsc::channel::<()>();
            let engine = Faulty { heard: heard.clone(), hang_at: "Deux", fail, never };
            let (on_unavailable, rx) = reports();
            let speech = SpeechHandle::spawn_with(
                Box::new(move || Ok(Box::new(engine) as Box<dyn Speaker>)),
                on_unavailable,
                SHORT,
            );
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
        }
    }

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
