//! The doctor's checks of the devices the kiosk opens itself on the Pi: the DRM card it
//! draws on and the input devices libinput reads. Each is opened as they open it
//! (read-write), so a sandbox that lets sysfs be read but not the device be opened
//! (systemd's `DeviceAllow=`) is a FAIL naming the device, not a PASS.

use super::doctor_line::{Line, Status};
use crate::hardware::display::{self, InputDevice};
use nix::errno::Errno;
use nix::fcntl::OFlag;
use std::path::{Path, PathBuf};

/// What a device that cannot be opened is. A kiosk on the screen itself (`pi`: DRM/KMS
/// and libinput, chosen when no window system answers, as on the appliance) opens the
/// devices itself: a FAIL. In a window (a desktop, the demo) the window system opens them:
/// a WARN.
pub fn unopenable() -> Status {
    // The window is X11 (the `desktop` feature; a Wayland desktop sets DISPLAY for XWayland).
    let windowed = std::env::var_os("DISPLAY").is_some_and(|s| !s.is_empty());
    let backend = std::env::var("SLINT_BACKEND").unwrap_or_default();
    unopenable_when(cfg!(feature = "pi"), windowed, &backend)
}

/// `unopenable()` for a build with or without the screen backend (`pi`), a window system
/// there or not, and Slint's `SLINT_BACKEND`.
fn unopenable_when(screen_backend: bool, windowed: bool, slint_backend: &str) -> Status {
    let on_screen = slint_backend.eq_ignore_ascii_case("linuxkms") || (!windowed && slint_backend.is_empty());
    match screen_backend && on_screen {
        true => Status::Fail,
        false => Status::Warn,
    }
}

/// Where the devices are listed and where their nodes are: `/sys/class/…` and `/dev/…`,
/// or a test's folders.
#[derive(Debug, Clone)]
pub struct Places {
    pub sys_input: PathBuf,
    pub dev_input: PathBuf,
    pub sys_drm: PathBuf,
    pub dev_dri: PathBuf,
    /// What a device that cannot be opened is (`unopenable()`).
    pub unopenable: Status,
}

impl Default for Places {
    fn default() -> Places {
        Places {
            sys_input: "/sys/class/input".into(),
            dev_input: "/dev/input".into(),
            sys_drm: "/sys/class/drm".into(),
            dev_dri: "/dev/dri".into(),
            unopenable: unopenable(),
        }
    }
}

/// Opens `path` as libinput and the DRM backend do (then closes it).
fn open_rw(path: &Path) -> Result<(), Errno> {
    let flags = OFlag::O_RDWR | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
    nix::fcntl::open(path, flags, nix::sys::stat::Mode::empty()).map(drop)
}

/// What to do when a device of `class` (systemd's name: `char-input`) cannot be opened;
/// `group` owns its nodes.
pub fn remedy(e: Errno, class: &str, group: &str) -> String {
    match e {
        Errno::EPERM => format!("the service's DeviceAllow= must allow {class} rw"),
        Errno::EACCES => {
            format!("the user running guichet must be in group {group} (the service's SupplementaryGroups=)")
        }
        Errno::ENOENT | Errno::ENODEV | Errno::ENXIO => "the device is gone: check its cable, then dmesg".into(),
        _ => "check dmesg".into(),
    }
}

/// `cannot open /dev/input/event3 (name) read-write (Operation not permitted): …`
fn cannot_open(node: &Path, name: Option<&str>, e: Errno, class: &str, group: &str) -> String {
    let named = name.map(|n| format!(" ({n})")).unwrap_or_default();
    format!("cannot open {}{named} read-write ({}): {}", node.display(), e.desc(), remedy(e, class, group))
}

/// The touch screens: found in sysfs, and each node opened read-write.
pub fn touch(places: &Places) -> Line {
    match display::touch_inputs(&places.sys_input).as_slice() {
        [] => Line::new(Status::Warn, "touch", "no touch screen found (keys or a mouse only); check its USB cable"),
        found => inputs("touch", found, places),
    }
}

/// Keyboards and USB keypads (none is normal: touch and GPIO keys only).
pub fn keyboard(places: &Places) -> Line {
    match display::keyboards(&places.sys_input).as_slice() {
        [] => Line::new(Status::Pass, "keyboard", "no keyboard or USB keypad (touch and GPIO keys only)"),
        found => inputs("keyboard", found, places),
    }
}

fn inputs(part: &'static str, found: &[InputDevice], places: &Places) -> Line {
    let mut opened = Vec::new();
    let mut failed = Vec::new();
    for device in found {
        let node = places.dev_input.join(&device.node);
        match open_rw(&node) {
            Ok(()) => opened.push(format!("{} ({})", device.name, node.display())),
            Err(e) => failed.push(cannot_open(&node, Some(&device.name), e, "char-input", "input")),
        }
    }
    match failed.split_first() {
        None => Line::new(Status::Pass, part, opened.join(", ")),
        Some((first, [])) => Line::new(places.unopenable, part, first.as_str()),
        Some((first, more)) => Line::new(places.unopenable, part, format!("{first} (and {} more)", more.len())),
    }
}

/// The DRM card the kiosk would draw on: the one with a connected screen, else the
/// first `card*` under `dev_dri`; `None` without any (a machine with no DRM driver).
fn screen_card(places: &Places) -> Option<PathBuf> {
    if let Some(card) = display::screen_card(&places.sys_drm) {
        let path = places.dev_dri.join(card);
        if path.exists() {
            return Some(path);
        }
    }
    let mut cards: Vec<PathBuf> = std::fs::read_dir(&places.dev_dri)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("card"))
        .map(|e| e.path())
        .collect();
    cards.sort();
    cards.into_iter().next()
}

/// The screen's DRM card opened read-write: `None` when there is none (then only the
/// screen's size is reported), `Ok` with what to add to the display line, or the line
/// saying why it cannot be opened.
pub fn screen_device(places: &Places) -> Option<Result<String, Line>> {
    let card = screen_card(places)?;
    Some(match open_rw(&card) {
        Ok(()) => Ok(format!("{} opens read-write", card.display())),
        Err(e) => Err(Line::new(places.unopenable, "display", cannot_open(&card, None, e, "char-drm", "video"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_the_kiosk_opens_itself_fails_and_one_a_window_system_opens_warns() {
        assert_eq!(unopenable_when(true, false, ""), Status::Fail, "the appliance: no window system");
        assert_eq!(unopenable_when(true, true, "linuxkms"), Status::Fail, "the service names the screen backend");
        assert_eq!(unopenable_when(true, true, ""), Status::Warn, "a desktop: the window system opens them");
        assert_eq!(unopenable_when(true, false, "winit"), Status::Warn, "a window asked for");
        assert_eq!(unopenable_when(false, false, "linuxkms"), Status::Warn, "a build without the screen backend");
    }

    /// Folders standing for sysfs and /dev, with one touch screen (event0) and one
    /// keyboard (event1) listed, and DRM card1 with a connected screen.
    fn places(root: &Path) -> Places {
        let input = |event: &str, name: &str, abs: &str, key: &str| {
            crate::hardware::display::fake_input(&root.join("sys/input"), event, name, abs, key)
        };
        input("event0", "Goodix Capacitive TouchScreen", "2608000 3\n", "400 0 0 0 0 0\n");
        input("event1", "USB Keyboard", "0\n", "fffffffffffffffe\n");
        let connector = root.join("sys/drm/card1-HDMI-A-1");
        std::fs::create_dir_all(&connector).unwrap();
        std::fs::write(connector.join("status"), "connected\n").unwrap();
        for dir in ["dev/input", "dev/dri"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        Places {
            sys_input: root.join("sys/input"),
            dev_input: root.join("dev/input"),
            sys_drm: root.join("sys/drm"),
            dev_dri: root.join("dev/dri"),
            unopenable: Status::Fail,
        }
    }

    #[test]
    fn devices_that_open_read_write_pass() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        for node in ["dev/input/event0", "dev/input/event1", "dev/dri/card0", "dev/dri/card1"] {
            std::fs::write(root.path().join(node), b"").unwrap();
        }
        let line = touch(&p);
        assert_eq!(line.status, Status::Pass, "{line:?}");
        let node = p.dev_input.join("event0");
        assert_eq!(line.detail, format!("Goodix Capacitive TouchScreen ({})", node.display()));
        assert_eq!(keyboard(&p).status, Status::Pass);
        // card1 has the connected screen, not card0.
        let opened = screen_device(&p).unwrap().unwrap();
        assert_eq!(opened, format!("{} opens read-write", p.dev_dri.join("card1").display()));
    }

    /// The kiosk's sandbox reads sysfs but cannot open the node: sysfs alone said PASS.
    #[test]
    fn a_listed_touch_screen_whose_node_cannot_be_opened_fails() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        // event0 missing (ENOENT); a directory in event1's place (EISDIR, even as root).
        std::fs::create_dir(p.dev_input.join("event1")).unwrap();
        let line = touch(&p);
        assert_eq!(line.status, Status::Fail);
        let node = p.dev_input.join("event0");
        let expected = format!(
            "cannot open {} (Goodix Capacitive TouchScreen) read-write (No such file or directory): \
             the device is gone: check its cable, then dmesg",
            node.display()
        );
        assert_eq!(line.detail, expected);
        let line = keyboard(&p);
        assert_eq!(line.status, Status::Fail);
        assert!(line.detail.contains("event1 (USB Keyboard) read-write (Is a directory): check dmesg"), "{line:?}");
        // The desktop build: a warning, same words.
        let desktop = Places { unopenable: Status::Warn, ..p };
        assert_eq!(touch(&desktop).status, Status::Warn);
    }

    #[test]
    fn a_drm_card_that_cannot_be_opened_fails_and_no_card_is_no_check() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        assert!(screen_device(&p).is_none(), "no /dev/dri card: today's display line alone");
        std::fs::create_dir(p.dev_dri.join("card1")).unwrap();
        let Some(Err(line)) = screen_device(&p) else { panic!("card1 opened") };
        assert_eq!((line.status, line.part), (Status::Fail, "display"));
        let card = p.dev_dri.join("card1");
        assert_eq!(line.detail, format!("cannot open {} read-write (Is a directory): check dmesg", card.display()));
    }

    #[test]
    fn the_remedy_names_the_sandbox_or_the_group() {
        assert_eq!(remedy(Errno::EPERM, "char-input", "input"), "the service's DeviceAllow= must allow char-input rw");
        assert_eq!(
            remedy(Errno::EACCES, "char-drm", "video"),
            "the user running guichet must be in group video (the service's SupplementaryGroups=)"
        );
    }
}
