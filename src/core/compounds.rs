//! Words joined by a hyphen ("rendez-vous", "e-mail", "peut-être") stay on one line:
//! a reader with low vision or little French does not recognise "rendez-" and "vous" on
//! two lines as one word. Line breaking (UAX #14) may break after a hyphen; a word
//! joiner (U+2060, invisible, no width) after it forbids that. Only what is drawn gets
//! joiners: labels, speech and the database keep the plain text.

/// Word joiner: no line break on either side, drawn as nothing.
pub const WJ: char = '\u{2060}';

/// The text with a word joiner after every hyphen that stands between two letters.
pub fn keep_whole(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 6);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let between_letters =
            i > 0 && chars[i - 1].is_alphabetic() && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        if c == '-' && between_letters {
            out.push(WJ);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaks(s: &str) -> Vec<usize> {
        unicode_linebreak::linebreaks(s).map(|(at, _)| at).collect()
    }

    #[test]
    fn no_break_inside_a_hyphenated_word() {
        let shown = keep_whole("Prendre rendez-vous par e-mail");
        assert_eq!(shown.chars().filter(|c| *c == WJ).count(), 2);
        let pieces: Vec<&str> = {
            let mut start = 0;
            breaks(&shown)
                .into_iter()
                .map(|end| {
                    let p = &shown[start..end];
                    start = end;
                    p.trim_end()
                })
                .collect()
        };
        assert_eq!(pieces, ["Prendre", "rendez-\u{2060}vous", "par", "e-\u{2060}mail"]);
    }

    #[test]
    fn other_hyphens_are_left_alone() {
        assert_eq!(keep_whole("10-12 ans - ou plus"), "10-12 ans - ou plus");
        assert_eq!(keep_whole("-"), "-");
        assert_eq!(keep_whole("Сторінка-"), "Сторінка-");
    }
}
