//! Which plural form a count takes in each language: the CLDR rules, written as the
//! `Plural-Forms` headers of the UI's catalogues say them (so a msgstr[i] means the same
//! here as in `ui/translations`). For gettext text read in Rust (the follow page).

use super::lang::Lang;

/// How many forms `lang` has (`nplurals`).
pub fn forms(lang: Lang) -> usize {
    match lang {
        Lang::Ar => 6,
        Lang::Uk | Lang::Ro => 3,
        Lang::Fr | Lang::En | Lang::Es | Lang::Pt | Lang::Tr => 2,
    }
}

/// The index of the form `n` takes in `lang` (`plural=` of its header).
pub fn form(lang: Lang, n: u64) -> usize {
    let (n10, n100) = (n % 10, n % 100);
    match lang {
        Lang::Fr => usize::from(n > 1),
        Lang::En | Lang::Es | Lang::Pt | Lang::Tr => usize::from(n != 1),
        Lang::Ar => match n {
            0 => 0,
            1 => 1,
            2 => 2,
            _ if (3..=10).contains(&n100) => 3,
            _ if n100 >= 11 => 4,
            _ => 5,
        },
        Lang::Uk => {
            if n10 == 1 && n100 != 11 {
                0
            } else if (2..=4).contains(&n10) && !(10..20).contains(&n100) {
                1
            } else {
                2
            }
        }
        Lang::Ro => {
            if n == 1 {
                0
            } else if n == 0 || (1..20).contains(&n100) {
                1
            } else {
                2
            }
        }
    }
}

/// The `Plural-Forms` header each language's catalogue carries (the UI's and ours).
pub fn header(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "nplurals=2; plural=(n > 1);",
        Lang::En | Lang::Es | Lang::Pt | Lang::Tr => "nplurals=2; plural=(n != 1);",
        Lang::Ar => {
            "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
        }
        Lang::Uk => {
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
        }
        Lang::Ro => "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_their_languages_forms() {
        let of = |lang, ns: &[u64]| ns.iter().map(|&n| form(lang, n)).collect::<Vec<_>>();
        assert_eq!(of(Lang::Fr, &[0, 1, 2, 21]), [0, 0, 1, 1]);
        assert_eq!(of(Lang::En, &[0, 1, 2]), [1, 0, 1]);
        assert_eq!(of(Lang::Ar, &[0, 1, 2, 3, 10, 11, 99, 100, 102, 103]), [0, 1, 2, 3, 3, 4, 4, 5, 5, 3]);
        assert_eq!(of(Lang::Uk, &[1, 2, 4, 5, 11, 12, 21, 22, 25, 111]), [0, 1, 1, 2, 2, 2, 0, 1, 2, 2]);
        assert_eq!(of(Lang::Ro, &[0, 1, 2, 19, 20, 101, 120]), [1, 0, 1, 1, 2, 1, 2]);
        for lang in Lang::ALL {
            assert!((0..300).all(|n| form(lang, n) < forms(lang)), "{lang}");
            assert!(header(lang).starts_with(&format!("nplurals={};", forms(lang))), "{lang}");
        }
    }

    /// The UI's catalogues say the same rules (a change there must be made here too).
    #[test]
    fn the_rules_are_the_uis() {
        for lang in Lang::ALL {
            let path = format!("{}/ui/translations/{}/LC_MESSAGES/guichet.po", env!("CARGO_MANIFEST_DIR"), lang.code());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(text.contains(&format!("Plural-Forms: {}", header(lang))), "{path} says other plural rules");
        }
    }
}
