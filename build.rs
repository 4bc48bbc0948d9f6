//! Compiles the Slint UI with its translations bundled in the binary (no msgctxt: one
//! French string, one translation, wherever it appears). Debug info is kept
//! so tests can find elements by their accessible label.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("ui/translations")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true);
    if let Err(e) = slint_build::compile_with_config("ui/app.slint", config) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
