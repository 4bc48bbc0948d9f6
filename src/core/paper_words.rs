//! The paper ticket's words in the visitor's language, printed above the French ones for
//! staff. The sentences the ticket screen shows come from the UI's own gettext catalogues
//! (`ui/translations`, built in here too), so paper and screen say the same; the two the
//! screen does not have come from `assets/paper/<lang>.po`. French is the source language:
//! a French visitor's ticket is French only and needs none of this.

use super::lang::Lang;
use super::queue::WaitRange;
use super::{plural, po};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What the visitor reads on paper in their language (queue and documents come from the
/// catalogue's translations, the rest from the gettext catalogues).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisitorWords {
    /// Written right to left (Arabic): lines are right-aligned and ordered by bidi rules.
    pub rtl: bool,
    /// "Voici votre numéro", over the number.
    pub heading: String,
    pub queue: String,
    pub wait: String,
    /// "Attendez. On vous appellera avec ce numéro."
    pub instruction: String,
    /// "Préparez :", over the documents.
    pub prepare: String,
    pub documents: Vec<String>,
    /// "Code pour l'accueil", under the QR code.
    pub code: String,
    /// Under the "Suivre mon tour" code ([`FOLLOW`]).
    pub follow: String,
    /// "Gardez ce ticket jusqu'à votre passage."
    pub keep: String,
    /// "En français, pour l'accueil :", over the French part.
    pub french_follows: String,
}

/// The UI's sentences the paper uses (msgids of `ui/translations`).
pub const HEADING: &str = "Voici votre numéro";
pub const INSTRUCTION: &str = "Attendez. On vous appellera avec ce numéro.";
pub const PREPARE: &str = "Préparez :";
pub const CODE: &str = "Code pour l'accueil";
pub const NEXT: &str = "Personne n'attend avant vous.";
pub const OVER_AN_HOUR: &str = "Attente : plus d'une heure.";
pub const UNDER: &str = "Attente : moins de {n} minute.";
pub const BETWEEN: &str = "Attente : entre {0} et {n} minute.";
/// The paper's own sentences (msgids of `assets/paper`).
pub const KEEP: &str = "Gardez ce ticket jusqu'à votre passage.";
pub const FRENCH_FOLLOWS: &str = "En français, pour l'accueil :";
/// Under the second code, when the office offers "Suivre mon tour".
pub const FOLLOW: &str =
    "Pour suivre votre tour sur votre téléphone, connectez-le au Wi-Fi de l'accueil et scannez ce code.";

/// Every sentence (without the counted ones), for the test that each language has them.
pub const UI_SENTENCES: [&str; 6] = [HEADING, INSTRUCTION, PREPARE, CODE, NEXT, OVER_AN_HOUR];
pub const UI_COUNTED: [&str; 2] = [UNDER, BETWEEN];
pub const PAPER_SENTENCES: [&str; 3] = [KEEP, FRENCH_FOLLOWS, FOLLOW];

/// The UI's catalogue of `lang` (`None` for French, the source).
pub fn ui_source(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Fr => return None,
        Lang::En => include_str!("../../ui/translations/en/LC_MESSAGES/guichet.po"),
        Lang::Ar => include_str!("../../ui/translations/ar/LC_MESSAGES/guichet.po"),
        Lang::Es => include_str!("../../ui/translations/es/LC_MESSAGES/guichet.po"),
        Lang::Pt => include_str!("../../ui/translations/pt/LC_MESSAGES/guichet.po"),
        Lang::Tr => include_str!("../../ui/translations/tr/LC_MESSAGES/guichet.po"),
        Lang::Uk => include_str!("../../ui/translations/uk/LC_MESSAGES/guichet.po"),
        Lang::Ro => include_str!("../../ui/translations/ro/LC_MESSAGES/guichet.po"),
    })
}

/// The paper's own catalogue of `lang` (`None` for French).
pub fn paper_source(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Fr => return None,
        Lang::En => include_str!("../../assets/paper/en.po"),
        Lang::Ar => include_str!("../../assets/paper/ar.po"),
        Lang::Es => include_str!("../../assets/paper/es.po"),
        Lang::Pt => include_str!("../../assets/paper/pt.po"),
        Lang::Tr => include_str!("../../assets/paper/tr.po"),
        Lang::Uk => include_str!("../../assets/paper/uk.po"),
        Lang::Ro => include_str!("../../assets/paper/ro.po"),
    })
}

type Forms = HashMap<String, Vec<String>>;

/// Both catalogues of every language, read once (the UI's entries first, then the paper's).
fn catalogue(lang: Lang) -> Option<&'static Forms> {
    static ALL: OnceLock<HashMap<Lang, Forms>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let read = |text: Option<&str>| text.and_then(|t| po::parse_forms(t).ok()).unwrap_or_default();
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let mut forms = read(ui_source(lang));
                forms.extend(read(paper_source(lang)));
                (lang, forms)
            })
            .collect()
    });
    all.get(&lang)
}

/// `msgid` in `lang` in the plural form of `n`, or `None` when it is not translated.
pub fn lookup(lang: Lang, msgid: &str, n: u64) -> Option<String> {
    let forms = catalogue(lang)?.get(msgid)?;
    forms.get(plural::form(lang, n)).or_else(|| forms.first()).cloned()
}

/// `msgid` in `lang` (French when it is not translated there).
fn tr(lang: Lang, msgid: &str) -> String {
    lookup(lang, msgid, 1).unwrap_or_else(|| msgid.to_string())
}

/// The estimated wait in `lang`, as the ticket screen says it.
pub fn wait(lang: Lang, range: WaitRange) -> String {
    let counted = |msgid: &str, n: u32| {
        let text = lookup(lang, msgid, u64::from(n)).unwrap_or_else(|| msgid.replace(" minute.", " minutes."));
        text.replace("{n}", &n.to_string())
    };
    match range {
        WaitRange::Next => tr(lang, NEXT),
        WaitRange::Under(high) => counted(UNDER, high),
        WaitRange::Between(low, high) => counted(BETWEEN, high).replace("{0}", &low.to_string()),
        WaitRange::OverAnHour => tr(lang, OVER_AN_HOUR),
    }
}

/// The visitor's words, or `None` for a French visitor (the French part says it all).
pub fn visitor(lang: Lang, queue: String, documents: Vec<String>, range: WaitRange) -> Option<VisitorWords> {
    if lang == Lang::Fr {
        return None;
    }
    Some(VisitorWords {
        rtl: lang.is_rtl(),
        heading: tr(lang, HEADING),
        queue,
        wait: wait(lang, range),
        instruction: tr(lang, INSTRUCTION),
        prepare: tr(lang, PREPARE),
        documents,
        code: tr(lang, CODE),
        follow: tr(lang, FOLLOW),
        keep: tr(lang, KEEP),
        french_follows: tr(lang, FRENCH_FOLLOWS),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_paper_sentence() {
        for lang in Lang::ALL.into_iter().filter(|&l| l != Lang::Fr) {
            let paper = paper_source(lang).unwrap_or_default();
            assert!(paper.contains(&format!("\"Language: {}\\n\"", lang.code())), "{lang}: Language header");
            let paper = po::parse(paper).unwrap_or_else(|e| panic!("assets/paper/{lang}.po:{}: {}", e.line, e.message));
            for msgid in PAPER_SENTENCES {
                let text = paper.get(msgid).unwrap_or_else(|| panic!("assets/paper/{lang}.po lacks \"{msgid}\""));
                assert_ne!(text, msgid, "{lang}: left in French");
            }
            for msgid in UI_SENTENCES.iter().chain(&UI_COUNTED) {
                let text = lookup(lang, msgid, 12);
                assert!(
                    text.as_deref().is_some_and(|t| t != *msgid),
                    "{lang}: the UI's catalogue lacks \"{msgid}\" (the paper prints it: keep the msgid in step)"
                );
            }
        }
    }

    #[test]
    fn waits_take_the_plural_form_of_their_number() {
        assert_eq!(wait(Lang::En, WaitRange::Between(10, 20)), "Wait: between 10 and 20 minutes.");
        let uk = wait(Lang::Uk, WaitRange::Under(15));
        assert!(uk.contains("15 хвилин") && !uk.contains('{'), "{uk}");
        let ar = wait(Lang::Ar, WaitRange::Between(5, 15));
        assert!(ar.contains('5') && ar.contains("15") && !ar.contains('{'), "{ar}");
        assert_eq!(wait(Lang::Fr, WaitRange::Between(10, 20)), "Attente : entre 10 et 20 minutes.");
    }

    #[test]
    fn a_french_visitor_has_no_second_language() {
        assert!(visitor(Lang::Fr, "q".into(), vec![], WaitRange::Next).is_none());
        let ar = visitor(Lang::Ar, "q".into(), vec!["d".into()], WaitRange::Next).unwrap_or_default();
        assert!(ar.rtl && ar.heading == "هذا رقمكم" && ar.documents == ["d"]);
    }
}
