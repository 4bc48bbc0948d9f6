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

    /// "Start" in the languages a visitor who reads no French most likely reads, for the
    /// first screen's button, without the word the button already shows in this language.
    /// All seven others made the button two lines taller in large print and pushed the
    /// switches off a 10.1" screen (tests/integration/pixels.rs): to do with a layout that
    /// gives them room.
    pub fn start_elsewhere(self) -> String {
        const WORDS: [(Lang, &str); 4] =
            [(Lang::En, "Start"), (Lang::Ar, "ابدأ"), (Lang::Es, "Empezar"), (Lang::Uk, "Почати")];
        // The dot keeps to the word before it: a wrapped line starts with a word.
        WORDS.iter().filter(|(l, _)| *l != self).map(|(_, w)| *w).collect::<Vec<_>>().join("\u{a0}· ")
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
        assert_eq!(said(Lang::Fr), "Start · ابدأ · Empezar · Почати");
        assert_eq!(said(Lang::Uk), "Start · ابدأ · Empezar");
        assert_eq!(said(Lang::En), "ابدأ · Empezar · Почати");
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
