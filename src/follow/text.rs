//! The follow page's words in the visitor's language: French in the code (the msgid),
//! the other seven in gettext files built into the binary (`assets/follow/<lang>.po`,
//! plural forms as in the UI's catalogues: `core::plural`).

use crate::core::lang::Lang;
use crate::core::{plural, po};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One message: its French text, and its French plural when it counts something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    pub fr: &'static str,
    pub plural: Option<&'static str>,
}

const fn one(fr: &'static str) -> Msg {
    Msg { fr, plural: None }
}

const fn counted(fr: &'static str, plural: &'static str) -> Msg {
    Msg { fr, plural: Some(plural) }
}

pub const TITLE: Msg = one("Suivre mon tour");
pub const YOUR_NUMBER: Msg = one("Votre numéro");
pub const AHEAD: Msg = counted("{n} personne avant vous", "{n} personnes avant vous");
pub const YOU_ARE_NEXT: Msg = one("Vous êtes la prochaine personne appelée.");
/// The kiosk's own estimate sentences (the same msgids as its ticket screen).
pub const WAIT_UNDER: Msg = counted("Attente : moins de {n} minute.", "Attente : moins de {n} minutes.");
pub const WAIT_BETWEEN: Msg = counted("Attente : entre {0} et {n} minute.", "Attente : entre {0} et {n} minutes.");
pub const WAIT_OVER_AN_HOUR: Msg = one("Attente : plus d'une heure.");
pub const NEAR: Msg = one("Votre tour approche : restez près des bureaux.");
pub const CALLED: Msg = one("C'est votre tour !");
pub const GO_TO: Msg = one("Présentez-vous ici :");
pub const SERVING: Msg = one("Une personne de l'accueil s'occupe de vous.");
pub const DONE: Msg = one("Votre visite est terminée. Merci et bonne journée !");
pub const ABSENT: Msg = one("Votre numéro a été appelé, mais personne n'est venu. Adressez-vous à l'accueil.");
pub const CLOSED: Msg = one("Ce ticket n'est plus dans la file. Adressez-vous à l'accueil.");
pub const SOUND_ON: Msg = one("Activer le son");
pub const SOUND_IS_ON: Msg = one("Son activé");
pub const SOUND_WHY: Msg =
    one("Touchez ce bouton : votre téléphone sonnera et vibrera quand votre numéro sera appelé.");
pub const LIVE: Msg = one("Cette page change toute seule. Gardez-la ouverte.");
pub const LOST: Msg = one("Connexion perdue. Nouvel essai…");
pub const ONLY_NUMBER: Msg = one("Cette page montre seulement votre numéro et votre place dans la file.");
pub const NOT_FOUND: Msg = one("Ticket introuvable");
pub const NOT_FOUND_WHY: Msg = one("Ce lien n'est pas valable, ou il date d'un autre jour. Demandez à l'accueil.");

/// Every message, for the tests that check each language has them all.
pub const ALL: [Msg; 22] = [
    TITLE,
    YOUR_NUMBER,
    AHEAD,
    YOU_ARE_NEXT,
    WAIT_UNDER,
    WAIT_BETWEEN,
    WAIT_OVER_AN_HOUR,
    NEAR,
    CALLED,
    GO_TO,
    SERVING,
    DONE,
    ABSENT,
    CLOSED,
    SOUND_ON,
    SOUND_IS_ON,
    SOUND_WHY,
    LIVE,
    LOST,
    ONLY_NUMBER,
    NOT_FOUND,
    NOT_FOUND_WHY,
];

/// The catalogue text of `lang` (`None`: French, the source).
pub fn source(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Fr => return None,
        Lang::En => include_str!("../../assets/follow/en.po"),
        Lang::Ar => include_str!("../../assets/follow/ar.po"),
        Lang::Es => include_str!("../../assets/follow/es.po"),
        Lang::Pt => include_str!("../../assets/follow/pt.po"),
        Lang::Tr => include_str!("../../assets/follow/tr.po"),
        Lang::Uk => include_str!("../../assets/follow/uk.po"),
        Lang::Ro => include_str!("../../assets/follow/ro.po"),
    })
}

type Forms = HashMap<String, Vec<String>>;

fn catalogue(lang: Lang) -> &'static Forms {
    static CATALOGUES: OnceLock<HashMap<Lang, Forms>> = OnceLock::new();
    static EMPTY: OnceLock<Forms> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| {
        Lang::ALL.into_iter().filter_map(|l| Some((l, po::parse_forms(source(l)?).unwrap_or_default()))).collect()
    });
    all.get(&lang).unwrap_or_else(|| EMPTY.get_or_init(Forms::new))
}

/// `msg` in `lang` (French when it has no translation).
pub fn tr(lang: Lang, msg: Msg) -> String {
    trn(lang, msg, 1)
}

/// `msg` in `lang` for the count `n` (its `{n}` replaced), in the form `n` takes there.
pub fn trn(lang: Lang, msg: Msg, n: u64) -> String {
    let form = if msg.plural.is_some() { plural::form(lang, n) } else { 0 };
    let translated = catalogue(lang).get(msg.fr).and_then(|forms| forms.get(form)).cloned();
    let french = match msg.plural {
        Some(many) if plural::form(Lang::Fr, n) == 1 => many,
        _ => msg.fr,
    };
    translated.unwrap_or_else(|| french.to_string()).replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{…}` places of a text, sorted.
    fn places(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(name, _)| name)).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_language_has_every_message_in_all_its_forms() {
        for lang in Lang::ALL.into_iter().filter(|&l| l != Lang::Fr) {
            let text = source(lang).unwrap();
            let forms = po::parse_forms(text).unwrap_or_else(|e| panic!("{lang}.po:{}: {}", e.line, e.message));
            assert!(text.contains(&format!("\"Plural-Forms: {}\\n\"", plural::header(lang))), "{lang}: Plural-Forms");
            assert!(text.contains(&format!("\"Language: {}\\n\"", lang.code())), "{lang}: Language");
            for msg in ALL {
                let got = forms.get(msg.fr).unwrap_or_else(|| panic!("{lang}: \"{}\" is not translated", msg.fr));
                let wanted = if msg.plural.is_some() { plural::forms(lang) } else { 1 };
                assert_eq!(got.len(), wanted, "{lang}: \"{}\" has {} forms", msg.fr, got.len());
                for form in got {
                    assert_ne!(form, msg.fr, "{lang}: \"{}\" is left in French", msg.fr);
                    // Every form keeps the places, except a form for one count that says it in words.
                    let mut missing = places(msg.fr);
                    missing.retain(|p| !places(form).contains(p));
                    assert!(missing.is_empty() || missing == ["n"], "{lang}: \"{form}\" lost {missing:?}");
                }
            }
            assert_eq!(forms.len(), ALL.len(), "{lang}: no message the page does not use");
        }
    }

    #[test]
    fn counts_take_the_right_form() {
        assert_eq!(trn(Lang::Fr, AHEAD, 1), "1 personne avant vous");
        assert_eq!(trn(Lang::Fr, AHEAD, 3), "3 personnes avant vous");
        assert_eq!(trn(Lang::En, AHEAD, 1), "1 person ahead of you");
        assert_eq!(trn(Lang::En, AHEAD, 4), "4 people ahead of you");
        assert!(trn(Lang::Uk, AHEAD, 3).contains("3 людини"), "{}", trn(Lang::Uk, AHEAD, 3));
        assert!(trn(Lang::Uk, AHEAD, 5).contains("5 людей"), "{}", trn(Lang::Uk, AHEAD, 5));
        assert!(trn(Lang::Ar, AHEAD, 5).contains("5 أشخاص"), "{}", trn(Lang::Ar, AHEAD, 5));
        assert_eq!(tr(Lang::Fr, TITLE), "Suivre mon tour");
        assert_eq!(tr(Lang::Es, SOUND_ON), "Activar el sonido");
        // A message that counts nothing has one form, whatever the language's rule says of 1.
        assert_eq!(tr(Lang::Ar, TITLE), "متابعة دوري");
        assert_eq!(tr(Lang::Uk, CALLED), "Ваша черга!");
    }
}
