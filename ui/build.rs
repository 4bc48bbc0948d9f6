//! Compiles the Slint UI with its translations bundled in the binary (no msgctxt: one
//! French string, one translation, wherever it appears). Debug info is kept so tests can
//! find elements by their accessible label.

fn main() {
    // The translation files are ui/translations/<lang>/LC_MESSAGES/guichet.po: slint-build
    // names the gettext domain after the package, which here is guichet-ui.
    std::env::set_var("CARGO_PKG_NAME", "guichet");
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("translations")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true);
    if let Err(e) = slint_build::compile_with_config("app.slint", config) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
