//! The kiosk in this process, on the headless software renderer: frame time per screen
//! (1280×800 and 720×1280, normal and large print, the settings panel over a screen too),
//! ticket issue (durable commit on a real file with synchronous=FULL + QR + print bytes),
//! speech hand-off after a screen appears, and the frames an idle attract screen draws.

use guichet::core::journey::{Event, Screen, TicketRequest};
use guichet::core::lang::Lang;
use guichet::kiosk::ticket::{self, IssueContext};
use guichet::kiosk::{headless, Kiosk, KioskServices};
use guichet::speech::{Heard, Transcript};
use guichet::store::Store;
use guichet::ui::{KioskApi, Theme};
use slint::platform::software_renderer::MinimalSoftwareWindow;
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::table::{ms, p50_p99, quantile, Table};

pub fn run(t: &mut Table) {
    let dir = tempfile::tempdir().expect("temp dir");
    guichet::kiosk::fonts::install();
    let window = headless::install(1280, 800).expect("headless platform");
    let store = Store::open(&dir.path().join("bench.sqlite")).expect("store");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("catalogue"));
    let ctx = IssueContext {
        site_name: "Bench".into(),
        public_url: "http://192.168.1.20:8080".into(),
        minutes_per_visit: 15,
        desks: 2,
        follow_base: Some("http://192.168.1.20:8081".into()),
    };
    let transcript = Transcript::default();
    let kiosk = Kiosk::new(KioskServices {
        store: store.clone(),
        catalogue: catalogue.clone(),
        speaker: guichet::speech::recording(transcript.clone()),
        printer: None,
        issue: ctx.clone(),
        idle: Default::default(),
        px_per_mm: 5.9,
        health: Default::default(),
    })
    .expect("kiosk");
    kiosk.window().show().expect("show");
    frames(t, &kiosk, &window, &store, &ctx);
    idle(t, &kiosk, &window);
    after_rest(t, &kiosk, &window);
    handoff(t, &kiosk, &window, &transcript);
    issue(t, &store, &catalogue, &ctx);
}

/// Median of 30 full-frame renders of the current screen.
fn render_30(window: &MinimalSoftwareWindow) -> Duration {
    let _ = headless::render(window);
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            let _ = headless::render(window);
            t.elapsed()
        })
        .collect();
    quantile(&mut times, 0.5)
}

/// Every screen, and the settings panel over one, at both sizes and print sizes: the
/// slowest screen of each group and the panel, each the median of 30 frames.
fn frames(t: &mut Table, kiosk: &Kiosk, window: &MinimalSoftwareWindow, store: &Store, ctx: &IssueContext) {
    // (set after each screen: a new visit resets the display settings)
    let set_large = |large: bool| kiosk.window().global::<Theme>().set_large(large);
    println!("== frame time per screen (software renderer, median of 30 full frames)");
    for (w, h) in [(1280u32, 800u32), (720, 1280)] {
        for large in [false, true] {
            let print = if large { "large print" } else { "normal print" };
            window.set_size(slint::PhysicalSize::new(w, h));
            let mut slowest = (Duration::ZERO, "");
            for screen in Screen::ALL {
                if screen == Screen::Ticket {
                    kiosk.show(Screen::Summary, Lang::Fr);
                    let _ = kiosk.issue_now(store, ctx);
                } else {
                    kiosk.show(screen, Lang::Fr);
                }
                set_large(large);
                let median = render_30(window);
                println!("{w}x{h} {print:<12} {:<10} {:.2} ms", screen.name(), ms(median));
                slowest = slowest.max((median, screen.name()));
            }
            kiosk.show(Screen::Theme, Lang::Fr);
            set_large(large);
            kiosk.window().global::<KioskApi>().set_settings_open(true);
            let panel = render_30(window);
            kiosk.window().global::<KioskApi>().set_settings_open(false);
            println!("{w}x{h} {print:<12} {:<10} {:.2} ms", "settings", ms(panel));
            let (worst, name) = slowest;
            let what = format!("frame {w}×{h}, {print}: slowest screen");
            t.at_most(what, format!("{:.2} ms ({name})", ms(worst)), ms(worst), 8.0, "≤ 8 ms");
            let what = format!("frame {w}×{h}, {print}: settings panel");
            t.at_most(what, format!("{:.2} ms", ms(panel)), ms(panel), 8.0, "≤ 8 ms");
        }
    }
    set_large(false);
    window.set_size(slint::PhysicalSize::new(1280, 800));
}

/// What a rest costs the next visitor (guichet::kiosk::rest): a touch on the attract
/// screen → the language screen's first frame drawn, after the kiosk handed its clean
/// mappings back (the code the frame runs is mapped again) against without.
fn after_rest(t: &mut Table, kiosk: &Kiosk, window: &MinimalSoftwareWindow) {
    let touch = |rest: bool| {
        let mut times: Vec<Duration> = (0..20)
            .map(|_| {
                kiosk.handle(Event::Finish);
                let _ = headless::render(window);
                if rest {
                    guichet::kiosk::rest::hand_back();
                }
                let began = Instant::now();
                kiosk.handle(Event::Touch);
                let _ = headless::render(window);
                began.elapsed()
            })
            .collect();
        quantile(&mut times, 0.5)
    };
    let warm = touch(false);
    let rested = touch(true);
    let text = format!("{:.2} ms, without a rest {:.2} ms (median of 20)", ms(rested), ms(warm));
    t.track("touch → first frame, just after the kiosk rested", text);
}

/// The attract screen left alone for 10 s with the event loop's work done every 16 ms, as
/// a display's loop would: how many frames it asks to draw (0 when nothing changes).
fn idle(t: &mut Table, kiosk: &Kiosk, window: &MinimalSoftwareWindow) {
    kiosk.handle(Event::Finish);
    let _ = headless::render(window);
    let mut pixels = vec![slint::Rgb8Pixel::default(); 1280 * 800];
    // The frames drawn over `span`, as a display's loop would draw them.
    let mut frames = |span: Duration| {
        let mut drawn = Vec::new();
        let began = Instant::now();
        while began.elapsed() < span {
            slint::platform::update_timers_and_animations();
            if window.draw_if_needed(|r| {
                r.render(&mut pixels, 1280);
            }) {
                drawn.push(began.elapsed());
            }
            std::thread::sleep(Duration::from_millis(16));
        }
        drawn
    };
    // What the change of screen still draws (its last property updates), then idle.
    let settling = frames(Duration::from_secs(1));
    let idle = frames(Duration::from_secs(10));
    println!("frames while the attract screen settles (1 s): {settling:?}; then idle (10 s): {idle:?}");
    let n = idle.len();
    t.at_most("idle attract screen: frames drawn in 10 s", n.to_string(), n as f64, 0.0, "0");
}

fn handoff(t: &mut Table, kiosk: &Kiosk, window: &MinimalSoftwareWindow, transcript: &Transcript) {
    let mut times = Vec::new();
    for i in 0..40 {
        let screen = [Screen::Theme, Screen::Have][i % 2];
        transcript.clear();
        let began = Instant::now();
        kiosk.show(screen, Lang::Fr);
        let _ = headless::render(window);
        if transcript.wait_for(Duration::from_secs(1), |h| h.iter().any(|e| matches!(e, Heard::Said { .. }))) {
            if let Some((_, at)) = transcript.timed().into_iter().find(|(h, _)| matches!(h, Heard::Said { .. })) {
                times.push(at.duration_since(began));
            }
        }
    }
    let (text, _) = p50_p99(times);
    t.track("screen shown → its words handed to speech", text);
}

fn issue(t: &mut Table, store: &Store, catalogue: &guichet::core::catalogue::Catalogue, ctx: &IssueContext) {
    // French: code-page text only; Arabic: the visitor's words shaped and drawn as dots too.
    for (lang, what) in [(Lang::Fr, "paper"), (Lang::Ar, "paper in Arabic and French")] {
        let req = TicketRequest {
            theme: "papiers".into(),
            procedure: catalogue.themes[0].procedures[0].id.clone(),
            queue: 'A',
            lang,
            have: vec!["email".into()],
            priority: None,
        };
        let mut times = Vec::new();
        for _ in 0..300 {
            let began = Instant::now();
            let (issued, view) = ticket::issue(store, catalogue, ctx, &req).expect("issue");
            let paper = ticket::paper(catalogue, ctx, &req, &view, issued.issued_at);
            std::hint::black_box(guichet::hardware::escpos::receipt(&paper, &Default::default()));
            times.push(began.elapsed());
        }
        let (text, p99) = p50_p99(times);
        let name = format!("ticket issue: commit (FULL, real file) + QR + {what}");
        t.at_most(name, text, p99, 20.0, "p99 ≤ 20 ms");
    }
}
