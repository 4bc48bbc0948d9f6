//! The optional status LED beside the screen, for staff across the room: steady when the
//! kiosk is ready, blinking slowly while a ticket prints, and showing a fault (printer out
//! of paper, cover open or offline; speech lost; a lasting fault such as the disk full or
//! the console's port taken). One LED (a pin for
//! "ready") or two (plus a red "fault" LED). The pattern comes from `Health`, so the LED
//! is just another reader of what the console shows. Blinks stay at 1 Hz or slower.

use crate::health::{Health, SpeechHealth};
use std::time::Duration;

/// BCM pins of the LEDs (active high, through a resistor); both optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LampPins {
    pub ready: Option<u8>,
    pub fault: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lamp {
    Ready,
    Printing,
    Fault,
}

impl Lamp {
    /// What the LED shows for this health reading.
    pub fn from_health(health: &Health) -> Lamp {
        let s = health.snapshot();
        let fault = s.printer.is_some_and(|p| p.stops_printing())
            || matches!(s.speech, SpeechHealth::Lost(_))
            || !s.faults.is_empty();
        if s.printing {
            Lamp::Printing
        } else if fault {
            Lamp::Fault
        } else {
            Lamp::Ready
        }
    }

    /// (ready LED on, fault LED on) at `t_ms` into the pattern. With a fault LED a fault
    /// is red steady; with the ready LED alone it is a short flash every two seconds.
    pub fn levels(self, has_fault_led: bool, t_ms: u64) -> (bool, bool) {
        match self {
            Lamp::Ready => (true, false),
            Lamp::Printing => (t_ms % 1000 < 500, false),
            Lamp::Fault if has_fault_led => (false, true),
            Lamp::Fault => (t_ms % 2000 < 200, false),
        }
    }
}

/// How often the LEDs are updated.
pub const TICK: Duration = Duration::from_millis(100);

/// Where LED levels go: GPIO pins on the Pi, a recorder in tests.
pub trait LampSink: Send {
    fn set(&mut self, ready: bool, fault: bool);
}

/// Drives the LEDs from `health` every [`TICK`] until `wait` says to stop.
pub fn drive(mut sink: impl LampSink, has_fault_led: bool, health: &Health, mut wait: impl FnMut() -> Option<u64>) {
    let mut t_ms = 0;
    loop {
        let (ready, fault) = Lamp::from_health(health).levels(has_fault_led, t_ms);
        sink.set(ready, fault);
        match wait() {
            Some(elapsed) => t_ms += elapsed,
            None => return,
        }
    }
}

struct Gpio {
    ready: Option<rppal::gpio::OutputPin>,
    fault: Option<rppal::gpio::OutputPin>,
}

impl LampSink for Gpio {
    fn set(&mut self, ready: bool, fault: bool) {
        for (pin, on) in [(&mut self.ready, ready), (&mut self.fault, fault)] {
            if let Some(p) = pin {
                if on {
                    p.set_high()
                } else {
                    p.set_low()
                }
            }
        }
    }
}

/// Starts the LED thread on the configured pins; says why there is none, if there is none.
pub fn spawn_gpio(pins: LampPins, health: Health) -> Result<(), String> {
    if pins.ready.is_none() && pins.fault.is_none() {
        return Err("no LED pins configured".into());
    }
    let gpio = rppal::gpio::Gpio::new().map_err(|e| format!("GPIO unavailable: {e}"))?;
    let output = |pin: Option<u8>| -> Result<Option<rppal::gpio::OutputPin>, String> {
        pin.map(|p| gpio.get(p).map(|g| g.into_output_low()).map_err(|e| format!("GPIO pin {p}: {e}"))).transpose()
    };
    let sink = Gpio { ready: output(pins.ready)?, fault: output(pins.fault)? };
    let has_fault = pins.fault.is_some();
    std::thread::Builder::new()
        .name("lamp".into())
        .spawn(move || {
            drive(sink, has_fault, &health, || {
                std::thread::sleep(TICK);
                Some(TICK.as_millis() as u64)
            })
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardware::printer_status::PrinterState;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<(bool, bool)>>>);

    impl LampSink for Recorder {
        fn set(&mut self, ready: bool, fault: bool) {
            self.0.lock().unwrap().push((ready, fault));
        }
    }

    /// The levels over `ticks` updates of 100 ms.
    fn run(health: &Health, has_fault_led: bool, ticks: usize) -> Vec<(bool, bool)> {
        let rec = Recorder::default();
        let mut n = 0;
        drive(rec.clone(), has_fault_led, health, || {
            n += 1;
            (n < ticks).then_some(100)
        });
        let levels = rec.0.lock().unwrap().clone();
        levels
    }

    #[test]
    fn ready_is_steady_printing_blinks_at_one_hertz() {
        let h = Health::new();
        h.printer(PrinterState::Ready);
        assert!(run(&h, true, 20).iter().all(|&l| l == (true, false)));
        h.printing(true);
        let lit: Vec<bool> = run(&h, true, 20).iter().map(|l| l.0).collect();
        assert_eq!(lit.iter().filter(|&&on| on).count(), 10);
        assert_eq!(lit[..6], [true, true, true, true, true, false]);
    }

    #[test]
    fn a_fault_is_red_or_a_short_flash_on_a_single_led() {
        let h = Health::new();
        h.printer(PrinterState::PaperOut);
        assert!(run(&h, true, 20).iter().all(|&l| l == (false, true)));
        let single = run(&h, false, 40);
        assert_eq!(single.iter().filter(|l| l.0).count(), 4, "two flashes of 200 ms in 4 s");
        h.printer(PrinterState::PaperLow);
        assert_eq!(Lamp::from_health(&h), Lamp::Ready, "paper low still prints: the console says it");
        h.speech(SpeechHealth::Lost("no engine".into()));
        assert_eq!(Lamp::from_health(&h), Lamp::Fault);
    }

    #[test]
    fn a_lasting_fault_shows_until_fixed() {
        let h = Health::new();
        h.fault("console", "port pris");
        assert_eq!(Lamp::from_health(&h), Lamp::Fault);
        h.fixed("console");
        assert_eq!(Lamp::from_health(&h), Lamp::Ready);
    }
}
