//! Plain language (FALC spirit) and translation completeness, over the French catalogue
//! and every UI string: short sentences, no unexplained abbreviation, nothing untranslated.

use guichet::core::lang::Lang;
use std::collections::BTreeSet;
use std::path::Path;

/// Every French @tr("…") string of the UI.
fn ui_strings() -> BTreeSet<String> {
    let pot =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/translations/guichet.pot")).unwrap();
    // The template's msgstr are empty: fill them so that every entry is read.
    let filled = (0..6).fold(pot.replace("msgstr \"\"", "msgstr \"x\""), |pot, i| {
        pot.replace(&format!("msgstr[{i}] \"\""), &format!("msgstr[{i}] \"x\""))
    });
    let from_pot: BTreeSet<String> = guichet::core::po::parse_forms(&filled).unwrap().into_keys().collect();
    let mut from_source = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "slint") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split("@tr(\"").skip(1) {
                    let end = piece.find('"').unwrap();
                    from_source.insert(piece[..end].to_string());
                }
            }
        }
    }
    assert_eq!(from_source, from_pot, "ui/translations/guichet.pot is stale: run tools/extract-ui-strings.py");
    from_source
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '?', '!', ':', ';']).map(str::trim).filter(|s| !s.is_empty())
}

/// An all-capitals word of 2+ letters must come with its full name in brackets
/// ("Caisse d'allocations familiales (CAF)") or be the bracketed short form itself.
fn unexplained_abbreviations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() >= 2
            && letters.iter().all(|c| c.is_uppercase())
            && !text.contains(&format!("({word})"))
            && word != "QR"
        {
            out.push(word.to_string());
        }
    }
    out
}

#[test]
fn french_sentences_have_at_most_15_words_and_abbreviations_are_explained() {
    let cat = guichet::assets::load_catalogue(None).unwrap();
    let ui = ui_strings();
    let mut problems = Vec::new();
    for text in cat.visible_texts().into_iter().map(String::from).chain(ui) {
        for s in sentences(&text) {
            let words = s.split_whitespace().count();
            if words > 15 {
                problems.push(format!("{words} words: {s}"));
            }
        }
        for a in unexplained_abbreviations(&text) {
            problems.push(format!("unexplained {a}: {text}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// "guichet.toml", "guichet.toml," : a name with a file's extension.
fn is_file_name(word: &str) -> bool {
    let word = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    word.rsplit_once('.').is_some_and(|(name, ext)| !name.is_empty() && ["toml", "txt", "po"].contains(&ext))
}

#[test]
fn the_same_idea_uses_the_same_word() {
    // Words the kiosk settled on, and synonyms that would confuse a visitor.
    let avoid = [
        ("billet", "ticket"),
        ("emploi", "travail"),
        ("guichet", "accueil"),
        ("cliquez", "touchez"),
        ("appuyez", "touchez"),
    ];
    let cat = guichet::assets::load_catalogue(None).unwrap();
    let ui = ui_strings();
    for text in cat.visible_texts().into_iter().map(String::from).chain(ui) {
        // A file's name (guichet.toml on the staff panel) is not a word for an idea.
        let lower: Vec<String> =
            text.to_lowercase().split_whitespace().filter(|w| !is_file_name(w)).map(String::from).collect();
        let lower = lower.join(" ");
        for (bad, good) in avoid {
            assert!(
                !lower.split(|c: char| !c.is_alphabetic()).any(|w| w == bad),
                "say \"{good}\", not \"{bad}\": {text}"
            );
        }
    }
}

#[test]
fn every_catalogue_text_is_translated_in_every_language() {
    let cat = guichet::assets::load_catalogue(None).unwrap();
    for lang in Lang::ALL {
        let missing: Vec<&str> = cat.visible_texts().into_iter().filter(|t| !cat.has_translation(lang, t)).collect();
        assert!(missing.is_empty(), "{lang}: {} untranslated: {missing:?}", missing.len());
    }
}

#[test]
fn every_ui_string_is_translated_with_the_same_placeholders() {
    let ui = ui_strings();
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::Fr) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("ui/translations/{}/LC_MESSAGES/guichet.po", lang.code()));
        let map = guichet::core::po::parse_forms(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for french in &ui {
            let forms = map.get(french).unwrap_or_else(|| panic!("{lang}: untranslated {french:?}"));
            for n in 0..3 {
                let p = format!("{{{n}}}");
                for t in forms {
                    assert_eq!(french.contains(&p), t.contains(&p), "{lang}: placeholder {p} in {french:?} → {t:?}");
                }
            }
            // A plural's count: some forms may say it in words ("ثانيتين", two seconds).
            // One language's text, not a table of all of them pasted in by a tool.
            for t in forms {
                assert!(!t.starts_with("{'") && !t.contains("'en':"), "{lang}: {french:?} → {t:?}");
            }
            let counted = forms.iter().any(|t| t.contains("{n}"));
            assert_eq!(french.contains("{n}"), counted, "{lang}: the count {{n}} of {french:?} → {forms:?}");
        }
    }
}
