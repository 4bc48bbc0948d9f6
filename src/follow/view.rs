//! The follow page and its live part, and the "not found" page in every language. Only
//! the ticket's number, its place, the estimated wait and the desk it is called to: no
//! theme, procedure, documents, priority or name. Style and script are files of the
//! server (`/follow.css`, `/follow.js`): the page has no inline code, and the CSP allows
//! nothing else.

use super::text::{self, tr, trn};
use crate::core::follow::Turn;
use crate::core::lang::Lang;
use crate::core::queue::WaitRange;
use maud::{html, Markup, DOCTYPE};

/// The live part for `turn`: what the page shows and what each event replaces.
pub(super) fn live(lang: Lang, turn: &Turn) -> Markup {
    html! {
        @match turn {
            Turn::Waiting { ahead, wait, near } => {
                @if *ahead == 0 {
                    p.ahead { (tr(lang, text::YOU_ARE_NEXT)) }
                } @else {
                    p.ahead { (trn(lang, text::AHEAD, *ahead as u64)) }
                }
                @if let Some(wait) = wait_sentence(lang, *wait) {
                    p.wait { (wait) }
                }
                @if *near {
                    p.near { (tr(lang, text::NEAR)) }
                }
            }
            Turn::Called { desk } => {
                p.called { (tr(lang, text::CALLED)) }
                @if !desk.is_empty() {
                    p { (tr(lang, text::GO_TO)) }
                    p.desk { bdi { (desk) } }
                }
            }
            Turn::Serving => p.state { (tr(lang, text::SERVING)) },
            Turn::Done => p.state { (tr(lang, text::DONE)) },
            Turn::Absent => p.state { (tr(lang, text::ABSENT)) },
            Turn::Closed => p.state { (tr(lang, text::CLOSED)) },
        }
    }
}

/// The kiosk's estimate sentence (`None` when nobody is ahead).
fn wait_sentence(lang: Lang, wait: WaitRange) -> Option<String> {
    Some(match wait {
        WaitRange::Next => return None,
        WaitRange::Under(high) => trn(lang, text::WAIT_UNDER, u64::from(high)),
        WaitRange::Between(low, high) => {
            trn(lang, text::WAIT_BETWEEN, u64::from(high)).replace("{0}", &low.to_string())
        }
        WaitRange::OverAnHour => tr(lang, text::WAIT_OVER_AN_HOUR),
    })
}

/// What the page says about one ticket.
pub(super) struct Page<'a> {
    pub site: &'a str,
    pub lang: Lang,
    pub number: &'a str,
    pub turn: &'a Turn,
    /// Times called so far (a recall rings again).
    pub calls: u32,
    /// The live stream's address.
    pub events: &'a str,
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="robots" content="noindex";
            title { (title) }
            link rel="stylesheet" href="/follow.css";
        }
    }
}

fn dir(lang: Lang) -> &'static str {
    if lang.is_rtl() {
        "rtl"
    } else {
        "ltr"
    }
}

pub(super) fn page(p: &Page<'_>) -> Markup {
    let lang = p.lang;
    let title = format!("{} – {}", p.number, tr(lang, text::TITLE));
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(dir(lang)) {
            (head(&title))
            body {
                main #follow data-events=(p.events) data-kind=(p.turn.kind()) data-calls=(p.calls)
                    data-sound-on=(tr(lang, text::SOUND_IS_ON)) {
                    p.site { (p.site) }
                    h1 { (tr(lang, text::TITLE)) }
                    div.ticket {
                        p.label { (tr(lang, text::YOUR_NUMBER)) }
                        p.number { bdi { (p.number) } }
                    }
                    div #live role="status" aria-live="polite" aria-atomic="true" { (live(lang, p.turn)) }
                    p #lost role="alert" hidden { (tr(lang, text::LOST)) }
                    div #sound-box hidden {
                        button #sound type="button" aria-describedby="sound-why" { (tr(lang, text::SOUND_ON)) }
                        p #sound-why { (tr(lang, text::SOUND_WHY)) }
                    }
                    p.note { (tr(lang, text::LIVE)) }
                    p.note { (tr(lang, text::ONLY_NUMBER)) }
                }
                script src="/follow.js" defer {}
            }
        }
    }
}

/// An unknown or expired link: the same page for all, French first, then every language.
pub(super) fn not_found() -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" dir="ltr" {
            (head(&tr(Lang::Fr, text::NOT_FOUND)))
            body {
                main.missing {
                    h1 { (tr(Lang::Fr, text::NOT_FOUND)) }
                    p { (tr(Lang::Fr, text::NOT_FOUND_WHY)) }
                    @for lang in Lang::ALL.into_iter().filter(|&l| l != Lang::Fr) {
                        section lang=(lang.code()) dir=(dir(lang)) {
                            h2 { (tr(lang, text::NOT_FOUND)) }
                            p { (tr(lang, text::NOT_FOUND_WHY)) }
                        }
                    }
                }
            }
        }
    }
}
