//! The optional presence sensor (a PIR motion sensor on GPIO, output high when someone
//! is there). A person arriving in front of the idle kiosk wakes the attract screen: it
//! says its welcome and how to start, so a visitor who cannot see the screen learns that
//! it is there and that it speaks. Someone standing still, or people passing again and
//! again, are not greeted over and over: a new arrival counts after the sensor has been
//! quiet for a while, and greetings are at least `quiet_s` apart.

use super::keys::Debouncer;
use std::time::Duration;

/// The sensor's pin and how often it may greet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PresencePins {
    /// BCM pin of the sensor's output; none: no sensor.
    pub pin: Option<u8>,
    /// Seconds between two greetings at least.
    pub quiet_s: u32,
}

impl Default for PresencePins {
    fn default() -> Self {
        PresencePins { pin: None, quiet_s: 60 }
    }
}

/// How often the sensor is read; a reading must hold for the keypad's 3 polls (300 ms
/// here: PIR outputs are clean but glitch on long wires) to count.
pub const POLL: Duration = Duration::from_millis(100);

/// Turns readings (one per [`POLL`]) into arrivals: the keypad's debouncer finds
/// "someone is there", and greetings are kept `quiet` apart.
#[derive(Debug, Clone)]
pub struct Arrivals {
    quiet_polls: u32,
    /// Polls since the last greeting (starts "long ago").
    since_greeting: u32,
    present: Debouncer,
}

impl Arrivals {
    pub fn new(quiet: Duration) -> Arrivals {
        let quiet_polls = (quiet.as_millis() / POLL.as_millis()).max(1) as u32;
        Arrivals { quiet_polls, since_greeting: quiet_polls, present: Debouncer::default() }
    }

    /// Feeds one reading; true when it is an arrival to greet.
    pub fn feed(&mut self, motion: bool) -> bool {
        self.since_greeting = self.since_greeting.saturating_add(1);
        if self.present.feed(motion) && self.since_greeting >= self.quiet_polls {
            self.since_greeting = 0;
            return true;
        }
        false
    }
}

/// Starts a thread that reads the sensor and calls `arrived` for each arrival; says why
/// there is no sensor, if there is none.
pub fn spawn_gpio(pins: PresencePins, arrived: impl Fn() + Send + 'static) -> Result<(), String> {
    let pin = pins.pin.ok_or_else(|| "no presence sensor configured".to_string())?;
    let gpio = rppal::gpio::Gpio::new().map_err(|e| format!("GPIO unavailable: {e}"))?;
    let input = gpio.get(pin).map_err(|e| format!("GPIO pin {pin}: {e}"))?.into_input_pulldown();
    let mut arrivals = Arrivals::new(Duration::from_secs(u64::from(pins.quiet_s)));
    std::thread::Builder::new()
        .name("presence".into())
        .spawn(move || loop {
            if arrivals.feed(input.is_high()) {
                arrived();
            }
            std::thread::sleep(POLL);
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arrivals for a script of readings ('#' motion, '.' none), one per 100 ms.
    fn greet(quiet_s: u64, script: &str) -> Vec<usize> {
        let mut a = Arrivals::new(Duration::from_secs(quiet_s));
        script.bytes().enumerate().filter(|&(_, b)| a.feed(b == b'#')).map(|(i, _)| i).collect()
    }

    #[test]
    fn an_arrival_is_greeted_once_after_300_ms_and_glitches_are_not() {
        assert_eq!(greet(1, ".#..##...#####........"), [11]);
    }

    #[test]
    fn people_passing_again_are_greeted_only_after_the_quiet_time() {
        // With a 2 s quiet time: an arrival, another 0.6 s later (not greeted), a third
        // 3.3 s after the first (greeted).
        let script = format!("{}{}{}{}{}", "###", "...", "#".repeat(3), ".".repeat(24), "###");
        assert_eq!(greet(2, &script), [2, 35]);
    }
}
