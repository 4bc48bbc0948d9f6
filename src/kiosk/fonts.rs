//! The kiosk draws every text with its own embedded fonts, whatever fonts the system has.
//!
//! Slint looks a text's family up by name, then falls back to the system's generic
//! sans-serif font for signs the family lacks (Cyrillic in Atkinson Hyperlegible, the
//! Arabic of the attract screen). That font differs from machine to machine (DejaVu here,
//! nothing at all on a Raspberry Pi OS Lite), and so did the width of "Українська", the
//! rows of the language grid and the place of every button below it. Slint makes the
//! fonts listed in `SLINT_FONT_PATH` the generic sans-serif chain: we list ours there, in
//! the order the width measurements (`measure.rs`) fall back in.

use crate::assets::fonts::*;
use std::path::{Path, PathBuf};

/// The fallback chain, in order: Noto Sans, Noto Sans Arabic UI, Atkinson Hyperlegible.
const CHAIN: [(&str, &[u8]); 6] = [
    ("NotoSans-Bold.ttf", NOTO_BOLD),
    ("NotoSans-Regular.ttf", NOTO_REGULAR),
    ("NotoSansArabicUI-Bold.ttf", ARABIC_BOLD),
    ("NotoSansArabicUI-Regular.ttf", ARABIC_REGULAR),
    ("AtkinsonHyperlegible_700Bold.ttf", ATKINSON_BOLD),
    ("AtkinsonHyperlegible_400Regular.ttf", ATKINSON_REGULAR),
];

/// Fontconfig's whole configuration for this process: our own folder as its only font
/// folder. Slint always asks fontconfig for the system's fonts: with the system's
/// configuration that meant parsing some sixty files and mapping every font cache at each
/// start, for fonts the kiosk must not use anyway; with no font at all (a bare system, or
/// an empty configuration) Slint's font library stops the program.
fn fontconfig(dir: &Path) -> String {
    let dir = dir.to_string_lossy().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!("<?xml version=\"1.0\"?>\n<fontconfig>\n  <dir>{dir}</dir>\n  <cachedir>{dir}/cache</cachedir>\n</fontconfig>\n")
}

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

/// What this build wrote in the folder: its version, the program file's size and time, and
/// each file's length. When the folder's stamp says so, the files are not read back (that
/// read, and the comparison, brought 2 MB of the program's fonts into memory at each start).
fn stamp(files: &[PathBuf]) -> String {
    let exe = std::fs::metadata("/proc/self/exe").ok();
    let (size, time) = exe.map_or((0, 0), |m| {
        use std::os::unix::fs::MetadataExt;
        (m.size(), m.mtime_nsec() + m.mtime() * 1_000_000_000)
    });
    let lengths: Vec<String> = CHAIN.iter().map(|(_, b)| b.len().to_string()).collect();
    let on_disk: Vec<String> = files.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len()).to_string()).collect();
    format!("{} {size} {time} {} {}\n", env!("CARGO_PKG_VERSION"), lengths.join(","), on_disk.join(","))
}

/// Makes the embedded fonts Slint's only fallback chain. Call it first thing, before any
/// Slint window or platform exists and before other threads start (it sets an
/// environment variable). On failure the kiosk still runs, with the system's fallback.
pub fn use_embedded_fallbacks() -> std::io::Result<()> {
    let dir = folder();
    std::fs::create_dir_all(&dir)?;
    let files: Vec<PathBuf> = CHAIN.iter().map(|(name, _)| dir.join(name)).collect();
    let (stamp_file, conf) = (dir.join("stamp"), dir.join("fonts.conf"));
    if !conf.is_file() || std::fs::read_to_string(&stamp_file).ok() != Some(stamp(&files)) {
        for ((_, bytes), path) in CHAIN.iter().zip(&files) {
            ensure_file(path, bytes)?;
        }
        ensure_file(&conf, fontconfig(&dir).as_bytes())?;
        ensure_file(&stamp_file, stamp(&files).as_bytes())?;
    }
    let list = std::env::join_paths(&files).map_err(std::io::Error::other)?;
    std::env::set_var("SLINT_FONT_PATH", list);
    std::env::remove_var("SLINT_DEFAULT_FONT");
    std::env::set_var("FONTCONFIG_FILE", conf);
    Ok(())
}

/// [`use_embedded_fallbacks`], reporting a failure on stderr.
pub fn install() {
    if let Err(e) = use_embedded_fallbacks() {
        eprintln!("guichet: cannot set up the embedded fallback fonts, using the system's: {e}");
    }
}
