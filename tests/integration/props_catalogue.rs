//! Property tests of the catalogue: its files (catalogue.toml, themes/*.toml,
//! translations/*.po) edited line by line, renamed or removed are read without a panic;
//! every mistake names a file of the catalogue, a line inside it and a fix; an accepted
//! catalogue keeps every rule the reader checks. The same from a site's folder on disk.

use crate::props::{apply, cases, edit, key_lines, line_in, share, Edit};
use guichet::assets::{icon_names, load_catalogue, LoadError};
use guichet::core::catalogue::{self, Catalogue, SourceFile};
use guichet::core::lang::Lang;
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

/// The built-in catalogue's files, read from the source tree once.
fn sources() -> &'static [SourceFile] {
    static FILES: OnceLock<Vec<SourceFile>> = OnceLock::new();
    FILES.get_or_init(read_sources)
}

fn read_sources() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalogue");
    let mut files = vec![SourceFile {
        path: "catalogue.toml".into(),
        text: std::fs::read_to_string(root.join("catalogue.toml")).unwrap(),
    }];
    for sub in ["themes", "translations"] {
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let entry = entry.unwrap();
            let path = format!("{sub}/{}", entry.file_name().to_string_lossy());
            files.push(SourceFile { path, text: std::fs::read_to_string(entry.path()).unwrap() });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Lines a technician might move or copy: the keys of every TOML file, the PO entries'
/// lines, and PO forms the catalogue refuses.
fn pool(files: &[SourceFile]) -> Vec<String> {
    let mut lines: Vec<String> = files.iter().flat_map(|f| key_lines(&f.text)).collect();
    let po = files.iter().filter(|f| f.path.ends_with(".po")).flat_map(|f| f.text.lines());
    lines.extend(po.filter(|l| l.starts_with("msg") || l.starts_with('"')).take(200).map(String::from));
    lines.extend(
        ["msgid_plural \"x\"", "msgstr[1] \"y\"", "msgstr[0] \"z\"", "msgstr[x] \"\"", "\"\\q\"", "msgctxt \"c\""]
            .map(String::from),
    );
    lines
}

/// What happens to the set of files besides the edits in them.
#[derive(Debug, Clone)]
enum FileChange {
    None,
    Remove(Index),
    Rename(Index, &'static str),
}

fn file_change() -> impl Strategy<Value = FileChange> {
    let names = ["catalogue.toml", "themes/99-x.toml", "translations/xx.po", "translations/en.po", "themes/.toml"];
    prop_oneof![
        4 => Just(FileChange::None),
        1 => any::<Index>().prop_map(FileChange::Remove),
        1 => (any::<Index>(), proptest::sample::select(names.to_vec())).prop_map(|(i, n)| FileChange::Rename(i, n)),
    ]
}

type FileEdits = Vec<(Index, Vec<Edit>)>;

fn file_edits(pool: Vec<String>) -> impl Strategy<Value = FileEdits> {
    proptest::collection::vec((any::<Index>(), proptest::collection::vec(edit(pool), 1..5)), 1..3)
}

fn edited(files: &[SourceFile], edits: &FileEdits, change: &FileChange) -> Vec<SourceFile> {
    let mut files = files.to_vec();
    for (which, edits) in edits {
        let which = which.index(files.len());
        files[which].text = apply(&files[which].text, edits);
    }
    match change {
        FileChange::None => {}
        FileChange::Remove(i) => {
            let i = i.index(files.len());
            files.remove(i);
        }
        FileChange::Rename(i, name) => {
            // As on disk: a file renamed over another replaces it.
            let mut moved = files.remove(i.index(files.len()));
            files.retain(|f| f.path != *name);
            moved.path = name.to_string();
            files.push(moved);
        }
    }
    files
}

/// The rules an accepted catalogue keeps (what `catalogue::load` promises).
fn holds(cat: &Catalogue, icons: &HashSet<String>) -> Result<(), String> {
    let fail = |rule: &str| Err(format!("accepted, but broken: {rule}"));
    let prefixes: HashSet<char> = cat.queues.iter().map(|q| q.prefix).collect();
    if prefixes.len() != cat.queues.len() || !prefixes.iter().all(char::is_ascii_uppercase) {
        return fail("one capital letter per queue");
    }
    if cat.priority.first().map(|p| p.id.as_str()) != Some("none") {
        return fail("the first priority is none");
    }
    if cat.themes.is_empty() || cat.themes.iter().any(|t| !prefixes.contains(&t.queue)) {
        return fail("themes, each in a declared queue");
    }
    let have: HashSet<&str> = cat.have.iter().map(|h| h.id.as_str()).collect();
    let mut procedures = HashSet::new();
    for t in &cat.themes {
        if !(1..=6).contains(&t.procedures.len()) || !icons.contains(&t.icon) {
            return fail("1 to 6 procedures and a known icon per theme");
        }
        for p in &t.procedures {
            if !procedures.insert(p.id.as_str()) || p.documents.is_empty() {
                return fail("procedure ids unique, documents listed");
            }
            if p.ready.iter().any(|r| !have.contains(r.as_str())) {
                return fail("ready names [[have]] ids");
            }
        }
    }
    for text in cat.visible_texts() {
        if text.trim().is_empty() || text.contains(['{', '}', '\\', '\n']) {
            return fail("visible texts are one line of plain text");
        }
        if Lang::ALL.iter().any(|&l| cat.tr(l, text).is_empty() && cat.has_translation(l, text)) {
            return fail("no empty translation");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn an_edited_catalogue_is_read_or_its_mistakes_named(
        edits in file_edits(pool(sources())),
        change in file_change(),
    ) {
        let files = edited(sources(), &edits, &change);
        let icons = icon_names();
        match catalogue::load(&files, &icons) {
            Ok(cat) => prop_assert!(holds(&cat, &icons).is_ok(), "{:?}", holds(&cat, &icons)),
            Err(errors) => {
                prop_assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    let text = files.iter().find(|f| f.path == e.file).map_or("", |f| f.text.as_str());
                    let known = !text.is_empty() || ["catalogue.toml", "themes/"].contains(&e.file.as_str());
                    prop_assert!(known, "{e} names no file of the catalogue");
                    prop_assert!(line_in(text, e.line), "{e}: the file has {} lines", text.lines().count());
                    prop_assert!(!e.problem.trim().is_empty() && !e.fix.trim().is_empty(), "{e}");
                }
            }
        }
    }
}

proptest! {
    // Each case writes a folder: fewer of them.
    #![proptest_config(cases(32))]

    /// A site's folder: the same files on disk, with what a USB stick may bring besides
    /// (a file that is not UTF-8, a folder where a file should be).
    #[test]
    fn a_site_folder_is_read_or_its_mistake_names_the_folder(
        edits in file_edits(pool(sources())),
        change in file_change(),
        debris in proptest::option::of((0..3usize, proptest::collection::vec(any::<u8>(), 0..64))),
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        std::fs::create_dir_all(dir.path().join("translations")).unwrap();
        for f in edited(sources(), &edits, &change) {
            std::fs::write(dir.path().join(&f.path), f.text).unwrap();
        }
        match debris {
            Some((0, bytes)) => std::fs::write(dir.path().join("themes/98-binary.toml"), [&[0xff][..], &bytes].concat()).unwrap(),
            Some((1, _)) => {
                let es = dir.path().join("translations/es.po");
                let _ = std::fs::remove_file(&es);
                std::fs::create_dir_all(es).unwrap();
            }
            Some((_, bytes)) => std::fs::write(dir.path().join("notes.txt"), bytes).unwrap(),
            None => {}
        }
        match load_catalogue(Some(dir.path())) {
            Ok(cat) => prop_assert!(holds(&cat, &icon_names()).is_ok(), "{:?}", holds(&cat, &icon_names())),
            Err(e) => {
                let said = e.to_string();
                let folder = dir.path().display().to_string();
                prop_assert!(said.contains(&folder), "{said}");
                if let LoadError::Invalid { errors, .. } = &e {
                    prop_assert!(errors.0.iter().all(|e| !e.fix.trim().is_empty()), "{said}");
                }
            }
        }
    }
}

#[test]
fn the_edits_reach_past_the_first_refusal() {
    let icons = icon_names();
    let strategy = (file_edits(pool(sources())), file_change());
    let accepted = share(strategy, 200, |(e, c)| catalogue::load(&edited(sources(), &e, &c), &icons).is_ok());
    assert!((10..=190).contains(&accepted), "{accepted} of 200 edited catalogues accepted");
}
