//! The kiosk draws every text with its own embedded fonts, whatever fonts the system has.
//!
//! Slint looks a text's family up by name, then falls back to the system's generic
//! sans-serif font for signs the family lacks (Cyrillic in Atkinson Hyperlegible, the
//! Arabic of the attract screen). That font differs from machine to machine (DejaVu here,
//! nothing at all on a Raspberry Pi OS Lite), and so did the width of "Українська", the
//! rows of the language grid and the place of every button below it. Slint makes the
//! fonts listed in `SLINT_FONT_PATH` the generic sans-serif chain: we list ours there, in
//! the order the width measurements (`measure.rs`) fall back in.

use std::path::{Path, PathBuf};

/// The fallback chain, in order: Noto Sans, Noto Sans Arabic UI, Atkinson Hyperlegible.
const CHAIN: [(&str, &[u8]); 6] = [
    ("NotoSans-Bold.ttf", include_bytes!("../../assets/fonts/noto/NotoSans-Bold.ttf")),
    ("NotoSans-Regular.ttf", include_bytes!("../../assets/fonts/noto/NotoSans-Regular.ttf")),
    ("NotoSansArabicUI-Bold.ttf", include_bytes!("../../assets/fonts/noto/NotoSansArabicUI-Bold.ttf")),
    ("NotoSansArabicUI-Regular.ttf", include_bytes!("../../assets/fonts/noto/NotoSansArabicUI-Regular.ttf")),
    (
        "AtkinsonHyperlegible_700Bold.ttf",
        include_bytes!("../../assets/fonts/atkinson-hyperlegible/AtkinsonHyperlegible_700Bold.ttf"),
    ),
    (
        "AtkinsonHyperlegible_400Regular.ttf",
        include_bytes!("../../assets/fonts/atkinson-hyperlegible/AtkinsonHyperlegible_400Regular.ttf"),
    ),
];

/// A folder of this user's for the font files (Slint reads fallbacks from files).
fn folder() -> PathBuf {
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| Path::new(d).is_dir()) {
        return Path::new(&runtime).join("guichet-fonts");
    }
    // One folder per user, the same at every start (a per-process name left 1.7 MB behind
    // at each start where USER is unset). /proc/self belongs to this process's user.
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").map_or_else(|_| "shared".to_string(), |m| m.uid().to_string());
    std::env::temp_dir().join(format!("guichet-fonts-{uid}"))
}

/// Writes `bytes` to `path` unless it already holds exactly them.
fn ensure_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|on_disk| on_disk == bytes) {
        return Ok(());
    }
    let part = path.with_extension(format!("part{}", std::process::id()));
    std::fs::write(&part, bytes)?;
    std::fs::rename(&part, path)
}

/// Makes the embedded fonts Slint's only fallback chain. Call it first thing, before any
/// Slint window or platform exists and before other threads start (it sets an
/// environment variable). On failure the kiosk still runs, with the system's fallback.
pub fn use_embedded_fallbacks() -> std::io::Result<()> {
    let dir = folder();
    std::fs::create_dir_all(&dir)?;
    let mut files = Vec::with_capacity(CHAIN.len());
    for (name, bytes) in CHAIN {
        let path = dir.join(name);
        ensure_file(&path, bytes)?;
        files.push(path);
    }
    let list = std::env::join_paths(&files).map_err(std::io::Error::other)?;
    std::env::set_var("SLINT_FONT_PATH", list);
    std::env::remove_var("SLINT_DEFAULT_FONT");
    Ok(())
}

/// [`use_embedded_fallbacks`], reporting a failure on stderr.
pub fn install() {
    if let Err(e) = use_embedded_fallbacks() {
        eprintln!("guichet: cannot set up the embedded fallback fonts, using the system's: {e}");
    }
}
