//! `guichet screenshot`: any screen to PNG, headless, with a real ticket for the ticket
//! screen (its QR opens that ticket on the console of this data directory).

use super::Site;
use crate::cli::{parse_size, Palette, ScreenshotArgs};
use crate::core::journey::{Event, Screen};
use crate::core::lang::Lang;
use crate::kiosk::{headless, Kiosk, KioskServices};
use crate::speech::Transcript;
use crate::ui::{KioskApi, Theme};
use anyhow::{anyhow, bail, Context};
use slint::ComponentHandle;
use std::time::Instant;

pub fn screenshot(site: &Site, args: &ScreenshotArgs, started: Instant) -> anyhow::Result<()> {
    if args.screen == "board" {
        return super::board::screenshot_board(site, args);
    }
    let (width, height) =
        parse_size(&args.size).ok_or_else(|| anyhow!("--size {} is not WIDTHxHEIGHT, e.g. 1280x800", args.size))?;
    let lang = Lang::from_code(&args.lang)
        .ok_or_else(|| anyhow!("--lang {} is unknown: use one of fr en ar es pt tr uk ro", args.lang))?;
    let overlay = ["help", "settings", "warning"].contains(&args.screen.as_str());
    let screen = if args.screen == "staff" {
        Screen::Attract
    } else if args.screen == "summary-failed" {
        Screen::Summary
    } else if overlay {
        Screen::Theme
    } else {
        Screen::from_name(&args.screen).ok_or_else(|| anyhow!("--screen {} is unknown: use attract, language, theme, procedure, have, priority, summary, summary-failed, ticket, help, settings, warning, staff or board", args.screen))?
    };
    let window = headless::install(width, height)?;
    // The ticket carries its "Suivre mon tour" code when the site offers the page (its
    // server is not started: the code is only drawn).
    let issue = crate::kiosk::ticket::IssueContext { follow_base: site.follow_base(), ..site.issue_context() };
    let store = site.store()?;
    let catalogue = site.catalogue()?;
    let transcript = Transcript::default();
    let kiosk = Kiosk::new(KioskServices {
        store: store.clone(),
        catalogue,
        speaker: crate::speech::recording(transcript.clone()),
        printer: None,
        issue: issue.clone(),
        idle: site.config.idle.policy(),
        px_per_mm: screenshot_px_per_mm(site, width, height),
        health: Default::default(),
    })?;
    let app = kiosk.window();
    app.global::<Theme>().set_contrast(args.theme == Palette::Contrast);
    app.global::<Theme>().set_large(args.large);
    // What the kiosk of this configuration shows: the text-only notice when speech is off.
    app.global::<KioskApi>().set_speech_available(site.config.speech.enabled);
    app.global::<KioskApi>().set_keys_in_use(args.keys);
    let show = |screen| match &args.procedure {
        Some(id) if !kiosk.show_procedure(screen, lang, id) => {
            bail!("--procedure {id} is not in the catalogue: use the id of one of its [[procedure]]")
        }
        Some(_) => Ok(()),
        None => {
            kiosk.show(screen, lang);
            Ok(())
        }
    };
    show(screen)?;
    let mut commit = None;
    if screen == Screen::Ticket {
        show(Screen::Summary)?;
        let t = Instant::now();
        let view = kiosk.issue_now(&store, &issue).context("cannot issue the demo ticket")?;
        commit = Some(t.elapsed());
        println!("ticket {} → {}", view.number, view.url);
    }
    match args.screen.as_str() {
        "summary-failed" => kiosk.show_failed_ticket(),
        "help" => app.global::<KioskApi>().invoke_help(true),
        "settings" => app.global::<KioskApi>().invoke_settings(true),
        "staff" => {
            kiosk.set_console(Some(&console_info(site)));
            app.global::<KioskApi>().invoke_staff(true);
        }
        "warning" => {
            let policy = site.config.idle.policy();
            for _ in 0..policy.timeout - policy.warning {
                kiosk.handle(Event::Tick);
            }
        }
        _ => {}
    }
    app.show()?;
    kiosk.recount_clipped();
    let t = Instant::now();
    let frame = headless::render(&window);
    let render = t.elapsed();
    let first_frame = started.elapsed();
    if frame.pixels.is_empty() {
        bail!("nothing was rendered");
    }
    headless::save_png(&frame, &args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    if screen == Screen::Ticket {
        save_later_pages(app, &window, frame, &args.out)?;
    }
    kiosk.process_worker_results();
    if args.measure {
        println!("start to first frame: {:.1} ms", first_frame.as_secs_f64() * 1e3);
        println!("render {}x{}: {:.2} ms", width, height, render.as_secs_f64() * 1e3);
        if let Some(c) = commit {
            println!("ticket issue (commit + QR): {:.2} ms", c.as_secs_f64() * 1e3);
        }
    }
    // Text that does not fit its box (what the accessibility tests fail on).
    for text in kiosk.clipped_texts() {
        println!("cut: {text}");
    }
    // What the screen says reaches the transcript from the speech thread: wait for it,
    // not longer.
    let said = |h: &[crate::speech::Heard]| h.iter().any(|e| matches!(e, crate::speech::Heard::Said { .. }));
    transcript.wait_for(std::time::Duration::from_millis(500), said);
    for text in transcript.said() {
        println!("spoken: {text}");
    }
    Ok(())
}

/// The display's pixels a millimetre: guichet.toml's `[display]`, else the official
/// panel of that size (`--size 800x480` is the first 7" Touch Display, 154×86 mm), else
/// the default 10.1" panel's.
fn screenshot_px_per_mm(site: &Site, width: u32, height: u32) -> f32 {
    let known = crate::hardware::display::panel_of_mode(width, height);
    match known {
        Some((width_mm, height_mm, _)) if !site.config.display_given => {
            crate::config::Display { width_px: width, height_px: height, width_mm, height_mm, ..Default::default() }
                .px_per_mm()
        }
        _ => site.config.display.px_per_mm(),
    }
}

/// A ticket on several pages: each further page beside the first one's file, as
/// `NAME-2.png`, `NAME-3.png`… (a page past the last draws the last again: the end).
fn save_later_pages(
    app: &crate::ui::AppWindow,
    window: &slint::platform::software_renderer::MinimalSoftwareWindow,
    first: headless::Frame,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let api = app.global::<KioskApi>();
    let stem = out.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let mut last = first;
    for page in 1..12 {
        api.set_ticket_page(page);
        let frame = headless::render(window);
        if frame.pixels == last.pixels {
            break;
        }
        let path = out.with_file_name(format!("{stem}-{}.png", page + 1));
        headless::save_png(&frame, &path).with_context(|| format!("cannot write {}", path.display()))?;
        println!("page {}: {}", page + 1, path.display());
        last = frame;
    }
    api.set_ticket_page(0);
    Ok(())
}

/// The console as the kiosk of this data directory would show it on its staff panel.
fn console_info(site: &Site) -> crate::kiosk::staff::ConsoleInfo {
    // A screenshot never makes the kiosk's certificate: the site's, or the one the kiosk
    // already made, or none shown.
    let c = &site.config.console;
    let exists = c.cert.is_some() || site.data_dir.join(crate::staff::tls::SELF_CERT).exists();
    crate::kiosk::staff::ConsoleInfo {
        address: c.public_url.clone(),
        fingerprint: if c.serves_https() && exists { site.tls_identity().ok().map(|id| id.fingerprint) } else { None },
    }
}
