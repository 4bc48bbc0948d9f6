//! Compiles the Slint UI with its translations bundled in the binary (no msgctxt: one
//! French string, one translation, wherever it appears). Debug info is kept
//! so tests can find elements by their accessible label.

fn main() {
    // `guichet doctor` calls a clock before this moment wrong (the Pi has no clock battery).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    println!("cargo:rustc-env=GUICHET_BUILT_AT={now}");
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("ui/translations")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true);
    if let Err(e) = slint_build::compile_with_config("ui/app.slint", config) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
