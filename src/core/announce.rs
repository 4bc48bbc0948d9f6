//! What the waiting-room board says when a ticket is called: "Numéro A 42, bureau 2." in
//! French, then in the visitor's language when it is another, the whole said twice. The
//! phrase is translated in gettext files (`assets/board/<lang>.po`, French the source),
//! built into the binary so a board never lacks one.

use super::lang::Lang;
use super::po;

/// The French phrase, also the msgid of its translations.
pub const SOURCE: &str = "Numéro {number}, {desk}.";

fn translations(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Fr => return None,
        Lang::En => include_str!("../../assets/board/en.po"),
        Lang::Ar => include_str!("../../assets/board/ar.po"),
        Lang::Es => include_str!("../../assets/board/es.po"),
        Lang::Pt => include_str!("../../assets/board/pt.po"),
        Lang::Tr => include_str!("../../assets/board/tr.po"),
        Lang::Uk => include_str!("../../assets/board/uk.po"),
        Lang::Ro => include_str!("../../assets/board/ro.po"),
    })
}

/// The phrase's template in `lang` (French when a translation is missing).
pub fn template(lang: Lang) -> String {
    translations(lang)
        .and_then(|text| po::parse(text).ok())
        .and_then(|mut map| map.remove(SOURCE))
        .filter(|t| t.contains("{number}") && t.contains("{desk}"))
        .unwrap_or_else(|| SOURCE.to_string())
}

/// A ticket number as a voice should say it: "A-042" → "A 42" (not "A minus zero…").
pub fn spoken_number(number: &str) -> String {
    match number.split_once('-') {
        Some((letter, digits)) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = digits.trim_start_matches('0');
            format!("{letter} {}", if digits.is_empty() { "0" } else { digits })
        }
        _ => number.to_string(),
    }
}

/// The call of `number` to `desk`, said in `lang`.
pub fn phrase(lang: Lang, number: &str, desk: &str) -> String {
    template(lang).replace("{number}", &spoken_number(number)).replace("{desk}", desk.trim())
}

/// The languages of one announcement, in order: French, the visitor's own language when
/// it is another, then the same again once.
pub fn languages(visitor: Lang) -> Vec<Lang> {
    let once: Vec<Lang> = if visitor == Lang::Fr { vec![Lang::Fr] } else { vec![Lang::Fr, visitor] };
    once.iter().chain(once.iter()).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_phrase_with_both_places() {
        for lang in Lang::ALL {
            let t = template(lang);
            assert!(t.contains("{number}") && t.contains("{desk}"), "{lang}: {t}");
            if lang != Lang::Fr {
                assert_ne!(t, SOURCE, "{lang} is translated");
            }
        }
        assert_eq!(phrase(Lang::Fr, "A-042", "bureau 2"), "Numéro A 42, bureau 2.");
        assert_eq!(phrase(Lang::Uk, "C-007", "salle Marianne"), "Номер C 7, salle Marianne.");
        assert!(phrase(Lang::Ar, "A-042", "bureau 2").contains('\u{060C}'), "the Arabic comma");
    }

    #[test]
    fn numbers_are_said_without_the_dash_and_leading_zeros() {
        assert_eq!(spoken_number("A-042"), "A 42");
        assert_eq!(spoken_number("B-100"), "B 100");
        assert_eq!(spoken_number("B-000"), "B 0");
        assert_eq!(spoken_number("odd"), "odd");
    }

    #[test]
    fn french_first_then_the_visitors_language_the_whole_twice() {
        assert_eq!(languages(Lang::Fr), vec![Lang::Fr, Lang::Fr]);
        assert_eq!(languages(Lang::Ar), vec![Lang::Fr, Lang::Ar, Lang::Fr, Lang::Ar]);
    }
}
