//! Property tests of the `.po` reader (`core::po`): what a writer puts in comes back out
//! (escapes, strings cut over several lines, comments between entries), and any sequence
//! of PO-looking lines is read or refused at a line inside the text, never a panic.

use crate::props::{cases, line_in};
use guichet::core::po;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// A string as a PO file writes it: in quotes, with `\n`, `\t`, `\"` and `\\` escaped.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out + "\""
}

/// `keyword "text"`, the text cut into continuation lines after `cuts` characters.
fn field(keyword: &str, text: &str, cuts: &[usize]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (chars.len() + 1)).collect();
    at.sort_unstable();
    at.dedup();
    if at.is_empty() {
        return format!("{keyword} {}\n", quoted(text));
    }
    let mut out = format!("{keyword} \"\"\n");
    let mut from = 0;
    for to in at.into_iter().chain([chars.len()]) {
        out += &format!("{}\n", quoted(&chars[from..to].iter().collect::<String>()));
        from = to;
    }
    out
}

/// Text a translator might type: any character but a line break inside the quotes
/// (those are written `\n`), a carriage return and other controls included.
fn po_text() -> impl Strategy<Value = String> {
    "[^\u{85}\u{2028}\u{2029}]{1,24}".prop_filter("not blank", |s| !s.is_empty())
}

type Entries = BTreeMap<String, (String, Vec<usize>, bool)>;

fn entries() -> impl Strategy<Value = Entries> {
    proptest::collection::btree_map(
        po_text(),
        (po_text(), proptest::collection::vec(0..30usize, 0..3), any::<bool>()),
        0..12,
    )
}

/// A PO file with a header, each entry possibly cut over lines, comments between.
fn written(entries: &Entries) -> String {
    let mut text = "# header comment\nmsgid \"\"\nmsgstr \"\"\n\"Language: xx\\n\"\n\n".to_string();
    for (id, (translation, cuts, comment)) in entries {
        if *comment {
            text += "#: assets/catalogue/themes/01-papiers.toml\n#, fuzzy\n";
        }
        text += &field("msgid", id, cuts);
        text += &field("msgstr", translation, cuts);
        text += "\n";
    }
    text
}

/// Lines a PO file may hold, right or wrong.
fn po_line() -> impl Strategy<Value = String> {
    let s = "[ -~é\\\\\"\u{0}\u{202e}]{0,8}";
    prop_oneof![
        s.prop_map(|t| format!("msgid \"{t}\"")),
        s.prop_map(|t| format!("msgstr \"{t}\"")),
        (0..4usize, s).prop_map(|(i, t)| format!("msgstr[{i}] \"{t}\"")),
        s.prop_map(|t| format!("msgid_plural \"{t}\"")),
        s.prop_map(|t| format!("\"{t}\"")),
        s.prop_map(|t| format!("# {t}")),
        Just(String::new()),
        Just("msgstr[18446744073709551616] \"x\"".to_string()),
        Just("msgstr[".to_string()),
        Just("msgid".to_string()),
        Just("\"".to_string()),
        s.prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn what_is_written_is_read_back(entries in entries()) {
        let text = written(&entries);
        let read = po::parse(&text).map_err(|e| format!("line {}: {} in\n{text}", e.line, e.message));
        let expected: std::collections::HashMap<String, String> =
            entries.iter().map(|(id, (t, _, _))| (id.clone(), t.clone())).collect();
        prop_assert_eq!(read, Ok(expected));
        let forms = po::parse_forms(&text).map_err(|e| e.message);
        prop_assert_eq!(forms.map(|f| f.len()), Ok(entries.len()));
    }

    #[test]
    fn any_po_lines_are_read_or_refused_at_a_line(lines in proptest::collection::vec(po_line(), 0..24)) {
        let text = lines.join("\n");
        for result in [po::parse(&text).map(|m| m.len()), po::parse_forms(&text).map(|m| m.len())] {
            if let Err(e) = result {
                prop_assert!(e.line >= 1 && line_in(&text, e.line), "line {} of\n{text}", e.line);
                prop_assert!(!e.message.trim().is_empty());
            }
        }
    }

    #[test]
    fn any_bytes_are_read_or_refused_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = po::parse(&text);
        let _ = po::parse_forms(&text);
    }
}
