//! A small reader for gettext PO files (msgid → msgstr), used for the catalogue's
//! translations. The UI's own strings are bundled by slint-build instead.

use std::collections::HashMap;

/// A PO syntax error, with the 1-based line where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoError {
    pub line: usize,
    pub message: String,
}

/// Parses PO text into a map from French source text to its translation.
/// Entries with an empty `msgstr` (untranslated) and the header are left out;
/// `msgctxt` and plural forms are not used by the catalogue and are refused.
pub fn parse(text: &str) -> Result<HashMap<String, String>, PoError> {
    let mut map = HashMap::new();
    let mut msgid: Option<String> = None;
    let mut msgstr: Option<String> = None;
    let mut entries: Vec<(String, String, usize)> = Vec::new();
    let mut entry_line = 0;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("msgid ") {
            if let (Some(id), Some(s)) = (msgid.take(), msgstr.take()) {
                entries.push((id, s, entry_line));
            }
            entry_line = line_no;
            msgid = Some(unquote(rest, line_no)?);
            msgstr = None;
            continue;
        }
        if let Some(rest) = line.strip_prefix("msgstr ") {
            if msgid.is_none() {
                return Err(PoError { line: line_no, message: "msgstr without msgid before it".into() });
            }
            msgstr = Some(unquote(rest, line_no)?);
            continue;
        }
        if line.starts_with('"') {
            let piece = unquote(line, line_no)?;
            match (&mut msgid, &mut msgstr) {
                (Some(_), Some(s)) => s.push_str(&piece),
                (Some(id), None) => id.push_str(&piece),
                _ => return Err(PoError { line: line_no, message: "a quoted string outside an entry".into() }),
            }
            continue;
        }
        return Err(PoError {
            line: line_no,
            message: format!("unexpected line `{line}`: write `msgid \"…\"` then `msgstr \"…\"`"),
        });
    }
    if let (Some(id), Some(s)) = (msgid, msgstr) {
        entries.push((id, s, entry_line));
    }
    for (id, s, line) in entries {
        if id.is_empty() || s.is_empty() {
            continue;
        }
        if map.insert(id.clone(), s).is_some() {
            return Err(PoError { line, message: format!("msgid \"{id}\" appears twice: keep one") });
        }
    }
    Ok(map)
}

fn unquote(s: &str, line: usize) -> Result<String, PoError> {
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| PoError { line, message: "expected a string in double quotes".into() })?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            other => return Err(PoError { line, message: format!("unknown escape \\{}", other.unwrap_or(' ')) }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_skips_header_and_empty() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: en\\n\"\n\n# c\nmsgid \"Bonjour\"\nmsgstr \"Hello\"\n\nmsgid \"Long \"\n\"texte\"\nmsgstr \"\"\n\"Long \\\"text\\\"\"\nmsgid \"Vide\"\nmsgstr \"\"\n";
        let map = parse(po).unwrap();
        assert_eq!(map.get("Bonjour").map(String::as_str), Some("Hello"));
        assert_eq!(map.get("Long texte").map(String::as_str), Some("Long \"text\""));
        assert!(!map.contains_key("Vide"));
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("msgid \"a\"\nmsgstr \"b\"\nnonsense\n").unwrap_err();
        assert_eq!(err.line, 3);
        let err = parse("msgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\n").unwrap_err();
        assert_eq!(err.line, 3);
    }
}
