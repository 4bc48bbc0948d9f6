//! Site configuration (`guichet.toml`). Every mistake names the file, the line and the fix.

use crate::core::journey::IdlePolicy;
use crate::hardware::keys::KeyPins;
use crate::hardware::lamp::LampPins;
use crate::hardware::presence::PresencePins;
use crate::speech::output::SpeechOutput;
use serde::Deserialize;
use std::path::{Path, PathBuf};

mod console;
mod follow;
mod printer;
mod site;

pub use console::{ConsoleSection, TlsMode, MAX_DESK};
pub use follow::FollowSection;
use printer::check_printer;
pub use printer::{PrinterKind, PrinterSection};
pub use site::{NetworkSection, SiteSection};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub site_name: String,
    /// Another catalogue folder instead of the built-in one.
    pub catalogue_dir: Option<PathBuf>,
    pub display: Display,
    pub console: ConsoleSection,
    /// The visitors' page to follow their turn on their phone.
    pub follow: FollowSection,
    /// The site's shared queue on PostgreSQL (none: this kiosk's SQLite file).
    pub site: SiteSection,
    /// The network's database where this site's daily figures go (none: they stay here).
    pub network: NetworkSection,
    pub queue: QueueSection,
    pub idle: IdleSection,
    pub printer: PrinterSection,
    pub speech: SpeechSection,
    pub board: BoardSection,
    pub retention: RetentionSection,
    pub keys: KeyPins,
    /// The optional status LEDs.
    pub led: LampPins,
    /// The optional presence sensor that wakes the welcome screen.
    pub presence: PresencePins,
    /// Whether the file gives the display's size (without it the kiosk asks the DRM
    /// connector for the screen's size).
    #[serde(skip)]
    pub display_given: bool,
}

/// The screen in pixels and millimetres: touch targets and text sizes are set in mm.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Display {
    pub width_px: u32,
    pub height_px: u32,
    pub width_mm: f32,
    pub height_mm: f32,
    /// Degrees clockwise the picture is turned on the panel (0, 90, 180, 270): a portrait
    /// panel mounted in landscape, or upside down in its stand. Sizes above are the
    /// visible area as the visitor sees it.
    pub rotation: u16,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueueSection {
    pub minutes_per_visit: u32,
    pub desks: u32,
    /// Calls (the first and the recalls) before staff may note a visitor absent.
    pub calls_before_absent: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdleSection {
    pub timeout_s: u32,
    pub warning_s: u32,
    pub ticket_s: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpeechSection {
    pub enabled: bool,
    /// Where the voice comes out: "system", "hdmi", "hdmi2", "jack" or "usb".
    pub output: SpeechOutput,
}

/// The waiting-room board.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BoardSection {
    /// The kiosk says each call on its own speaker (an office with no TV for the board).
    pub speak_on_kiosk: bool,
}

/// How long visitor-level details are kept.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSection {
    /// Days after which what a visitor had with them, their priority reason (health data)
    /// and their language are wiped from closed tickets; the report keeps the counts.
    pub details_days: u32,
}

/// The days `details_days` may be: 0 (wiped at the first purge after the visit's day) to
/// ten years.
pub const DETAILS_DAYS: std::ops::RangeInclusive<u32> = 0..=3650;

impl Default for RetentionSection {
    fn default() -> Self {
        RetentionSection { details_days: 30 }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            site_name: "France Services".into(),
            catalogue_dir: None,
            display: Display::default(),
            console: ConsoleSection::default(),
            follow: FollowSection::default(),
            site: SiteSection::default(),
            network: NetworkSection::default(),
            queue: QueueSection::default(),
            idle: IdleSection::default(),
            printer: PrinterSection::default(),
            speech: SpeechSection::default(),
            board: BoardSection::default(),
            retention: RetentionSection::default(),
            keys: KeyPins::default(),
            led: LampPins::default(),
            presence: PresencePins::default(),
            display_given: false,
        }
    }
}

impl Default for Display {
    /// A 10.1-inch 1280×800 touch screen.
    fn default() -> Self {
        Display { width_px: 1280, height_px: 800, width_mm: 217.0, height_mm: 136.0, rotation: 0 }
    }
}

impl Display {
    /// Pixels in one millimetre across the screen.
    pub fn px_per_mm_across(&self) -> f32 {
        self.width_px as f32 / self.width_mm
    }

    /// Pixels in one millimetre down the screen (capital heights are measured this way).
    pub fn px_per_mm_down(&self) -> f32 {
        self.height_px as f32 / self.height_mm
    }

    /// The pixels the UI gives one millimetre: the larger of both directions, so that a
    /// 20 mm target is at least 20 mm both ways and a 7.3 mm capital at least 7.3 mm high
    /// (pixels are rarely exactly square: 5.90 across and 5.88 down on the 10.1" panel).
    pub fn px_per_mm(&self) -> f32 {
        self.px_per_mm_across().max(self.px_per_mm_down())
    }
}

impl Default for QueueSection {
    fn default() -> Self {
        QueueSection { minutes_per_visit: 15, desks: 2, calls_before_absent: 2 }
    }
}

impl Default for IdleSection {
    fn default() -> Self {
        let p = IdlePolicy::default();
        IdleSection { timeout_s: p.timeout, warning_s: p.warning, ticket_s: p.ticket_timeout }
    }
}

impl IdleSection {
    pub fn policy(&self) -> IdlePolicy {
        IdlePolicy { timeout: self.timeout_s, warning: self.warning_s, ticket_timeout: self.ticket_s }
    }
}

impl Default for SpeechSection {
    fn default() -> Self {
        SpeechSection { enabled: true, output: SpeechOutput::System }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {problem}\n    fix: {fix}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub problem: String,
    pub fix: String,
}

fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(key) && l.trim_start()[key.len()..].trim_start().starts_with('='))
        .map_or(0, |i| i + 1)
}

impl Config {
    /// Parses and checks config text; `file` is only used in messages.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |line, problem: String, fix: &str| ConfigError { file: file.into(), line, problem, fix: fix.into() };
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let (problem, fix) = crate::core::syntax::describe(&e, text);
            err(line, problem, fix.as_deref().unwrap_or("see firmware-config/guichet.toml for every key and its form"))
        })?;
        config.display_given =
            text.parse::<toml::Table>().is_ok_and(|t| t.get("display").and_then(|d| d.get("width_mm")).is_some());
        let d = config.display;
        if ![0, 90, 180, 270].contains(&d.rotation) {
            return Err(err(
                line_of_key(text, "rotation"),
                format!("rotation = {} is not a quarter turn", d.rotation),
                "write rotation = 0, 90, 180 or 270 (degrees clockwise)",
            ));
        }
        if d.width_px == 0 || d.height_px == 0 || !(d.width_mm > 10.0 && d.height_mm > 10.0) {
            return Err(err(
                line_of_key(text, "width_mm"),
                "the display size is missing or too small".into(),
                "give the visible area in pixels and millimetres, for example width_mm = 217.0",
            ));
        }
        let i = config.idle;
        if i.warning_s < 20 {
            return Err(err(
                line_of_key(text, "warning_s"),
                format!("warning_s = {} is shorter than 20 seconds", i.warning_s),
                "write warning_s = 20 or more (EN 301 549 asks for 20 s)",
            ));
        }
        if i.timeout_s <= i.warning_s || i.ticket_s <= i.warning_s {
            return Err(err(
                line_of_key(text, "timeout_s"),
                "timeout_s and ticket_s must be longer than warning_s".into(),
                "for example timeout_s = 120, warning_s = 30, ticket_s = 60",
            ));
        }
        let days = config.retention.details_days;
        if !DETAILS_DAYS.contains(&days) {
            return Err(err(
                line_of_key(text, "details_days"),
                format!("[retention] details_days = {days} is out of range"),
                &format!(
                    "write details_days = {} to {} (days after which a closed ticket's details are wiped; 30 by default)",
                    DETAILS_DAYS.start(),
                    DETAILS_DAYS.end()
                ),
            ));
        }
        if matches!(config.printer.kind, PrinterKind::Usb | PrinterKind::Serial) && config.printer.path.is_none() {
            return Err(err(
                line_of_key(text, "kind"),
                "this printer kind needs a device path".into(),
                "add path = \"/dev/usb/lp0\" (USB) or path = \"/dev/serial0\" (serial)",
            ));
        }
        if let Some((key, pin, other)) = config.pin_clash() {
            return Err(err(
                line_of_key(text, key),
                format!("GPIO pin {pin} is given to both {other} and {key}"),
                "give each key, LED and sensor its own BCM pin (see firmware-config/README.md for the wiring)",
            ));
        }
        check_printer(&config.printer).map_err(|(key, problem, fix)| err(line_of_key(text, key), problem, &fix))?;
        console::check_console(&config.console)
            .map_err(|(key, problem, fix)| err(line_of_key(text, key), problem, &fix))?;
        follow::check_follow(&config.follow, &config.console.bind)
            .map_err(|(key, problem, fix)| err(follow::line_in_section(text, "follow", key), problem, &fix))?;
        site::check_site(&config.site)
            .map_err(|(key, problem, fix)| err(follow::line_in_section(text, "site", key), problem, &fix))?;
        site::check_network(&config.network)
            .map_err(|(key, problem, fix)| err(follow::line_in_section(text, "network", key), problem, &fix))?;
        Ok(config)
    }

    /// Two GPIO uses on one pin: (the later key's name, the pin, the earlier key's name).
    fn pin_clash(&self) -> Option<(&'static str, u8, &'static str)> {
        let mut used: Vec<(&'static str, u8)> = Vec::new();
        let keys = self.keys.wanted().into_iter().map(|(k, p)| (k.config_name(), Some(p)));
        let others = [("ready", self.led.ready), ("fault", self.led.fault), ("pin", self.presence.pin)];
        for (name, pin) in keys.chain(others) {
            let Some(pin) = pin else { continue };
            if let Some((other, _)) = used.iter().find(|(_, p)| *p == pin) {
                return Some((name, pin, other));
            }
            used.push((name, pin));
        }
        None
    }

    /// Reads `path`; a missing file means the defaults (demo).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError {
                file: path.display().to_string(),
                line: 0,
                problem: e.to_string(),
                fix: "check the file's permissions".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
