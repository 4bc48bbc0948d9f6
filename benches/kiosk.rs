//! Performance budgets of DESIGN.md, measured (not asserted): `cargo bench --bench kiosk`.
//! Render per screen (software renderer, 1280×800 and 720×1280, normal and large print,
//! the settings panel over a screen too), ticket issue (durable
//! commit + QR + print bytes), speech hand-off after a screen appears, idle RSS.

use guichet::core::journey::{Event, Screen, TicketRequest};
use guichet::core::lang::Lang;
use guichet::kiosk::ticket::{self, IssueContext};
use guichet::kiosk::{headless, Kiosk, KioskServices};
use guichet::speech::{Heard, Transcript};
use guichet::store::Store;
use guichet::ui::{KioskApi, Theme};
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!("median {:.2} ms, p99 {:.2} ms, max {:.2} ms (n={})", ms(p(0.5)), ms(p(0.99)), ms(v[v.len() - 1]), v.len())
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
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

    println!("== render, software renderer (full frame)");
    let render_30 = || {
        let _ = headless::render(&window);
        let times: Vec<Duration> = (0..30)
            .map(|_| {
                let t = Instant::now();
                let _ = headless::render(&window);
                t.elapsed()
            })
            .collect();
        stats(times)
    };
    // (set after each screen: a new visit resets the display settings)
    let set_large = |large: bool| kiosk.window().global::<Theme>().set_large(large);
    for large in [false, true] {
        let print = if large { "large" } else { "normal" };
        for (w, h) in [(1280u32, 800u32), (720, 1280)] {
            window.set_size(slint::PhysicalSize::new(w, h));
            for screen in Screen::ALL {
                if screen == Screen::Ticket {
                    kiosk.show(Screen::Summary, Lang::Fr);
                    let _ = kiosk.issue_now(&store, &ctx);
                } else {
                    kiosk.show(screen, Lang::Fr);
                }
                set_large(large);
                println!("{w}x{h} {print:<6} {:<10} {}", screen.name(), render_30());
            }
            kiosk.show(Screen::Theme, Lang::Fr);
            set_large(large);
            kiosk.window().global::<KioskApi>().set_settings_open(true);
            println!("{w}x{h} {print:<6} {:<10} {}", "settings", render_30());
            kiosk.window().global::<KioskApi>().set_settings_open(false);
        }
    }
    set_large(false);

    println!("== speech hand-off: screen shown → text handed to the engine");
    window.set_size(slint::PhysicalSize::new(1280, 800));
    let mut handoff = Vec::new();
    for i in 0..40 {
        let screen = [Screen::Theme, Screen::Have][i % 2];
        transcript.clear();
        let t = Instant::now();
        kiosk.show(screen, Lang::Fr);
        let _ = headless::render(&window);
        if transcript.wait_for(Duration::from_secs(1), |h| h.iter().any(|e| matches!(e, Heard::Said { .. }))) {
            if let Some((_, at)) = transcript.timed().into_iter().find(|(h, _)| matches!(h, Heard::Said { .. })) {
                handoff.push(at.duration_since(t));
            }
        }
    }
    println!("{}", stats(handoff));

    println!("== ticket issue: durable commit + QR + ESC/POS bytes");
    let req = TicketRequest {
        theme: "papiers".into(),
        procedure: catalogue.themes[0].procedures[0].id.clone(),
        queue: 'A',
        lang: Lang::Fr,
        have: vec!["email".into()],
        priority: None,
    };
    let mut issue = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        let (issued, view) = ticket::issue(&store, &catalogue, &ctx, &req).expect("issue");
        let paper = ticket::paper(&catalogue, &ctx, &req, &view, issued.issued_at);
        std::hint::black_box(guichet::hardware::escpos::receipt(&paper, &Default::default()));
        issue.push(t.elapsed());
    }
    println!("{}", stats(issue));

    kiosk.handle(Event::Finish);
    let _ = headless::render(&window);
    println!("== idle RSS after the benchmarks: {} KiB", rss_kib());
}
