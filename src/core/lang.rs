//! The languages the kiosk speaks and shows. French is the source language.

use serde::{Deserialize, Serialize};

/// A visitor-facing language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
    Ar,
    Es,
    Pt,
    Tr,
    Uk,
    Ro,
}

impl Lang {
    /// Every language, in the order of the language screen.
    pub const ALL: [Lang; 8] = [Lang::Fr, Lang::En, Lang::Ar, Lang::Es, Lang::Pt, Lang::Tr, Lang::Uk, Lang::Ro];

    /// ISO 639-1 code, also the gettext catalogue name.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Tr => "tr",
            Lang::Uk => "uk",
            Lang::Ro => "ro",
        }
    }

    /// The language's name written in itself (what its speakers look for).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Es => "Español",
            Lang::Pt => "Português",
            Lang::Tr => "Türkçe",
            Lang::Uk => "Українська",
            Lang::Ro => "Română",
        }
    }

    /// Written right to left: the whole layout mirrors.
    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    /// Between the items of a list written in a sentence: Arabic has its own comma.
    pub fn list_separator(self) -> &'static str {
        if self == Lang::Ar {
            "\u{060C} "
        } else {
            ", "
        }
    }

    /// The start button's word in every other language of the kiosk (each catalogue's
    /// own "Commencer"), for the first screen, so a visitor who reads no French finds the
    /// way in; without the word the button already shows in this language.
    pub fn start_elsewhere(self) -> String {
        self.start_in(&Lang::ALL)
    }

    /// The most asked for (English, Arabic, Spanish, Ukrainian), where the seven do not
    /// fit (large print on a low screen with the text-only notice).
    pub fn start_elsewhere_short(self) -> String {
        self.start_in(&[Lang::En, Lang::Ar, Lang::Es, Lang::Uk])
    }

    fn start_in(self, langs: &[Lang]) -> String {
        const START: &str = "Commencer";
        let word = |lang: &Lang| super::paper_words::lookup(*lang, START, 1).unwrap_or_else(|| START.to_string());
        // The dot keeps to the word before it: a wrapped line starts with a word.
        langs.iter().filter(|l| **l != self).map(word).collect::<Vec<_>>().join("\u{a0}· ")
    }

    /// Parses a code such as `fr` or `en`.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_is_not_said_twice() {
        let said = |lang: Lang| lang.start_elsewhere().replace('\u{a0}', " ");
        assert_eq!(said(Lang::Fr), "Start · ابدأ · Empezar · Começar · Başla · Почати · Începeți");
        assert_eq!(said(Lang::Uk), "Commencer · Start · ابدأ · Empezar · Começar · Başla · Începeți");
        let short = |lang: Lang| lang.start_elsewhere_short().replace('\u{a0}', " ");
        assert_eq!(short(Lang::Fr), "Start · ابدأ · Empezar · Почати");
        assert_eq!(short(Lang::Uk), "Start · ابدأ · Empezar");
        // Every language is greeted in the seven others.
        for lang in Lang::ALL {
            assert_eq!(said(lang).split(" · ").count(), 7, "{lang}");
        }
    }

    #[test]
    fn arabic_lists_use_the_arabic_comma() {
        assert_eq!(Lang::Ar.list_separator(), "\u{060C} ");
        assert_eq!(Lang::Uk.list_separator(), ", ");
    }

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("xx"), None);
        assert!(Lang::Ar.is_rtl() && !Lang::Uk.is_rtl());
    }
}
