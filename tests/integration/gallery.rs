//! The committed gallery (docs/screenshots, made by scripts/gallery.sh) is what this
//! build draws: a few of its images rendered afresh must match them, so a machine, a
//! font set-up or a change that draws differently fails here instead of silently.

use crate::xwd::{differing, read_png};
use std::path::Path;

/// Gallery images and the arguments that make them (the gallery script's).
const SAMPLES: [(&str, &[&str]); 4] = [
    ("settings-fr-large", &["--screen", "settings", "--lang", "fr", "--large"]),
    ("language-uk", &["--screen", "language", "--lang", "uk"]),
    ("theme-ar", &["--screen", "theme", "--lang", "ar"]),
    ("have-fr-contrast", &["--screen", "have", "--lang", "fr", "--theme", "contrast"]),
];

#[test]
fn fresh_renders_match_the_committed_gallery() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    let mut wrong = Vec::new();
    for (name, args) in SAMPLES {
        let out = dir.path().join(format!("{name}.png"));
        let said = crate::shots::screenshot(dir.path(), None, args, &out);
        assert!(!said.contains("cut:"), "{name}: {said}");
        let off = differing(&read_png(&out), &read_png(&gallery.join(format!("{name}.png"))));
        if off > 0.001 {
            wrong.push(format!("{name}: {:.2} % of pixels differ", off * 100.0));
        }
    }
    assert!(
        wrong.is_empty(),
        "the gallery is not what this build draws (scripts/gallery.sh remakes it):\n{}",
        wrong.join("\n")
    );
}
