use super::*;

pub(crate) fn icons() -> HashSet<String> {
    ["id", "check", "mail", "wheelchair"].into_iter().map(String::from).collect()
}

const ROOT: &str = r#"
[[queue]]
prefix = "A"
name = "Accueil"

[[have]]
id = "email"
label = "Mon e-mail"
icon = "mail"

[[priority]]
id = "none"
label = "Non"
icon = "check"

[[priority]]
id = "mobility"
label = "Debout c'est dur"
icon = "wheelchair"
"#;

const THEME: &str = r#"
id = "papiers"
title = "Papiers"
hint = "Carte"
icon = "id"
queue = "A"

[[procedure]]
id = "cni"
title = "Faire ma carte"
hint = "Ou passeport"
operator = "France Titres"
documents = ["Une photo"]
ready = ["email"]
"#;

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile { path: path.into(), text: text.into() }
}

/// A small valid catalogue: one queue, one theme with two procedures, two priorities.
pub(crate) fn sample() -> Catalogue {
    let second = "\n[[procedure]]\nid = \"passeport\"\ntitle = \"Passeport\"\nhint = \"Voyage\"\noperator = \"France Titres\"\ndocuments = [\"Une photo\"]\n";
    let theme = format!("{THEME}{second}");
    load(&[file("catalogue.toml", ROOT), file("themes/01.toml", &theme)], &icons()).unwrap()
}

#[test]
fn loads_a_valid_catalogue_with_translations() {
    let files = [
        file("catalogue.toml", ROOT),
        file("themes/01-papiers.toml", THEME),
        file("translations/en.po", "msgid \"Papiers\"\nmsgstr \"Papers\"\n"),
    ];
    let cat = load(&files, &icons()).unwrap();
    assert_eq!(cat.themes.len(), 1);
    assert_eq!(cat.themes[0].queue, 'A');
    assert_eq!(cat.tr(Lang::En, "Papiers"), "Papers");
    assert_eq!(cat.tr(Lang::En, "Carte"), "Carte", "falls back to French");
    assert_eq!(cat.find_procedure("cni").map(|(t, _)| t.id.as_str()), Some("papiers"));
    assert!(cat.visible_texts().contains(&"Une photo"));
}

#[test]
fn unknown_queue_names_file_line_and_fix() {
    let bad = THEME.replace("queue = \"A\"", "queue = \"Z\"");
    let err = load(&[file("catalogue.toml", ROOT), file("themes/01-papiers.toml", &bad)], &icons()).unwrap_err();
    let e = &err.0[0];
    assert_eq!(e.file, "themes/01-papiers.toml");
    assert_eq!(e.line, 6);
    assert!(e.fix.contains("A"), "{e}");
}

#[test]
fn unknown_icon_and_ready_are_reported_together() {
    let bad = THEME.replace("icon = \"id\"", "icon = \"nope\"").replace("[\"email\"]", "[\"fax\"]");
    let err = load(&[file("catalogue.toml", ROOT), file("themes/01-papiers.toml", &bad)], &icons()).unwrap_err();
    assert_eq!(err.0.len(), 2, "{err}");
    assert!(err.0.iter().any(|e| e.problem.contains("nope") && e.line == 5));
    assert!(err.0.iter().any(|e| e.problem.contains("fax") && e.line == 14));
}

#[test]
fn syntax_error_and_unknown_field_name_the_line() {
    let bad = THEME.replace("hint = \"Carte\"", "hnt = \"Carte\"");
    let err = load(&[file("catalogue.toml", ROOT), file("themes/01-papiers.toml", &bad)], &icons()).unwrap_err();
    assert_eq!(err.0[0].line, 4, "{err}");
    assert!(err.0[0].problem.contains("hnt"), "{err}");
    let err = load(&[file("catalogue.toml", "[[queue]\nprefix=")], &icons()).unwrap_err();
    assert_eq!(err.0[0].line, 1, "{err}");
}

#[test]
fn duplicate_ids_bad_prefix_and_missing_none_priority() {
    let root = ROOT.replace("prefix = \"A\"", "prefix = \"ab\"").replace("id = \"none\"", "id = \"nothing\"");
    let theme2 = THEME.replace("id = \"papiers\"", "id = \"autre\"");
    let err = load(
        &[file("catalogue.toml", &root), file("themes/01.toml", THEME), file("themes/02.toml", &theme2)],
        &icons(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("not one capital letter"), "{text}");
    assert!(text.contains("id = \"none\""), "{text}");
    assert!(text.contains("id \"cni\" is used twice"), "{text}");
}

#[test]
fn bad_translation_file_is_reported() {
    let files = [
        file("catalogue.toml", ROOT),
        file("themes/01.toml", THEME),
        file("translations/xx.po", ""),
        file("translations/en.po", "msgid \"a\"\nbroken\n"),
    ];
    let err = load(&files, &icons()).unwrap_err();
    assert!(err.0.iter().any(|e| e.file == "translations/xx.po"));
    assert!(err.0.iter().any(|e| e.file == "translations/en.po" && e.line == 2));
}

#[test]
fn latin_words_in_arabic_translations_are_isolated_for_the_screen() {
    let files = [
        file("catalogue.toml", ROOT),
        file("themes/01-papiers.toml", THEME),
        file("translations/ar.po", "msgid \"Papiers\"\nmsgstr \"أوراق (CAF)\"\n"),
        file("translations/en.po", "msgid \"Papiers\"\nmsgstr \"Papers (CAF)\"\n"),
    ];
    let cat = load(&files, &icons()).unwrap();
    assert_eq!(cat.tr(Lang::Ar, "Papiers"), "أوراق (\u{2066}CAF\u{2069})");
    assert_eq!(cat.tr(Lang::En, "Papiers"), "Papers (CAF)", "left-to-right languages are untouched");
}

/// As in guichet.toml (found by tests/integration/props_config.rs): a control character
/// in a comment made the TOML reader's message empty.
#[test]
fn a_control_character_in_a_comment_is_named() {
    let bad = format!("# a comment with {} in it\n{ROOT}", '\u{7}');
    let err = load(&[file("catalogue.toml", &bad)], &icons()).unwrap_err();
    let e = &err.0[0];
    assert_eq!((e.file.as_str(), e.line), ("catalogue.toml", 1), "{e}");
    assert!(e.problem.contains("U+0007") && e.problem.contains("column 18"), "{e}");
    assert!(e.fix.contains("remove"), "{e}");
}
