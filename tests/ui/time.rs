//! Timing (EN 301 549 11.2.2.1 / WCAG 2.2.1): a visible and spoken warning at least 20 s
//! before the reset, "more time" at least ten times, and a reset that wipes the visit.

use crate::common::{rig, POLICY};
use crate::screens::show;
use crate::{ensure, Check};
use guichet::core::lang::Lang;
use guichet::ui::{KioskApi, Screen, Theme};
use i_slint_backend_testing::mock_elapsed_time;
use libtest_mimic::Failed;
use slint::ComponentHandle;
use std::time::Duration;

pub const CHECKS: &[(&str, Check)] = &[
    ("11_2_2_1_warning_is_shown_and_spoken_20_s_before_reset", warning_before_reset),
    ("11_2_2_1_more_time_extends_at_least_ten_times", extends_ten_times),
    ("reset_wipes_everything_for_the_next_visitor", reset_wipes),
];

fn seconds(r: &crate::common::Rig, n: u32) {
    for _ in 0..n {
        mock_elapsed_time(Duration::from_secs(1));
    }
    r.pump();
}

fn warning_before_reset() -> Result<(), Failed> {
    let r = rig();
    show(&r, "have", Lang::En);
    let api = r.app().global::<KioskApi>();
    seconds(&r, POLICY.timeout - POLICY.warning - 1);
    ensure!(api.get_warning_seconds() < 0, "warned too early");
    seconds(&r, 1);
    let left = api.get_warning_seconds();
    ensure!(left >= 20, "warning with only {left} s left");
    ensure!(
        r.heard(&crate::common::ui_tr(Lang::En, "Êtes-vous toujours là ?")),
        "warning not spoken: {:?}",
        r.transcript.said()
    );
    ensure!(!r.find(&crate::common::ui_tr(Lang::En, "Plus de temps")).is_empty(), "no more-time button");
    seconds(&r, POLICY.warning);
    ensure!(api.get_screen() == Screen::Attract, "not reset after the warning");
    Ok(())
}

fn extends_ten_times() -> Result<(), Failed> {
    let r = rig();
    show(&r, "theme", Lang::Fr);
    let api = r.app().global::<KioskApi>();
    for n in 1..=12 {
        seconds(&r, POLICY.timeout - POLICY.warning + 1);
        ensure!(api.get_warning_seconds() >= 0, "extension {n}: no warning");
        r.tap("Plus de temps");
        ensure!(api.get_warning_seconds() < 0 && api.get_screen() == Screen::Theme, "extension {n} refused");
    }
    Ok(())
}

fn reset_wipes() -> Result<(), Failed> {
    let r = rig();
    show(&r, "ticket", Lang::Uk);
    let api = r.app().global::<KioskApi>();
    r.app().global::<Theme>().set_contrast(true);
    r.app().global::<Theme>().set_large(true);
    ensure!(!api.get_ticket_number().is_empty(), "no ticket shown");
    seconds(&r, POLICY.ticket_timeout + 1);
    ensure!(api.get_screen() == Screen::Attract, "still on {:?}", api.get_screen());
    ensure!(api.get_ticket_number().is_empty() && api.get_documents_spoken().is_empty(), "ticket left on screen");
    ensure!(api.get_lang() == "fr", "language left as {}", api.get_lang());
    let theme = r.app().global::<Theme>();
    ensure!(!theme.get_contrast() && !theme.get_large() && !theme.get_rtl(), "display settings kept");
    ensure!(!api.get_speech_first() && !api.get_settings_open() && !api.get_help_open(), "modes kept");
    Ok(())
}
