//! Screens build what they say by joining sentences with ". "; a sentence that already
//! ends with "?", "؟", "!", ":" or "." would then be read with a doubled stop ("avec vous ?.").
//! This tidies the joins before the text reaches the engine and the transcript.

/// `text` with every full stop that directly follows another stop removed (spaces
/// between them included), runs of spaces made single, and the bidi isolates of the
/// screen's text left out (they are for the eye).
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::core::bidi::strip_isolates(text).chars() {
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        if c == '.' {
            let before = out.trim_end_matches(' ');
            if before.ends_with(['.', '?', '!', ':', '…', '؟']) {
                out.truncate(before.len());
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn a_question_keeps_its_mark_and_loses_the_join() {
        assert_eq!(tidy("Qu'avez-vous avec vous ?. Touchez tout."), "Qu'avez-vous avec vous ? Touchez tout.");
        assert_eq!(tidy("What do you have with you?. Touch."), "What do you have with you? Touch.");
        assert_eq!(tidy("Fini.. Merci. ."), "Fini. Merci.");
        assert_eq!(tidy("Un instant… . Oui"), "Un instant… Oui");
        // The Arabic question mark too.
        assert_eq!(tidy("هل ما زلت هنا؟. إذا"), "هل ما زلت هنا؟ إذا");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let text = "Votre numéro est A, 0, 4, 2. Attente : entre 5 et 15 minutes.";
        assert_eq!(tidy(text), text);
        assert_eq!(tidy("e-mail : oui"), "e-mail : oui");
    }
}
