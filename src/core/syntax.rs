//! What a TOML syntax error says, in words a technician can act on. The TOML reader
//! leaves its message empty for some characters it refuses (a control character in a
//! comment): the character and its column are said instead. No IO.

/// The problem to show for `error` in `text`, and the fix when the error is a character
/// to remove (otherwise the caller's own fix).
pub fn describe(error: &toml::de::Error, text: &str) -> (String, Option<String>) {
    let said = error.message().trim();
    let at = error.span().map_or(text.len(), |s| s.start.min(text.len()));
    let found = text.get(at..).and_then(|rest| rest.chars().next());
    match found {
        _ if !said.is_empty() => (said.to_string(), None),
        Some(c) if c.is_control() || c == '\u{feff}' => {
            let column =
                text.get(..at).map_or(0, |before| before.rsplit('\n').next().unwrap_or("").chars().count()) + 1;
            (
                format!("character U+{:04X} at column {column} is not allowed, not even in a comment", u32::from(c)),
                Some("remove it (an editor may show it as a box, ^@ or nothing at all) and save the file again".into()),
            )
        }
        Some(c) => (format!("the character {c:?} is not allowed here"), None),
        None => ("the file ends in the middle of a line".into(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> (String, Option<String>) {
        describe(&text.parse::<toml::Table>().unwrap_err(), text)
    }

    #[test]
    fn the_reader_s_own_words_are_kept_and_a_silent_refusal_is_explained() {
        assert_eq!(of("a = \"x").0, "invalid basic string");
        let (problem, fix) = of("a = 1\n# é\u{1}\n");
        assert_eq!(problem, "character U+0001 at column 4 is not allowed, not even in a comment");
        assert!(fix.is_some_and(|f| f.starts_with("remove it")));
    }
}
