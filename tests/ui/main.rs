//! The EN 301 549 V3.2.1 closed-functionality checklist, one named test per requirement
//! that can be automated. All run on the main thread against one Slint testing backend
//! (libtest-mimic harness): `cargo test --test ui -- --list` shows them.

mod catalogue;
#[path = "../common/mod.rs"]
mod common;
mod edges;
mod help;
mod journey;
mod keys;
mod languages;
mod pages;
mod paging;
mod plurals;
mod screens;
mod sight;
mod soak;
mod sound;
mod stable;
mod staff;
mod ticket;
mod time;
mod tools;

use libtest_mimic::{Arguments, Failed, Trial};

pub type Check = fn() -> Result<(), Failed>;

/// Fails with a message, like `assert!` but as a value.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        if !$cond {
            return Err(format!($($msg)+).into());
        }
    };
}

fn main() {
    guichet::kiosk::fonts::install();
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let mut args = Arguments::from_args();
    args.test_threads = Some(1);
    let checks: Vec<(&str, Check)> = [
        journey::CHECKS,
        catalogue::CHECKS,
        keys::CHECKS,
        languages::CHECKS,
        help::CHECKS,
        sound::CHECKS,
        sight::CHECKS,
        pages::CHECKS,
        edges::CHECKS,
        paging::CHECKS,
        plurals::CHECKS,
        stable::CHECKS,
        staff::CHECKS,
        ticket::CHECKS,
        time::CHECKS,
        tools::CHECKS,
    ]
    .concat();
    let mut trials: Vec<Trial> = checks.into_iter().map(|(name, check)| Trial::test(name, check)).collect();
    // The soak runs: only when asked for (`scripts/soak.sh`).
    trials.extend(soak::SOAKS.iter().map(|&(name, check)| Trial::test(name, check).with_ignored_flag(true)));
    libtest_mimic::run(&args, trials).exit();
}
