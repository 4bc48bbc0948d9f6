//! Assets built into the binary (catalogue, icons, fonts) so a kiosk runs from one file;
//! a site can replace the catalogue with its own folder (`catalogue_dir` in the config).

use crate::core::catalogue::{self, Catalogue, CatalogueErrors, SourceFile};
use include_dir::{include_dir, Dir};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

static CATALOGUE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/catalogue");
static ICONS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/icons/tabler");

/// The embedded font files, one copy in the binary for all their users (the window's
/// fallback chain, the width measurements, the receipt preview).
pub mod fonts {
    pub static NOTO_BOLD: &[u8] = include_bytes!("../assets/fonts/noto/NotoSans-Bold.ttf");
    pub static NOTO_REGULAR: &[u8] = include_bytes!("../assets/fonts/noto/NotoSans-Regular.ttf");
    pub static ARABIC_BOLD: &[u8] = include_bytes!("../assets/fonts/noto/NotoSansArabicUI-Bold.ttf");
    pub static ARABIC_REGULAR: &[u8] = include_bytes!("../assets/fonts/noto/NotoSansArabicUI-Regular.ttf");
    pub static ATKINSON_BOLD: &[u8] =
        include_bytes!("../assets/fonts/atkinson-hyperlegible/AtkinsonHyperlegible_700Bold.ttf");
    pub static ATKINSON_REGULAR: &[u8] =
        include_bytes!("../assets/fonts/atkinson-hyperlegible/AtkinsonHyperlegible_400Regular.ttf");
}

/// The SVG text of a built-in icon.
pub fn icon_svg(name: &str) -> Option<&'static [u8]> {
    ICONS.get_file(format!("{name}.svg")).map(|f| f.contents())
}

pub fn icon_names() -> HashSet<String> {
    ICONS.files().filter_map(|f| f.path().to_str()?.strip_suffix(".svg").map(String::from)).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the catalogue folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("in {origin}: {errors}")]
    Invalid { origin: String, errors: CatalogueErrors },
}

fn is_source(path: &str) -> bool {
    path == "catalogue.toml"
        || (path.starts_with("themes/") && path.ends_with(".toml"))
        || (path.starts_with("translations/") && path.ends_with(".po"))
}

fn embedded_sources() -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut stack = vec![&CATALOGUE];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for f in dir.files() {
            let path = f.path().to_string_lossy().replace('\\', "/");
            if let (true, Some(text)) = (is_source(&path), f.contents_utf8()) {
                files.push(SourceFile { path, text: text.to_string() });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn folder_sources(root: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    let mut files = Vec::new();
    for sub in ["", "themes", "translations"] {
        let dir = root.join(sub);
        if !sub.is_empty() && !dir.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let name = entry.file_name().to_string_lossy().to_string();
            let rel = if sub.is_empty() { name } else { format!("{sub}/{name}") };
            if is_source(&rel) {
                let text = std::fs::read_to_string(entry.path()).map_err(io(&entry.path()))?;
                files.push(SourceFile { path: rel, text });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Loads and validates the catalogue: from `dir` if given, else the built-in one.
pub fn load_catalogue(dir: Option<&Path>) -> Result<Catalogue, LoadError> {
    let (files, origin) = match dir {
        Some(d) => (folder_sources(d)?, d.display().to_string()),
        None => (embedded_sources(), "assets/catalogue (built in)".to_string()),
    };
    catalogue::load(&files, &icon_names()).map_err(|errors| LoadError::Invalid { origin, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_catalogue_is_valid_and_large_enough() {
        let cat = load_catalogue(None).unwrap();
        assert!(cat.themes.len() >= 10, "{} themes", cat.themes.len());
        assert!(cat.themes.iter().all(|t| (2..=4).contains(&t.procedures.len())));
        assert!(icon_svg("id").is_some());
    }

    #[test]
    fn folder_catalogue_errors_name_the_folder_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalogue");
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        std::fs::copy(root.join("catalogue.toml"), dir.path().join("catalogue.toml")).unwrap();
        std::fs::write(
            dir.path().join("themes/01.toml"),
            "id = \"x\"\ntitle = \"T\"\nhint = \"H\"\nicon = \"id\"\nqueue = \"Q\"\nprocedure = []\n",
        )
        .unwrap();
        let msg = load_catalogue(Some(dir.path())).unwrap_err().to_string();
        assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
        assert!(msg.contains("themes/01.toml:5"), "{msg}");
    }
}
