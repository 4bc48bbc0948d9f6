//! Pushes the journey's state into the Slint `KioskApi` global: translated choices,
//! summary, ticket. Runs on the UI thread; cheap (a few dozen strings).

use super::ticket::TicketView;
use crate::core::catalogue::{Catalogue, Item};
use crate::core::journey::{Journey, Screen};
use crate::core::lang::Lang;
use crate::ui::{self, AppWindow, Choice, KioskApi, Theme};
use slint::{ComponentHandle, Image, Model, ModelRc, SharedString, VecModel};
use std::collections::HashMap;
use std::rc::Rc;

/// Icons decoded once.
#[derive(Default)]
pub struct Icons(HashMap<String, Image>);

impl Icons {
    pub fn get(&mut self, name: &str) -> Option<Image> {
        if let Some(i) = self.0.get(name) {
            return Some(i.clone());
        }
        let svg = crate::assets::icon_svg(name)?;
        let image = Image::load_from_svg_data(svg).ok()?;
        self.0.insert(name.to_string(), image.clone());
        Some(image)
    }
}

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::from(Rc::new(VecModel::from(items)))
}

/// Puts `items` into the model the UI already shows, touching only the rows that differ.
/// A new model would make every repeater rebuild its elements, and a refresh runs on
/// every touch: the button under a finger would be rebuilt between press and release,
/// and the release (the click) lost. Rows that did not change keep their elements.
fn sync<T: Clone + PartialEq + 'static>(current: ModelRc<T>, items: Vec<T>, set: impl FnOnce(ModelRc<T>)) {
    let Some(shown) = current.as_any().downcast_ref::<VecModel<T>>() else {
        set(model(items));
        return;
    };
    if shown.row_count() != items.len() {
        shown.set_vec(items);
        return;
    }
    for (row, item) in items.into_iter().enumerate() {
        if shown.row_data(row).as_ref() != Some(&item) {
            shown.set_row_data(row, item);
        }
    }
}

fn choice(label: &str, hint: &str, icon: Option<Image>, selected: bool) -> Choice {
    Choice {
        label: label.into(),
        hint: hint.into(),
        has_icon: icon.is_some(),
        icon: icon.unwrap_or_default(),
        selected,
    }
}

fn item_choices(cat: &Catalogue, lang: Lang, items: &[Item], icons: &mut Icons, selected: &[usize]) -> Vec<Choice> {
    items
        .iter()
        .enumerate()
        .map(|(i, it)| choice(cat.tr(lang, &it.label), "", icons.get(&it.icon), selected.contains(&i)))
        .collect()
}

/// Labels of `count` choices from `first`, joined for speech ("Papiers. Famille.").
pub fn join_labels(choices: &ModelRc<Choice>, first: i32, count: i32) -> SharedString {
    let (first, count) = (first.max(0) as usize, count.max(0) as usize);
    let labels: Vec<String> = labels(choices).into_iter().skip(first).take(count).collect();
    if labels.is_empty() {
        return SharedString::new();
    }
    format!("{}.", labels.join(". ")).into()
}

/// The labels of a list's choices.
fn labels(choices: &ModelRc<Choice>) -> Vec<String> {
    choices.iter().map(|c| c.label.to_string()).collect()
}

/// A page button's label naming the `count` choices from `first`, `most` of them (the
/// language list), for a kiosk reading right to left or not.
pub fn pager_names(choices: &ModelRc<Choice>, [first, count, most]: [i32; 3], rtl: bool) -> SharedString {
    let [first, count, most] = [first, count, most].map(|n| n.max(0) as usize);
    crate::core::pager_names::leading_to(&labels(choices), first, count, most, rtl).into()
}

/// The longest label `pager_names` may give for this list.
pub fn pager_names_longest(choices: &ModelRc<Choice>, most: i32, rtl: bool) -> SharedString {
    crate::core::pager_names::longest(&labels(choices), most.max(0) as usize, rtl).into()
}

/// The UI's font families (the names the embedded font files declare).
pub const ATKINSON: &str = "Atkinson Hyperlegible";
pub const NOTO: &str = "Noto Sans";
pub const NOTO_ARABIC_UI: &str = "Noto Sans Arabic UI";

/// The font that covers the language (Atkinson Hyperlegible has Latin only, and no İ).
pub fn font_for(lang: Lang) -> &'static str {
    match lang {
        // The UI cut keeps Noto Sans's 1.36 em line box (the text cut needs 2.1 em).
        Lang::Ar => NOTO_ARABIC_UI,
        Lang::Uk | Lang::Tr => NOTO,
        _ => ATKINSON,
    }
}

/// Capital height / font size of the language's font (from the font files' OS/2 tables;
/// Arabic has no capitals and is sized like Noto Sans).
pub fn cap_ratio(lang: Lang) -> f32 {
    match font_for(lang) {
        ATKINSON => 0.668,
        _ => 0.714,
    }
}

/// Line height / font size of the language's font (hhea ascent + descent + gap; Noto
/// Sans and Noto Sans Arabic UI share theirs).
pub fn line_height(lang: Lang) -> f32 {
    match font_for(lang) {
        ATKINSON => 1.24,
        _ => 1.362,
    }
}

/// Switches the UI strings, direction and font to `lang`.
pub fn apply_language(window: &AppWindow, lang: Lang) {
    // French is the source language; its own file holds only its plural rule (a French
    // singular covers 0 and 1), other strings fall back to the source.
    if let Err(e) = slint::select_bundled_translation(lang.code()) {
        eprintln!("guichet: no UI translation for {lang}: {e:?}");
    }
    let theme = window.global::<Theme>();
    theme.set_rtl(lang.is_rtl());
    theme.set_font_family(font_for(lang).into());
    theme.set_cap_ratio(cap_ratio(lang));
    theme.set_line(line_height(lang));
    window.global::<KioskApi>().set_lang(lang.code().into());
    window.global::<KioskApi>().set_start_elsewhere(lang.start_elsewhere().into());
    window.global::<KioskApi>().set_start_elsewhere_short(lang.start_elsewhere_short().into());
}

/// The catch-all theme ("Autre question", "Je ne sais pas quoi choisir").
pub const CATCH_ALL: &str = "autre";

/// The themes in the order the visitor sees them, as catalogue indexes: the catch-all
/// first, where an unsure visitor looks first (issue 25.4), then the catalogue's order.
pub fn theme_order(cat: &Catalogue) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cat.themes.len()).collect();
    order.sort_by_key(|&i| cat.themes[i].id != CATCH_ALL);
    order
}

/// Refreshes every visitor-facing property from the journey.
pub fn refresh(window: &AppWindow, j: &Journey, cat: &Catalogue, icons: &mut Icons) {
    let api = window.global::<KioskApi>();
    let lang = j.lang();
    let languages: Vec<Choice> = Lang::ALL.iter().map(|l| choice(l.native_name(), "", None, *l == lang)).collect();
    sync(api.get_languages(), languages.clone(), |m| api.set_languages(m));
    let theme = j.theme().and_then(|t| cat.themes.get(t));
    let procedure = theme.zip(j.procedure()).and_then(|(t, p)| t.procedures.get(p));
    let choices: Vec<Choice> = match j.screen() {
        Screen::Language => languages,
        Screen::Theme => theme_order(cat)
            .into_iter()
            .filter_map(|i| cat.themes.get(i).map(|t| (i, t)))
            .map(|(i, t)| {
                choice(cat.tr(lang, &t.title), cat.tr(lang, &t.hint), icons.get(&t.icon), j.theme() == Some(i))
            })
            .collect(),
        Screen::Procedure => theme
            .map(|t| {
                t.procedures
                    .iter()
                    .map(|p| choice(cat.tr(lang, &p.title), cat.tr(lang, &p.hint), None, false))
                    .collect()
            })
            .unwrap_or_default(),
        Screen::Have => item_choices(cat, lang, &cat.have, icons, j.have()),
        Screen::Priority => {
            item_choices(cat, lang, &cat.priority, icons, &j.priority().into_iter().collect::<Vec<_>>())
        }
        _ => Vec::new(),
    };
    match j.screen() {
        Screen::Theme => sync(api.get_themes(), choices, |m| api.set_themes(m)),
        Screen::Procedure => sync(api.get_procedures(), choices, |m| api.set_procedures(m)),
        Screen::Have => sync(api.get_have(), choices, |m| api.set_have(m)),
        Screen::Priority => sync(api.get_priorities(), choices, |m| api.set_priorities(m)),
        _ => {}
    }
    let have: Vec<&str> = j.have().iter().filter_map(|i| cat.have.get(*i)).map(|h| cat.tr(lang, &h.label)).collect();
    let priority = j.priority().and_then(|i| cat.priority.get(i)).map_or("", |p| cat.tr(lang, &p.label));
    let summary = vec![
        SharedString::from(theme.map_or("", |t| cat.tr(lang, &t.title))),
        SharedString::from(procedure.map_or("", |p| cat.tr(lang, &p.title))),
        SharedString::from(&have.join(lang.list_separator())),
        SharedString::from(priority),
    ];
    sync(api.get_summary(), summary, |m| api.set_summary(m));
    let missing: Vec<&str> = procedure
        .map(|p| {
            p.ready
                .iter()
                .filter(|r| !j.have().iter().any(|i| cat.have.get(*i).is_some_and(|h| &h.id == *r)))
                .filter_map(|r| cat.have.iter().find(|h| &h.id == r))
                .map(|h| cat.tr(lang, &h.missing))
                .collect()
        })
        .unwrap_or_default();
    api.set_reminder(missing.join(lang.list_separator()).into());
    sync(api.get_have_list(), have.iter().map(|h| SharedString::from(*h)).collect(), |m| api.set_have_list(m));
    sync(api.get_reminders(), missing.iter().map(|m| SharedString::from(*m)).collect(), |m| api.set_reminders(m));
    api.set_issuing(j.issuing());
    api.set_ticket_failed(j.ticket_failed());
    api.set_help_open(j.help_open());
    api.set_warning_seconds(j.warning().map_or(-1, |s| s as i32));
    api.set_screen(ui_screen(j.screen()));
}

fn ui_screen(s: Screen) -> ui::Screen {
    match s {
        Screen::Attract => ui::Screen::Attract,
        Screen::Language => ui::Screen::Language,
        Screen::Theme => ui::Screen::Theme,
        Screen::Procedure => ui::Screen::Procedure,
        Screen::Have => ui::Screen::Have,
        Screen::Priority => ui::Screen::Priority,
        Screen::Summary => ui::Screen::Summary,
        Screen::Ticket => ui::Screen::Ticket,
    }
}

/// Puts a ticket on screen (or clears it with `None`: nothing stays for the next visitor).
pub fn show_ticket(window: &AppWindow, view: Option<&TicketView>) {
    let api = window.global::<KioskApi>();
    api.set_ticket_page(0);
    let Some(v) = view else {
        api.set_ticket_number(SharedString::new());
        api.set_ticket_spelled(SharedString::new());
        sync(api.get_documents(), Vec::new(), |m| api.set_documents(m));
        api.set_documents_spoken(SharedString::new());
        api.set_qr(Image::default());
        api.set_follow_qr(Image::default());
        api.set_has_follow(false);
        api.set_print_state(ui::PrintState::None);
        return;
    };
    api.set_ticket_number(v.number.as_str().into());
    api.set_ticket_spelled(v.spelled.as_str().into());
    let (low, high) = v.wait.bounds();
    api.set_wait_low(low as i32);
    api.set_wait_high(high as i32);
    sync(api.get_documents(), v.documents.iter().map(|d| SharedString::from(d.as_str())).collect(), |m| {
        api.set_documents(m)
    });
    api.set_documents_spoken(v.documents.join(". ").into());
    api.set_qr(Image::from_rgb8(v.qr.clone()));
    api.set_has_follow(v.follow.is_some());
    api.set_follow_qr(v.follow.as_ref().map(|f| Image::from_rgb8(f.qr.clone())).unwrap_or_default());
}
