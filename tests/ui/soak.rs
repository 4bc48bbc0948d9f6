//! Soak runs (`scripts/soak.sh`, ignored in the suite): whole visits by pointer presses on
//! the testing backend with mock time, as `journey.rs` does one, thousands of times.
//! - `soak_visits`: one kiosk, as on the appliance, `GUICHET_SOAK_VISITS` visits (10,000);
//! - `soak_kiosks`: a new kiosk for each visit, as the suite's checks make one each,
//!   `GUICHET_SOAK_KIOSKS` (300).
//!
//! Each samples memory, open files, threads and the time of a visit (`common::soak`), and
//! fails if they do not level off.

use crate::common::soak::{count, Curve};
use crate::common::{rig, Rig, POLICY};
use guichet::core::queue::Action;
use guichet::store::Change;
use guichet::ui::{KioskApi, Screen};
use i_slint_backend_testing::mock_elapsed_time;
use libtest_mimic::Failed;
use slint::ComponentHandle;
use std::time::Duration;

pub const SOAKS: &[(&str, crate::Check)] = &[("soak_visits", visits), ("soak_kiosks", kiosks)];

/// How many samples a run's curve has.
const SAMPLES: usize = 40;

/// One visit in French, the `n`th: a theme and procedure in turn, the ticket, then the
/// ticket screen's time running out back to the welcome screen.
fn visit(r: &Rig, n: usize) -> Result<(), Failed> {
    let api = r.app().global::<KioskApi>();
    crate::ensure!(api.get_screen() == Screen::Attract, "visit {n} starts on {:?}", api.get_screen());
    let theme = &r.catalogue.themes[n % r.catalogue.themes.len()];
    let procedure = &theme.procedures[n / r.catalogue.themes.len() % theme.procedures.len()];
    r.tap("Commencer");
    r.tap("Français");
    r.tap(&theme.title);
    r.tap(&procedure.title);
    r.tap(&r.catalogue.have[n % r.catalogue.have.len()].label);
    r.tap("Continuer");
    r.tap(&r.catalogue.priority[n % 3].label);
    r.tap("Prendre mon ticket");
    r.pump_until("the ticket screen", |r| r.app().global::<KioskApi>().get_screen() == Screen::Ticket);
    mock_elapsed_time(Duration::ZERO);
    for _ in 0..=POLICY.ticket_timeout {
        mock_elapsed_time(Duration::from_secs(1));
    }
    r.pump();
    crate::ensure!(api.get_screen() == Screen::Attract, "visit {n} ends on {:?}", api.get_screen());
    // The recording speaker keeps every utterance for the checks: not the kiosk's memory.
    r.transcript.clear();
    Ok(())
}

/// A desk serves the visitor (the store thread, as the console would), so the day's
/// open tickets stay as many as in an office rather than piling up to thousands.
fn serve(r: &Rig) -> Result<(), Failed> {
    let called = r.store.call_next("Bureau 1".into(), None).wait()?;
    r.store.act(called.id, Change::new(Action::Finish)).wait()?;
    Ok(())
}

fn visits() -> Result<(), Failed> {
    let total = count("VISITS", 10_000);
    let r = rig();
    let mut curve = Curve::new("visits");
    curve.sample(0);
    for n in 0..total {
        visit(&r, n)?;
        serve(&r)?;
        if (n + 1) % (total / SAMPLES).max(1) == 0 {
            curve.sample(n + 1);
        }
    }
    Ok(curve.levelled()?)
}

fn kiosks() -> Result<(), Failed> {
    let total = count("KIOSKS", 300);
    let mut curve = Curve::new("kiosks");
    curve.sample(0);
    for n in 0..total {
        let r = rig();
        visit(&r, n)?;
        drop(r);
        if (n + 1) % (total / SAMPLES).max(1) == 0 {
            curve.sample(n + 1);
        }
    }
    Ok(curve.levelled()?)
}
