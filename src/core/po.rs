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
    for entry in entries(text)? {
        if entry.forms.len() > 1 || entry.plural {
            let message = format!("msgid \"{}\" has plural forms: the catalogue takes one msgstr", entry.id);
            return Err(PoError { line: entry.line, message });
        }
        map.insert(entry.id, entry.forms.into_iter().next().unwrap_or_default());
    }
    Ok(map)
}

/// Like [`parse`], keeping every plural form (`msgstr[0]`, `msgstr[1]`…): msgid → forms.
/// An entry is left out when any of its forms is empty.
pub fn parse_forms(text: &str) -> Result<HashMap<String, Vec<String>>, PoError> {
    Ok(entries(text)?.into_iter().map(|e| (e.id, e.forms)).collect())
}

struct Entry {
    id: String,
    plural: bool,
    forms: Vec<String>,
    line: usize,
}

/// Where the next quoted continuation line goes.
enum Target {
    Id,
    Plural,
    Form(usize),
    Nothing,
}

fn entries(text: &str) -> Result<Vec<Entry>, PoError> {
    let mut done: Vec<Entry> = Vec::new();
    let mut current: Option<Entry> = None;
    let mut target = Target::Nothing;
    let finish = |entry: Option<Entry>, done: &mut Vec<Entry>| -> Result<(), PoError> {
        let Some(e) = entry else { return Ok(()) };
        if e.id.is_empty() || e.forms.is_empty() || e.forms.iter().any(String::is_empty) {
            return Ok(());
        }
        if done.iter().any(|d| d.id == e.id) {
            return Err(PoError { line: e.line, message: format!("msgid \"{}\" appears twice: keep one", e.id) });
        }
        done.push(e);
        Ok(())
    };
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("msgid ") {
            finish(current.take(), &mut done)?;
            current = Some(Entry { id: unquote(rest, line_no)?, plural: false, forms: Vec::new(), line: line_no });
            target = Target::Id;
            continue;
        }
        let no_id = || PoError { line: line_no, message: "msgstr without msgid before it".into() };
        if let Some(rest) = line.strip_prefix("msgid_plural ") {
            current.as_mut().ok_or_else(no_id)?.plural = true;
            unquote(rest, line_no)?;
            target = Target::Plural;
            continue;
        }
        if let Some((index, rest)) = msgstr(line, line_no)? {
            let entry = current.as_mut().ok_or_else(no_id)?;
            if index != entry.forms.len() {
                let message = format!("msgstr[{index}] out of order: write msgstr[{}] first", entry.forms.len());
                return Err(PoError { line: line_no, message });
            }
            entry.forms.push(unquote(rest, line_no)?);
            target = Target::Form(index);
            continue;
        }
        if line.starts_with('"') {
            let piece = unquote(line, line_no)?;
            match (&mut current, &target) {
                (Some(e), Target::Id) => e.id.push_str(&piece),
                (Some(_), Target::Plural) => {}
                (Some(e), Target::Form(i)) => e.forms[*i].push_str(&piece),
                _ => return Err(PoError { line: line_no, message: "a quoted string outside an entry".into() }),
            }
            continue;
        }
        return Err(PoError {
            line: line_no,
            message: format!("unexpected line `{line}`: write `msgid \"…\"` then `msgstr \"…\"`"),
        });
    }
    finish(current, &mut done)?;
    Ok(done)
}

/// `msgstr "…"` (form 0) or `msgstr[i] "…"`: the form's index and the quoted rest.
fn msgstr(line: &str, line_no: usize) -> Result<Option<(usize, &str)>, PoError> {
    if let Some(rest) = line.strip_prefix("msgstr ") {
        return Ok(Some((0, rest)));
    }
    let Some(rest) = line.strip_prefix("msgstr[") else { return Ok(None) };
    let bad = || PoError { line: line_no, message: "write msgstr[N] \"…\" with N a number".into() };
    let (index, rest) = rest.split_once("] ").ok_or_else(bad)?;
    Ok(Some((index.parse().map_err(|_| bad())?, rest)))
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
    fn plural_forms_are_read_for_the_ui_and_refused_by_the_catalogue() {
        let po = "msgid \"{n} seconde\"\nmsgid_plural \"{n} secondes\"\nmsgstr[0] \"{n} секунду\"\nmsgstr[1] \"{n} секунди\"\nmsgstr[2] \"{n} \"\n\"секунд\"\n";
        let forms = parse_forms(po).unwrap();
        assert_eq!(forms["{n} seconde"], ["{n} секунду", "{n} секунди", "{n} секунд"]);
        assert_eq!(parse(po).unwrap_err().line, 1);
        let half = "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"x\"\nmsgstr[1] \"\"\n";
        assert!(parse_forms(half).unwrap().is_empty(), "an entry with an empty form is untranslated");
        assert_eq!(parse_forms("msgid \"a\"\nmsgstr[1] \"x\"\n").unwrap_err().line, 2);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("msgid \"a\"\nmsgstr \"b\"\nnonsense\n").unwrap_err();
        assert_eq!(err.line, 3);
        let err = parse("msgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\n").unwrap_err();
        assert_eq!(err.line, 3);
    }
}
