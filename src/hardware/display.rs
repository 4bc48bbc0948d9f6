//! The screen's size in millimetres, which sizes every touch target to 20 mm: read from
//! the DRM connectors in sysfs (`/sys/class/drm/card*-*`) when the config gives none.
//! HDMI screens say it in their EDID; the official DSI panels have none, so they are
//! known by connector and mode.

use std::path::Path;

/// A connected screen as the kernel sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    /// Connector name, e.g. `HDMI-A-1`, `DSI-1`.
    pub connector: String,
    pub width_px: u32,
    pub height_px: u32,
    pub width_mm: f32,
    pub height_mm: f32,
    /// Where the millimetres come from: "EDID" or the panel's name.
    pub source: String,
}

/// Pixels and millimetres of the preferred mode in an EDID block: the first detailed
/// timing descriptor, or the coarse size in centimetres when it gives none.
pub fn parse_edid(edid: &[u8]) -> Option<(u32, u32, f32, f32)> {
    const HEADER: [u8; 8] = [0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0];
    if edid.len() < 128 || edid[..8] != HEADER {
        return None;
    }
    let d = &edid[54..72];
    if d[0] == 0 && d[1] == 0 {
        return None; // not a timing descriptor: no preferred mode to go by
    }
    let width_px = u32::from(d[2]) | (u32::from(d[4] & 0xf0) << 4);
    let height_px = u32::from(d[5]) | (u32::from(d[7] & 0xf0) << 4);
    let mut width_mm = f32::from(u16::from(d[12]) | (u16::from(d[14] & 0xf0) << 4));
    let mut height_mm = f32::from(u16::from(d[13]) | (u16::from(d[14] & 0x0f) << 8));
    if width_mm < 10.0 || height_mm < 10.0 {
        (width_mm, height_mm) = (f32::from(edid[21]) * 10.0, f32::from(edid[22]) * 10.0);
    }
    (width_px > 0 && height_px > 0 && width_mm >= 10.0 && height_mm >= 10.0)
        .then_some((width_px, height_px, width_mm, height_mm))
}

/// Panels without an EDID, by connector kind and mode: the Raspberry Pi Touch Display 2
/// (7", 720×1280 portrait, 88×155 mm) and the first Touch Display (7", 800×480, active
/// area 154.08×85.92 mm: a reference display of the UI checks, as 154×86 mm).
fn known_panel(connector: &str, width_px: u32, height_px: u32) -> Option<(f32, f32, &'static str)> {
    if !connector.starts_with("DSI") {
        return None;
    }
    panel_of_mode(width_px, height_px)
}

/// The official panel of this mode, if one has it: its millimetres and name (what
/// `guichet screenshot --size` assumes when guichet.toml gives no `[display]`).
pub fn panel_of_mode(width_px: u32, height_px: u32) -> Option<(f32, f32, &'static str)> {
    match (width_px, height_px) {
        (720, 1280) => Some((88.0, 155.0, "Raspberry Pi Touch Display 2")),
        (800, 480) => Some((154.0, 86.0, "Raspberry Pi Touch Display")),
        _ => None,
    }
}

/// The connected screens under `drm` (normally `/sys/class/drm`), best first.
pub fn detect(drm: &Path) -> Vec<Screen> {
    let Ok(entries) = std::fs::read_dir(drm) else { return Vec::new() };
    let mut screens: Vec<Screen> = entries
        .flatten()
        .filter_map(|e| {
            let dir = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            // card0-HDMI-A-1 → HDMI-A-1
            let connector = name.strip_prefix("card")?.split_once('-')?.1.to_string();
            let status = std::fs::read_to_string(dir.join("status")).ok()?;
            if status.trim() != "connected" {
                return None;
            }
            let mode = std::fs::read_to_string(dir.join("modes")).ok().and_then(|m| {
                let (w, h) = m.lines().next()?.split_once('x')?;
                Some((w.trim().parse().ok()?, h.trim().trim_end_matches('i').parse().ok()?))
            });
            let edid = std::fs::read(dir.join("edid")).ok().and_then(|b| parse_edid(&b));
            match (edid, mode) {
                (Some((w, h, wmm, hmm)), _) => Some(Screen {
                    connector,
                    width_px: w,
                    height_px: h,
                    width_mm: wmm,
                    height_mm: hmm,
                    source: "EDID".into(),
                }),
                (None, Some((w, h))) => known_panel(&connector, w, h).map(|(wmm, hmm, panel)| Screen {
                    connector,
                    width_px: w,
                    height_px: h,
                    width_mm: wmm,
                    height_mm: hmm,
                    source: panel.into(),
                }),
                (None, None) => None,
            }
        })
        .collect();
    screens.sort_by(|a, b| a.connector.cmp(&b.connector));
    screens
}

/// An input device as the kernel lists it under `/sys/class/input`: its name and its
/// node (`event3`: `/dev/input/event3`, which libinput opens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDevice {
    pub name: String,
    pub node: String,
}

/// The touch screens among the input devices under `input` (normally `/sys/class/input`):
/// those reporting multi-touch positions (ABS_MT_POSITION_X) or a touch button with
/// absolute axes.
pub fn touch_inputs(input: &Path) -> Vec<InputDevice> {
    input_devices(input, "touch screen", is_touch)
}

/// The keyboards and USB keypads among the input devices under `input`: those with an
/// Enter key (KEY_ENTER or KEY_KPENTER) that are not touch screens.
pub fn keyboards(input: &Path) -> Vec<InputDevice> {
    const KEY_ENTER: usize = 28;
    const KEY_KPENTER: usize = 96;
    input_devices(input, "keyboard", |abs, key| {
        !is_touch(abs, key) && (has_bit(key, KEY_ENTER) || has_bit(key, KEY_KPENTER))
    })
}

fn is_touch(abs: &str, key: &str) -> bool {
    const ABS_MT_POSITION_X: usize = 0x35;
    const BTN_TOUCH: usize = 0x14a;
    has_bit(abs, ABS_MT_POSITION_X) || (has_bit(abs, 0) && has_bit(key, BTN_TOUCH))
}

/// The `event*` devices under `input` whose capabilities (`abs`, `key` bitmaps) `wanted`
/// accepts, by name; `unnamed` when the kernel gives none.
fn input_devices(input: &Path, unnamed: &str, wanted: impl Fn(&str, &str) -> bool) -> Vec<InputDevice> {
    let Ok(entries) = std::fs::read_dir(input) else { return Vec::new() };
    let mut found: Vec<InputDevice> = entries
        .flatten()
        .filter_map(|e| {
            let node = e.file_name().to_string_lossy().into_owned();
            let dev = e.path().join("device");
            let abs = std::fs::read_to_string(dev.join("capabilities/abs")).unwrap_or_default();
            let key = std::fs::read_to_string(dev.join("capabilities/key")).unwrap_or_default();
            (node.starts_with("event") && wanted(&abs, &key)).then(|| {
                let name = std::fs::read_to_string(dev.join("name"))
                    .map_or_else(|_| unnamed.to_string(), |n| n.trim().to_string());
                InputDevice { name, node }
            })
        })
        .collect();
    found.sort_by(|a, b| (&a.name, &a.node).cmp(&(&b.name, &b.node)));
    found
}

/// The DRM card (`card1`) of the first connected connector under `drm` (normally
/// `/sys/class/drm`), by connector name as `detect` orders them: the card the kiosk's
/// full-screen backend draws on.
pub fn screen_card(drm: &Path) -> Option<String> {
    let entries = std::fs::read_dir(drm).ok()?;
    let mut connected: Vec<(String, String)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (card, connector) = name.split_once('-')?;
            let status = std::fs::read_to_string(e.path().join("status")).ok()?;
            (card.starts_with("card") && status.trim() == "connected").then(|| (connector.into(), card.into()))
        })
        .collect();
    connected.sort();
    connected.into_iter().next().map(|(_, card)| card)
}

/// Whether bit `n` is set in a sysfs capability bitmap ("1 0 3" = hex words, highest first).
fn has_bit(bitmap: &str, n: usize) -> bool {
    let words: Vec<u64> = bitmap.split_whitespace().rev().filter_map(|w| u64::from_str_radix(w, 16).ok()).collect();
    let bits = usize::BITS as usize;
    words.get(n / bits).is_some_and(|w| w >> (n % bits) & 1 == 1)
}

/// A made-up `/sys/class/input/<event>/device` under `input`: its name and its ABS and
/// KEY capability words as sysfs prints them (for tests here and in `doctor`).
#[cfg(test)]
pub(crate) fn fake_input(input: &Path, event: &str, name: &str, abs: &str, key: &str) {
    let dir = input.join(event).join("device");
    std::fs::create_dir_all(dir.join("capabilities")).unwrap();
    std::fs::write(dir.join("name"), format!("{name}\n")).unwrap();
    std::fs::write(dir.join("capabilities/abs"), abs).unwrap();
    std::fs::write(dir.join("capabilities/key"), key).unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An EDID block for a 1280×800 panel of 217×136 mm (only the fields we read).
    fn edid(w: u32, h: u32, wmm: u32, hmm: u32) -> Vec<u8> {
        let mut b = vec![0u8; 128];
        b[..8].copy_from_slice(&[0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0]);
        b[21] = (wmm / 10) as u8;
        b[22] = (hmm / 10) as u8;
        let d = &mut b[54..72];
        d[0] = 0x1d; // pixel clock, not zero
        d[2] = (w & 0xff) as u8;
        d[4] = ((w >> 8) << 4) as u8;
        d[5] = (h & 0xff) as u8;
        d[7] = ((h >> 8) << 4) as u8;
        d[12] = (wmm & 0xff) as u8;
        d[13] = (hmm & 0xff) as u8;
        d[14] = (((wmm >> 8) << 4) | (hmm >> 8)) as u8;
        b
    }

    #[test]
    fn edid_gives_pixels_and_millimetres() {
        assert_eq!(parse_edid(&edid(1280, 800, 217, 136)), Some((1280, 800, 217.0, 136.0)));
        assert_eq!(parse_edid(&edid(1920, 1080, 344, 194)), Some((1920, 1080, 344.0, 194.0)));
        // No mm in the descriptor: the centimetres of the basic block.
        assert_eq!(parse_edid(&edid(1920, 1080, 0, 0)), None);
        let mut coarse = edid(1920, 1080, 0, 0);
        (coarse[21], coarse[22]) = (52, 29);
        assert_eq!(parse_edid(&coarse), Some((1920, 1080, 520.0, 290.0)));
        assert_eq!(parse_edid(&[0u8; 128]), None);
        assert_eq!(parse_edid(&[0u8; 10]), None);
    }

    fn connector(root: &Path, name: &str, status: &str, modes: &str, edid_bytes: Option<Vec<u8>>) {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("status"), format!("{status}\n")).unwrap();
        std::fs::write(dir.join("modes"), modes).unwrap();
        std::fs::write(dir.join("edid"), edid_bytes.unwrap_or_default()).unwrap();
    }

    #[test]
    fn connected_screens_are_found_in_sysfs() {
        let root = tempfile::tempdir().unwrap();
        connector(
            root.path(),
            "card1-HDMI-A-1",
            "connected\n",
            "1280x800\n1024x768\n",
            Some(edid(1280, 800, 217, 136)),
        );
        connector(root.path(), "card1-HDMI-A-2", "disconnected", "", None);
        connector(root.path(), "card1-DSI-1", "connected", "720x1280\n", None);
        connector(root.path(), "card1-DSI-2", "connected", "1024x600\n", None);
        std::fs::create_dir_all(root.path().join("card1")).unwrap();
        let found = detect(root.path());
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].connector, "DSI-1");
        assert_eq!((found[0].width_mm, found[0].height_mm), (88.0, 155.0));
        assert_eq!(found[0].source, "Raspberry Pi Touch Display 2");
        assert_eq!(found[1].connector, "HDMI-A-1");
        assert_eq!((found[1].width_px, found[1].width_mm, found[1].source.as_str()), (1280, 217.0, "EDID"));
        assert!(detect(&root.path().join("none")).is_empty());
        assert_eq!(screen_card(root.path()).as_deref(), Some("card1"));
        assert_eq!(screen_card(&root.path().join("none")), None);
    }

    #[test]
    fn the_screen_card_is_the_one_with_a_connected_screen() {
        // A Raspberry Pi 4 or 5: card0 is the 3D engine (no connectors), card1 drives HDMI.
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("card0")).unwrap();
        connector(root.path(), "card1-HDMI-A-1", "disconnected", "", None);
        connector(root.path(), "card1-HDMI-A-2", "connected", "1920x1080\n", None);
        connector(root.path(), "card2-Writeback-1", "unknown", "", None);
        assert_eq!(screen_card(root.path()).as_deref(), Some("card1"));
    }

    #[test]
    fn touch_screens_are_told_from_keyboards() {
        let root = tempfile::tempdir().unwrap();
        let device = |event: &str, name: &str, abs: &str, key: &str| fake_input(root.path(), event, name, abs, key);
        // A multi-touch panel: bits 0, 1, 0x2f, 0x35, 0x36, 0x39 set in the first word.
        device("event0", "Goodix Capacitive TouchScreen", "2608000 3\n", "400 0 0 0 0 0\n");
        device("event1", "USB Keyboard", "0\n", "fffffffffffffffe\n");
        // A single-touch resistive panel: ABS_X/ABS_Y and BTN_TOUCH (0x14a) in word 5.
        device("event2", "ADS7846 Touchscreen", "3\n", "400 0 0 0 0 0\n");
        // A numeric keypad: KEY_KPENTER (96) in the second word.
        device("event3", "USB Keypad", "0\n", "100000000 0\n");
        let names = |found: Vec<InputDevice>| -> Vec<String> {
            found.into_iter().map(|d| format!("{} {}", d.node, d.name)).collect()
        };
        assert_eq!(
            names(touch_inputs(root.path())),
            ["event2 ADS7846 Touchscreen", "event0 Goodix Capacitive TouchScreen"]
        );
        assert_eq!(names(keyboards(root.path())), ["event1 USB Keyboard", "event3 USB Keypad"]);
        assert!(touch_inputs(&root.path().join("none")).is_empty());
    }
}
