//! Latin words inside right-to-left text ("CAF", "Carte Vitale", "carte mobilité
//! inclusion") are wrapped in left-to-right isolates (U+2066 … U+2069), so the
//! brackets and punctuation around them take the sentence's direction and land where an
//! Arabic reader expects them ("(carte mobilité inclusion)", not "( carte mobilité (inclusion").

/// Left-to-right isolate and pop directional isolate.
pub const LRI: char = '\u{2066}';
pub const PDI: char = '\u{2069}';

fn latin(c: char) -> bool {
    c.is_alphabetic() && (c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c))
}

/// Inside a Latin run: what joins two Latin words ("Carte Vitale", "e-mail", "l'ANTS",
/// "impots.gouv.fr").
fn joins(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ' ' | '-' | '\'' | '’' | '.' | '/')
}

/// Wraps every run of Latin words in an LRI … PDI pair. A run starts and ends on a Latin
/// letter or a digit; spaces and joiners between two Latin words stay inside it.
pub fn isolate_latin(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if !latin(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Extend over Latin letters and joiners, then back off to the last Latin
        // letter or digit.
        let mut end = i;
        let mut j = i;
        while j < chars.len() && (latin(chars[j]) || joins(chars[j])) {
            if latin(chars[j]) || chars[j].is_ascii_digit() {
                end = j;
            }
            j += 1;
        }
        out.push(LRI);
        out.extend(&chars[i..=end]);
        out.push(PDI);
        i = end + 1;
    }
    out
}

/// The text without isolates (for speech engines and comparisons).
pub fn strip_isolates(text: &str) -> String {
    text.chars().filter(|c| !('\u{2066}'..='\u{2069}').contains(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        s.replace(LRI, "<").replace(PDI, ">")
    }

    #[test]
    fn latin_runs_inside_arabic_are_isolated_with_their_brackets_outside() {
        assert_eq!(
            show(&isolate_latin("عندي إعاقة أو بطاقة إعاقة (carte mobilité inclusion)")),
            "عندي إعاقة أو بطاقة إعاقة (<carte mobilité inclusion>)"
        );
        assert_eq!(
            show(&isolate_latin("رقمي في CAF (صندوق المنح العائلية)، إذا")),
            "رقمي في <CAF> (صندوق المنح العائلية)، إذا"
        );
        assert_eq!(show(&isolate_latin("بطاقة Carte Vitale، العلاج")), "بطاقة <Carte Vitale>، العلاج");
        assert_eq!(show(&isolate_latin("موقع impots.gouv.fr.")), "موقع <impots.gouv.fr>.");
    }

    #[test]
    fn arabic_alone_is_untouched_and_stripping_gives_the_text_back() {
        let ar = "هذا رقمك";
        assert_eq!(isolate_latin(ar), ar);
        let mixed = "بطاقة Carte Vitale (بطاقة الصحة)";
        assert_eq!(strip_isolates(&isolate_latin(mixed)), mixed);
    }
}
