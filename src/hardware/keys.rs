//! The `Keys` port: physical buttons beside the screen (validate, repeat, help) for
//! visitors who cannot use the touch screen, on Raspberry Pi GPIO through rppal.
//! Off a Pi, or without configured pins, the kiosk runs with simulated keys (none).

use std::sync::mpsc::Sender;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Activates the button read aloud (speech-first mode) or starts the visit.
    Validate,
    Repeat,
    Help,
}

/// BCM pin numbers of the keys; `None` leaves that key out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPins {
    pub validate: Option<u8>,
    pub repeat: Option<u8>,
    pub help: Option<u8>,
}

/// Starts a thread that polls the pins (active low, pulled up, 30 ms debounce) and
/// sends each press. Returns why keys are unavailable, if they are.
pub fn spawn_gpio(pins: KeyPins, tx: Sender<Key>) -> Result<(), String> {
    let wanted: Vec<(Key, u8)> = [(Key::Validate, pins.validate), (Key::Repeat, pins.repeat), (Key::Help, pins.help)]
        .into_iter()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .collect();
    if wanted.is_empty() {
        return Err("no key pins configured".into());
    }
    let gpio = rppal::gpio::Gpio::new().map_err(|e| format!("GPIO unavailable: {e}"))?;
    let mut inputs = Vec::new();
    for (key, pin) in wanted {
        let input = gpio.get(pin).map_err(|e| format!("GPIO pin {pin}: {e}"))?.into_input_pullup();
        inputs.push((key, input, false));
    }
    std::thread::Builder::new()
        .name("keys".into())
        .spawn(move || loop {
            for (key, input, was_down) in inputs.iter_mut() {
                let down = input.is_low();
                if down && !*was_down && tx.send(*key).is_err() {
                    return;
                }
                *was_down = down;
            }
            std::thread::sleep(Duration::from_millis(30));
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}
