//! The speech thread and its watchdog. The UI leaves messages in a one-message slot
//! (a newer one replaces one not taken yet); the speech thread takes them and calls the
//! engine; the watchdog declares speech lost when an engine call overruns its limit
//! (speech-dispatcher's library waits for ever on a server that stopped answering).
//! An engine call that fails (the server crashed or was killed: its connection is closed)
//! gets a new connection, which starts a new server, and the sentence is said again;
//! a second failure soon after declares speech lost.

use super::{punctuation, Speaker, SpeakerFactory, SpeechError, Voice};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

enum Msg {
    Say(String, Voice),
    Stop,
}

fn say(engine: &mut Box<dyn Speaker>, msg: &Msg) -> Result<(), SpeechError> {
    match msg {
        Msg::Say(text, voice) => engine.speak(text, *voice),
        Msg::Stop => engine.stop(),
    }
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
    /// A failed engine gets a new connection, unless it is itself a new connection made
    /// this recently (a server that dies again at once is not started for ever: speech
    /// is lost).
    pub reconnect_gap: Duration,
}

/// How many times a new connection is tried after the engine failed.
const RECONNECT_TRIES: usize = 3;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            start: Duration::from_secs(180),
            call: Duration::from_secs(30),
            reconnect_gap: Duration::from_secs(60),
        }
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

    /// `guarded` for an engine call that may fail: `Err(None)` when the watchdog gave up
    /// on it, `Err(Some(e))` when it failed.
    fn attempt<T>(
        &self,
        what: &'static str,
        limit: Duration,
        call: impl FnOnce() -> Result<T, SpeechError>,
    ) -> Result<T, Option<SpeechError>> {
        self.guarded(what, limit, call).ok_or(None)?.map_err(Some)
    }

    /// Marks speech lost; true for the first caller only (who reports it).
    fn lose(&self) -> bool {
        let mut slot = self.lock();
        let first = !slot.lost;
        slot.lost = true;
        self.changed.notify_all();
        first
    }

    /// The speech thread's work: connects, then says each message taken. `Err(Some(e))`:
    /// the engine failed for good (speech lost); `Err(None)`: the watchdog gave up on a
    /// call, or the handle is gone.
    fn serve(&self, mut factory: SpeakerFactory, limits: Limits) -> Result<(), Option<SpeechError>> {
        let mut engine = self.attempt("connexion", limits.start, &mut factory)?;
        let mut reconnected: Option<Instant> = None;
        while let Some(msg) = self.take() {
            let said = |engine: &mut Box<dyn Speaker>| self.attempt("phrase", limits.call, || say(engine, &msg));
            let Err(failed) = said(&mut engine) else { continue };
            let e = failed.ok_or(None)?;
            if reconnected.is_some_and(|at| at.elapsed() < limits.reconnect_gap) {
                return Err(Some(e));
            }
            eprintln!("guichet: speech: {e}; connecting again");
            drop(engine);
            engine = self.reconnect(&mut factory, &limits)?;
            reconnected = Some(Instant::now());
            said(&mut engine)?;
        }
        Ok(())
    }

    /// A new connection after a failure. A speech-dispatcher just started again (killed,
    /// then started by its library) may answer late on a busy machine: it is asked up to
    /// `RECONNECT_TRIES` times before speech is lost. The booted appliance lost speech for
    /// good when the new server took more than one probe's 10 s.
    fn reconnect(
        &self,
        factory: &mut SpeakerFactory,
        limits: &Limits,
    ) -> Result<Box<dyn Speaker>, Option<SpeechError>> {
        let mut last = None;
        for _ in 0..RECONNECT_TRIES {
            if self.lock().closed {
                return Err(None);
            }
            match self.attempt("connexion", limits.start, &mut *factory) {
                Ok(engine) => return Ok(engine),
                Err(None) => return Err(None),
                Err(Some(e)) => {
                    eprintln!("guichet: speech: {e}; asking again");
                    last = Some(e);
                }
            }
        }
        Err(last)
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
    /// watchdog's) if the engine cannot start, fails again on its new connection, or
    /// overruns a limit: the kiosk then shows its text-only notice. A stuck engine call is
    /// abandoned with its thread.
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
            worker.serve(factory, limits).unwrap_or_else(|e| e.map_or((), fail));
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
#[path = "handle_tests.rs"]
mod tests;
