//! A visitor who reads only their own language finds it on the language list, on every
//! display and print size: where the list takes more than one page, its page button
//! names the languages it leads to, each in itself (issue 25.5: "Українська" and
//! "Română" stood behind "Autres choix" in French).

use crate::pages::{display_rig, sample_languages, SIZES};
use crate::screens::show;
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use libtest_mimic::Failed;

pub const CHECKS: &[(&str, Check)] =
    &[("the_language_list_s_page_button_names_the_languages_it_leads_to", page_button_names)];

/// Walks the list's pages by pressing its page button, as a visitor would: before each
/// press the button names the first language of the page it leads to, and after it that
/// language is on screen; every language is met once the list is back on its first page.
fn page_button_names() -> Result<(), Failed> {
    let mut walked = 0;
    for (size_index, (d, large)) in SIZES.into_iter().enumerate() {
        for lang in sample_languages(size_index) {
            let r = display_rig(d, large);
            show(&r, "language", lang);
            let on_screen = |r: &crate::common::Rig| -> Vec<Lang> {
                Lang::ALL.into_iter().filter(|l| !r.find(l.native_name()).is_empty()).collect()
            };
            let mut met = on_screen(&r);
            let first_page = met.clone();
            let print = if large { "large" } else { "normal" };
            for _ in 0..Lang::ALL.len() {
                let buttons = r.page_buttons();
                let Some(button) = buttons.last() else { break };
                let label = button.accessible_label().map(|l| l.to_string()).unwrap_or_default();
                let (p, s) = (button.absolute_position(), button.size());
                r.press_at(slint::LogicalPosition::new(p.x + s.width / 2.0, p.y + s.height / 2.0));
                r.settle();
                let shown = on_screen(&r);
                let Some(first) = shown.first() else {
                    return Err(format!("{} {print} {}: an empty page after {label:?}", d.name, lang.code()).into());
                };
                ensure!(
                    label.contains(first.native_name()),
                    "{} {print} {}: the page button said {label:?}, the page starts with {}",
                    d.name,
                    lang.code(),
                    first.native_name()
                );
                walked += 1;
                if shown == first_page {
                    break;
                }
                met.extend(shown);
            }
            met.sort_by_key(|l| l.code());
            met.dedup();
            ensure!(met.len() == Lang::ALL.len(), "{} {print} {}: met only {met:?}", d.name, lang.code());
        }
    }
    ensure!(walked > 0, "no language list took more than one page: nothing was walked");
    Ok(())
}
