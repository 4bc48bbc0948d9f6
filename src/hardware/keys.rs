//! The `Keys` port: a tactile keypad beside the screen (EN 301 549 5.1.3) on Raspberry Pi
//! GPIO through rppal. Each key stands for a keyboard key (`kiosk::focus::key_text`), so
//! the keypad, a USB numeric keypad and a desktop keyboard do the same things. Off a Pi,
//! or without configured pins, the kiosk runs without keypad.

use std::sync::mpsc::Sender;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Moves the focus to the previous / next control (and says it).
    Previous,
    Next,
    /// Activates the focused control.
    Validate,
    Back,
    Help,
    Repeat,
    VolumeDown,
    VolumeUp,
}

impl Key {
    /// The key's name in `[keys]` of guichet.toml.
    pub fn config_name(self) -> &'static str {
        match self {
            Key::Previous => "previous",
            Key::Next => "next",
            Key::Validate => "validate",
            Key::Back => "back",
            Key::Help => "help",
            Key::Repeat => "repeat",
            Key::VolumeDown => "volume_down",
            Key::VolumeUp => "volume_up",
        }
    }
}

/// BCM pin numbers of the keys; `None` leaves that key out (any subset works).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPins {
    pub previous: Option<u8>,
    pub next: Option<u8>,
    pub validate: Option<u8>,
    pub back: Option<u8>,
    pub help: Option<u8>,
    pub repeat: Option<u8>,
    pub volume_down: Option<u8>,
    pub volume_up: Option<u8>,
}

impl KeyPins {
    /// The configured keys and their pins.
    pub fn wanted(&self) -> Vec<(Key, u8)> {
        [
            (Key::Previous, self.previous),
            (Key::Next, self.next),
            (Key::Validate, self.validate),
            (Key::Back, self.back),
            (Key::Help, self.help),
            (Key::Repeat, self.repeat),
            (Key::VolumeDown, self.volume_down),
            (Key::VolumeUp, self.volume_up),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .collect()
    }
}

/// How often the pins are read.
pub const POLL: Duration = Duration::from_millis(10);
/// Readings in a row that make a change count (30 ms: contact bounce is shorter).
const STABLE: u8 = 3;

/// Debounces one key read every [`POLL`]: a press counts once the pin has read "down"
/// [`STABLE`] times in a row, and the key must come back up the same way before it
/// counts again. A bouncing contact or a glitch shorter than that is ignored.
#[derive(Debug, Default, Clone)]
pub struct Debouncer {
    down: bool,
    streak: u8,
}

impl Debouncer {
    /// Feeds one reading; true when it completes a press.
    pub fn feed(&mut self, reads_down: bool) -> bool {
        if reads_down == self.down {
            self.streak = 0;
            return false;
        }
        self.streak += 1;
        if self.streak < STABLE {
            return false;
        }
        self.streak = 0;
        self.down = reads_down;
        reads_down
    }
}

/// Where key levels come from: GPIO pins on the Pi, fake pins in tests.
pub trait PinSource: Send {
    /// Whether key `i` (in [`KeyPins::wanted`] order) is pressed now.
    fn is_down(&mut self, i: usize) -> bool;
}

/// Reads every key once per poll, debounced, and sends each press, until the receiver
/// is gone or `wait` (between two readings) says to stop.
pub fn poll(mut pins: impl PinSource, keys: &[Key], tx: &Sender<Key>, mut wait: impl FnMut() -> bool) {
    let mut bounce = vec![Debouncer::default(); keys.len()];
    loop {
        for (i, key) in keys.iter().enumerate() {
            if bounce[i].feed(pins.is_down(i)) && tx.send(*key).is_err() {
                return;
            }
        }
        if !wait() {
            return;
        }
    }
}

/// The keypad's pins, active low with the internal pull-up (a key closes to ground).
struct Gpio(Vec<rppal::gpio::InputPin>);

impl PinSource for Gpio {
    fn is_down(&mut self, i: usize) -> bool {
        self.0.get(i).is_some_and(|p| p.is_low())
    }
}

/// Starts a thread that polls the configured pins and sends each press. Returns why
/// the keypad is unavailable, if it is.
pub fn spawn_gpio(pins: KeyPins, tx: Sender<Key>) -> Result<(), String> {
    let wanted = pins.wanted();
    if wanted.is_empty() {
        return Err("no key pins configured".into());
    }
    let gpio = rppal::gpio::Gpio::new().map_err(|e| format!("GPIO unavailable: {e}"))?;
    let mut inputs = Vec::new();
    for (_, pin) in &wanted {
        inputs.push(gpio.get(*pin).map_err(|e| format!("GPIO pin {pin}: {e}"))?.into_input_pullup());
    }
    let keys: Vec<Key> = wanted.into_iter().map(|(k, _)| k).collect();
    std::thread::Builder::new()
        .name("keys".into())
        .spawn(move || {
            poll(Gpio(inputs), &keys, &tx, || {
                std::thread::sleep(POLL);
                true
            })
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Arc};

    /// Fake pins playing a script: one level per key per reading ('#' down, '.' up).
    struct Script {
        rows: Vec<&'static str>,
        at: Arc<AtomicUsize>,
    }

    impl PinSource for Script {
        fn is_down(&mut self, i: usize) -> bool {
            self.rows.get(self.at.load(Ordering::SeqCst)).and_then(|r| r.as_bytes().get(i)) == Some(&b'#')
        }
    }

    /// The presses the poller sends for a script, one string per key over time
    /// (transposed into readings).
    fn presses(keys: &[Key], lanes: &[&'static str]) -> Vec<Key> {
        let len = lanes[0].len();
        let rows: Vec<&'static str> = (0..len)
            .map(|t| &*String::leak(lanes.iter().map(|l| l.as_bytes()[t] as char).collect::<String>()))
            .collect();
        let at = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel();
        let step = at.clone();
        poll(Script { rows, at }, keys, &tx, move || step.fetch_add(1, Ordering::SeqCst) + 1 < len);
        drop(tx);
        rx.iter().collect()
    }

    #[test]
    fn a_held_key_counts_once_and_bounces_are_ignored() {
        let keys = [Key::Next, Key::Validate];
        // Next: a bounce (down 1 reading), then held for 6, released, pressed again.
        // Validate: two 2-reading glitches, never held 3 readings.
        let got = presses(&keys, &["#..######...####...", ".##.##............."]);
        assert_eq!(got, [Key::Next, Key::Next]);
    }

    #[test]
    fn keys_pressed_together_both_count_in_order_of_pins() {
        let keys = [Key::Previous, Key::Help];
        let got = presses(&keys, &["....####....", "..######...."]);
        assert_eq!(got, [Key::Help, Key::Previous]);
    }

    #[test]
    fn any_subset_of_pins_is_a_keypad() {
        let pins = KeyPins { next: Some(17), validate: Some(27), ..KeyPins::default() };
        assert_eq!(pins.wanted(), [(Key::Next, 17), (Key::Validate, 27)]);
        assert!(KeyPins::default().wanted().is_empty());
    }
}
