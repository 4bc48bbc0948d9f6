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
