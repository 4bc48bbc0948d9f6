//! The reference displays, print sizes and screens every display check walks, and the
//! config file that gives the real binary one of those displays.

use std::path::{Path, PathBuf};

/// A display: its size in pixels and millimetres.
#[derive(Debug, Clone, Copy)]
pub struct Display {
    pub name: &'static str,
    pub w: f32,
    pub h: f32,
    pub w_mm: f32,
    pub h_mm: f32,
}

impl Display {
    pub fn config(&self) -> guichet::config::Display {
        guichet::config::Display {
            width_px: self.w as u32,
            height_px: self.h as u32,
            width_mm: self.w_mm,
            height_mm: self.h_mm,
            ..Default::default()
        }
    }

    /// A low screen, as ui/widgets/screen-frame.slint decides it (`low`): a landscape panel
    /// where four tools of 20.4 mm and their five 3 mm gaps do not stand one above the other.
    pub fn low(&self) -> bool {
        self.w > self.h && 4.0 * 20.4 + 5.0 * 3.0 > self.h / self.config().px_per_mm()
    }

    /// A narrow screen, as the frame decides it (`narrow`): a portrait panel under 100 mm
    /// wide (the 7" Touch Display 2).
    pub fn narrow(&self) -> bool {
        self.w < self.h && self.w < 100.0 * self.config().px_per_mm()
    }

    /// `WIDTHxHEIGHT`, as `guichet screenshot --size` takes it.
    pub fn size_arg(&self) -> String {
        format!("{}x{}", self.w, self.h)
    }

    /// Writes a guichet.toml for this display into `dir`; returns its path. Without
    /// speech Repeat's place says "Sans son" and the welcome screen and Help say why.
    pub fn write_config(&self, dir: &Path, speech: bool) -> PathBuf {
        let path = dir.join(format!("{}x{}-speech-{speech}.toml", self.w, self.h));
        let toml = format!(
            "site_name = \"Test\"\n[display]\nwidth_px = {}\nheight_px = {}\nwidth_mm = {}\nheight_mm = {}\n[speech]\nenabled = {speech}\n",
            self.w, self.h, self.w_mm, self.h_mm
        );
        std::fs::write(&path, toml).expect("config written");
        path
    }
}

/// The reference displays: the 10.1" panel (1280×800, 217×136 mm), the usual queue-kiosk
/// sizes 15.6" (1920×1080, 344×194 mm) and 21.5" portrait (1080×1920, 268×477 mm), and
/// the 7" Touch Display 2 (720×1280, 88×155 mm) and the first 7" Touch Display (800×480,
/// 154×86 mm: the low-screen frame, three named tools in the rail and Back in the action row).
pub const DISPLAYS: [Display; 5] = [
    Display { name: "10.1\"", w: 1280.0, h: 800.0, w_mm: 217.0, h_mm: 136.0 },
    Display { name: "15.6\"", w: 1920.0, h: 1080.0, w_mm: 344.0, h_mm: 194.0 },
    Display { name: "21.5\" portrait", w: 1080.0, h: 1920.0, w_mm: 268.0, h_mm: 477.0 },
    Display { name: "7\"", w: 720.0, h: 1280.0, w_mm: 88.0, h_mm: 155.0 },
    Display { name: "7\" landscape", w: 800.0, h: 480.0, w_mm: 154.0, h_mm: 86.0 },
];

/// Every reference display in normal and large print. The two 7" panels hold large print
/// with a frame of their own (`tight` in ui/widgets/screen-frame.slint: titles at the
/// body's size, Back at the start of the action row, pictograms for the tools) and the
/// catalogue's words cut to three lines there (tests/ui/catalogue.rs walks every procedure).
pub const SIZES: [(Display, bool); 10] = [
    (DISPLAYS[0], false),
    (DISPLAYS[1], false),
    (DISPLAYS[2], false),
    (DISPLAYS[3], false),
    (DISPLAYS[0], true),
    (DISPLAYS[1], true),
    (DISPLAYS[2], true),
    (DISPLAYS[4], false),
    (DISPLAYS[4], true),
    (DISPLAYS[3], true),
];

/// Every screen of a visit, by the name `guichet screenshot --screen` takes.
pub const SCREENS: [&str; 12] = [
    "attract",
    "language",
    "theme",
    "procedure",
    "have",
    "priority",
    "summary",
    "ticket",
    "help",
    "settings",
    "warning",
    // The staff panel (a long press on the welcome screen): also read, touched, printed.
    "staff",
];
