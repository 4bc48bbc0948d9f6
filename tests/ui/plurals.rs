//! Counts read right in every language: "1 seconde", "21 секунду", "ثانيتين", tried over
//! 0, 1, 2, 5 and 21 on the inactivity warning and the ticket's wait (no wait at all is
//! "Personne n'attend avant vous.").

use crate::common::{rig, Rig};
use crate::screens::show;
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use guichet::ui::KioskApi;
use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use libtest_mimic::Failed;
use slint::ComponentHandle;

pub const CHECKS: &[(&str, Check)] = &[("plural_forms_over_0_1_2_5_21_in_every_language", plurals)];

/// The CLDR plural category of a whole number, as the index of the language's forms.
fn form(lang: Lang, n: u32) -> usize {
    let (n10, n100) = (n % 10, n % 100);
    match lang {
        Lang::Fr => usize::from(n > 1),
        Lang::Uk if n10 == 1 && n100 != 11 => 0,
        Lang::Uk if (2..=4).contains(&n10) && !(12..=14).contains(&n100) => 1,
        Lang::Uk => 2,
        Lang::Ro if n == 1 => 0,
        Lang::Ro if n == 0 || (1..20).contains(&n100) => 1,
        Lang::Ro => 2,
        Lang::Ar => match (n, n100) {
            (0, _) => 0,
            (1, _) => 1,
            (2, _) => 2,
            (_, 3..=10) => 3,
            (_, 11..=99) => 4,
            _ => 5,
        },
        _ => usize::from(n != 1),
    }
}

fn forms(lang: Lang, french: &str) -> Vec<String> {
    let path = format!("{}/ui/translations/{}/LC_MESSAGES/guichet.po", env!("CARGO_MANIFEST_DIR"), lang.code());
    let map = guichet::core::po::parse_forms(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_default();
    map.get(french).cloned().unwrap_or_default()
}

fn texts(r: &Rig) -> Vec<String> {
    let found = ElementQuery::from_root(r.app()).match_accessible_role(AccessibleRole::Text).find_all();
    found.iter().filter_map(|t| t.accessible_label().map(|l| l.to_string())).collect()
}

fn plurals() -> Result<(), Failed> {
    let mut wrong = Vec::new();
    // What a reader expects, word for word, in a few places.
    let spot = [
        (Lang::Fr, 0, "Retour au début dans 0 seconde."),
        (Lang::Fr, 1, "Retour au début dans 1 seconde."),
        (Lang::Fr, 21, "Retour au début dans 21 secondes."),
        (Lang::En, 1, "Back to the start in 1 second."),
        (Lang::Uk, 21, "Повернення на початок через 21 секунду."),
        (Lang::Uk, 5, "Повернення на початок через 5 секунд."),
        (Lang::Ro, 21, "Revenire la început în 21 de secunde."),
        (Lang::Ar, 2, "العودة إلى البداية بعد ثانيتين."),
    ];
    for lang in Lang::ALL {
        let r = rig();
        for (screen, french) in [
            ("warning", "Retour au début dans {n} seconde."),
            ("ticket", "Attente : moins de {n} minute."),
            ("ticket", "Attente : entre {0} et {n} minute."),
        ] {
            show(&r, screen, lang);
            let forms = forms(lang, french);
            ensure!(!forms.is_empty(), "{lang}: no plural forms for {french:?}");
            // The range's lower end: 1 minute, below every count tried but 0 and 1.
            let range = french.contains("{0}");
            for n in [0, 1, 2, 5, 21].into_iter().filter(|n| !range || *n > 1) {
                let api = r.app().global::<KioskApi>();
                if screen == "warning" {
                    api.set_warning_seconds(n as i32);
                } else {
                    api.set_wait_low(i32::from(range));
                    api.set_wait_high(n as i32);
                }
                r.settle();
                let want = if screen == "ticket" && n == 0 {
                    // No wait at all is said in words.
                    crate::common::ui_tr(lang, "Personne n'attend avant vous.")
                } else {
                    let form = forms.get(form(lang, n)).cloned().unwrap_or_default();
                    form.replace("{n}", &n.to_string()).replace("{0}", "1")
                };
                let shown = texts(&r);
                if !shown.iter().any(|t| t.contains(&want)) {
                    wrong.push(format!("{lang} {screen} {n}: want {want:?}, shown {shown:?}"));
                }
                for (l, count, words) in spot {
                    if l == lang && count == n && screen == "warning" && want != words {
                        wrong.push(format!("{lang} {n}: {want:?} should read {words:?}"));
                    }
                }
            }
            crate::screens::close_overlays(&r);
        }
    }
    ensure!(wrong.is_empty(), "{} wrong counts:\n{}", wrong.len(), wrong.join("\n"));
    Ok(())
}
