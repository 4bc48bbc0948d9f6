//! The kiosk draws with its own fonts only: on a system with no font at all (a bare Pi OS
//! Lite, or a Debian without fonts-dejavu) it starts and draws exactly what it draws here.
//! Slint's font library asks fontconfig for the system's fonts at start, and stopped the
//! program when there were none.

use super::startup::in_own_mounts;
use std::process::Command;

fn screenshot(command: &mut Command, runtime: &std::path::Path) {
    let out = command.env("XDG_RUNTIME_DIR", runtime).output().expect("guichet runs");
    assert!(
        out.status.success(),
        "guichet screenshot failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_system_without_any_font_draws_the_same_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (data, runtime) = (dir.path().join("data"), dir.path().join("run"));
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    let args = ["screenshot", "--screen", "language", "--lang", "uk", "--out"];
    let here = dir.path().join("here.png");
    screenshot(
        Command::new(env!("CARGO_BIN_EXE_guichet")).arg("--data-dir").arg(&data).args(args).arg(&here),
        &runtime,
    );
    // Every font folder and fontconfig's own configuration hidden under empty file systems.
    let script = r#"for d in /etc/fonts /usr/share/fonts /usr/local/share/fonts /var/cache/fontconfig; do
        [ -d "$d" ] && mount -t tmpfs none "$d"; done
        exec "$G" --data-dir "$D" screenshot --screen language --lang uk --out "$D/bare.png""#;
    let Some(mut bare) = in_own_mounts(&data, script) else { return };
    // A new runtime folder: the fonts are written again, fontconfig makes its cache there.
    let fresh = dir.path().join("run2");
    std::fs::create_dir_all(&fresh).expect("runtime dir");
    screenshot(&mut bare, &fresh);
    let read = |p: &std::path::Path| std::fs::read(p).expect("screenshot written");
    let (a, b) = (image(&read(&here)), image(&read(&data.join("bare.png"))));
    assert!(a == b, "the screen drawn without system fonts differs from the one drawn with them");
}

/// The decoded pixels of a PNG.
fn image(bytes: &[u8]) -> Vec<u8> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).expect("its pixels");
    pixels
}

/// Counts the closed outlines of a glyph.
struct Contours(usize);

impl ttf_parser::OutlineBuilder for Contours {
    fn move_to(&mut self, _: f32, _: f32) {
        self.0 += 1;
    }
    fn line_to(&mut self, _: f32, _: f32) {}
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
    fn close(&mut self) {}
}

/// Atkinson Hyperlegible's zero had a slash through it, read as "Ø" ("entre 1Ø et 2Ø
/// minutes"): in every font the kiosk draws with, a zero is an outline and one hole
/// (tools/fonts/plain-zero.py made Atkinson's so), not an outline split by a stroke.
#[test]
fn every_embedded_font_has_a_plain_zero() {
    use guichet::assets::fonts::*;
    let fonts = [
        ("Atkinson regular", ATKINSON_REGULAR),
        ("Atkinson bold", ATKINSON_BOLD),
        ("Noto Sans regular", NOTO_REGULAR),
        ("Noto Sans bold", NOTO_BOLD),
        ("Noto Sans Arabic UI regular", ARABIC_REGULAR),
        ("Noto Sans Arabic UI bold", ARABIC_BOLD),
    ];
    for (name, bytes) in fonts {
        let face = ttf_parser::Face::parse(bytes, 0).expect("an embedded font parses");
        let zero = face.glyph_index('0').unwrap_or_else(|| panic!("{name} has no zero"));
        let mut contours = Contours(0);
        face.outline_glyph(zero, &mut contours);
        assert_eq!(contours.0, 2, "{name}: its zero has {} outlines (a slashed zero has 3)", contours.0);
    }
}
