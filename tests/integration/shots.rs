//! `guichet screenshot` run as a visitor's kiosk would draw: the real binary, a data
//! directory, optionally a site configuration (the display's size in mm).

use std::path::Path;
use std::process::Command;

/// Renders with `args` (screen, language, print size…) into `out`; returns what the
/// command printed (the spoken text and any `cut:` lines).
pub fn screenshot(data: &Path, config: Option<&Path>, args: &[&str], out: &Path) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guichet"));
    command.arg("--data-dir").arg(data);
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    let run = command.arg("screenshot").args(args).arg("--out").arg(out).output().unwrap();
    assert!(run.status.success(), "{args:?}: {}", String::from_utf8_lossy(&run.stderr));
    String::from_utf8_lossy(&run.stdout).to_string()
}
