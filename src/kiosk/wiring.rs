//! Connects every `KioskApi` callback to the kiosk's state.

use super::Inner;
use crate::core::journey::Event;
use crate::core::lang::Lang;
use crate::speech::VOLUME_STEPS;
use crate::ui::{AppWindow, KioskApi};
use slint::ComponentHandle;
use std::rc::Rc;

pub(super) fn wire(window: &AppWindow, inner: &Rc<Inner>) {
    let api = window.global::<KioskApi>();
    api.on_widest_piece(|text, size, family| super::measure::widest_piece(&text, size, &family));
    api.on_line_width(|text, size, family| super::measure::line_width(&text, size, &family));
    api.on_keep_whole(|text| crate::core::compounds::keep_whole(&text).into());
    api.on_wrap_mixed(|text, size, family, width| super::measure::wrap_mixed(&text, size, &family, width).into());
    api.on_splits_run(|text, size, family, width| super::measure::splits_run(&text, size, &family, width));
    api.on_join_labels(|choices, first, count| super::view::join_labels(&choices, first, count));
    api.on_pager_names(|choices, first, count, most, rtl| {
        super::view::pager_names(&choices, [first, count, most], rtl)
    });
    api.on_pager_names_longest(|choices, most, rtl| super::view::pager_names_longest(&choices, most, rtl));
    macro_rules! on {
        ($setter:ident, |$me:ident $(, $arg:ident : $ty:ty)*| $body:expr) => {{
            let weak = Rc::downgrade(inner);
            api.$setter(move |$($arg: $ty),*| {
                if let Some($me) = weak.upgrade() {
                    $body
                }
            });
        }};
    }
    on!(on_start, |me| me.handle(Event::Start));
    on!(on_choose_language, |me, i: i32| {
        if let Some(lang) = Lang::ALL.get(i as usize) {
            me.set_language(*lang);
            me.handle(Event::ChooseLanguage(*lang));
        }
    });
    // The grid shows the themes in the visitor's order (the catch-all first).
    on!(on_choose_theme, |me, i: i32| {
        if let Some(theme) = super::view::theme_order(&me.cat).get(i as usize) {
            me.handle(Event::ChooseTheme(*theme));
        }
    });
    on!(on_choose_procedure, |me, i: i32| me.handle(Event::ChooseProcedure(i as usize)));
    on!(on_toggle_have, |me, i: i32| me.handle(Event::ToggleHave(i as usize)));
    on!(on_have_done, |me| me.handle(Event::HaveDone));
    on!(on_choose_priority, |me, i: i32| me.handle(Event::ChoosePriority(i as usize)));
    on!(on_get_ticket, |me| me.handle(Event::GetTicket));
    on!(on_back, |me| me.handle(Event::Back));
    on!(on_help, |me, open: bool| me.handle(Event::Help(open)));
    on!(on_call_help, |me| {
        let screen = me.state.borrow().journey.screen();
        me.help.call(screen);
        me.with_api(|api| api.set_help_state(crate::ui::HelpState::Called));
        me.handle(Event::Activity);
    });
    on!(on_finish, |me| me.handle(Event::Finish));
    on!(on_more_time, |me| me.handle(Event::MoreTime));
    on!(on_settings, |me, open: bool| {
        me.with_api(|api| api.set_settings_open(open));
        me.handle(Event::Activity);
    });
    on!(on_staff, |me, open: bool| {
        me.with_api(|api| api.set_staff_open(open));
        me.handle(Event::Touch);
    });
    on!(on_touched, |me| {
        me.speech.stop();
        me.handle(Event::Touch);
    });
    let weak = Rc::downgrade(inner);
    super::focus::wire(
        window,
        Rc::new(move |text: &str| {
            if let Some(me) = weak.upgrade() {
                let voice = me.state.borrow().voice;
                me.speech.say(text, voice);
            }
        }),
    );
    on!(on_say, |me, text: slint::SharedString| {
        let voice = me.state.borrow().voice;
        me.speech.say(&text, voice);
    });
    on!(on_change_volume, |me, delta: i32| {
        let v = {
            let mut st = me.state.borrow_mut();
            st.voice.volume = (st.voice.volume as i32 + delta).clamp(1, VOLUME_STEPS as i32) as u8;
            st.voice.volume
        };
        me.with_api(|api| api.set_volume(v as i32));
    });
    on!(on_toggle_slow_speech, |me| {
        let slow = {
            let mut st = me.state.borrow_mut();
            st.voice.slow = !st.voice.slow;
            st.voice.slow
        };
        me.with_api(|api| api.set_slow_speech(slow));
    });
    on!(on_toggle_speech_first, |me| me.with_api(|api| {
        api.set_speech_first(!api.get_speech_first());
        api.set_armed(Default::default());
    }));
    on!(on_toggle_contrast, |me| me.with_theme(|t| t.set_contrast(!t.get_contrast())));
    on!(on_toggle_large, |me| me.with_theme(|t| t.set_large(!t.get_large())));
    on!(on_worker_done, |me| me.drain());
    on!(on_text_clipped, |me, text: slint::SharedString, clipped: bool| {
        let mut counts = me.clipped.borrow_mut();
        let count = counts.entry(text.to_string()).or_default();
        // Never below zero: a recount forgets reports whose "fits again" comes later.
        *count = if clipped { *count + 1 } else { (*count - 1).max(0) };
    });
}
