//! An independent look at the pixels, in case the widget checks miss a text: on every
//! reference display and print size, in French, Arabic and Ukrainian, every screen is
//! rendered to PNG by the real binary and its outer band (1 mm wide, inside the 3 mm
//! margin every layout keeps) must be empty: nothing drawn runs to the screen's edge.
//! The widget checks (`tests/ui/pages.rs`) say what is cut; this says what shows.

use crate::common::capture::{read_png, Capture};
use crate::common::displays::{SCREENS, SIZES};

/// Pixels of the outer band that are not the background (the corner pixel), by more
/// than a rounding step.
fn ink_at_edges(c: &Capture, band: u32) -> usize {
    let background = c.pixels[0];
    let mut ink = 0;
    for y in 0..c.height {
        for x in 0..c.width {
            let edge = x < band || y < band || x >= c.width - band || y >= c.height - band;
            let p = c.pixels[(y * c.width + x) as usize];
            if edge && p.iter().zip(background).any(|(a, b)| a.abs_diff(b) > 24) {
                ink += 1;
            }
        }
    }
    ink
}

#[test]
fn nothing_drawn_reaches_the_screen_edge_on_any_reference_display() {
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    for (d, large) in SIZES {
        // Speech off: Repeat's place says "Sans son", and the welcome screen and Help
        // carry the sentence that says why (their longest tops).
        let config = d.write_config(dir.path(), false);
        let band = d.config().px_per_mm_across().min(d.config().px_per_mm_down()).floor() as u32;
        for lang in ["fr", "ar", "uk"] {
            jobs.push((d.name, d.size_arg(), config.clone(), band, large, lang));
        }
    }
    // Two workers: the machines that run the suite have two cores.
    let data = dir.path().to_path_buf();
    let chunks: Vec<Vec<_>> = (0..2).map(|k| jobs.iter().skip(k).step_by(2).cloned().collect()).collect();
    let found: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = chunks
            .into_iter()
            .enumerate()
            .map(|(k, chunk)| {
                let data = data.join(format!("worker-{k}"));
                s.spawn(move || {
                    std::fs::create_dir_all(&data).unwrap();
                    let mut found = Vec::new();
                    for (name, size, config, band, large, lang) in chunk {
                        for screen in SCREENS {
                            let out = data.join(format!("{name}-{lang}-{large}-{screen}.png"));
                            let mut args = vec!["--screen", screen, "--lang", lang];
                            if large {
                                args.push("--large");
                            }
                            let mut all = vec!["--size", size.as_str()];
                            all.extend(&args);
                            crate::shots::screenshot(&data, Some(&config), &all, &out);
                            let ink = ink_at_edges(&read_png(&out), band);
                            if ink > 0 {
                                let print = if large { "large" } else { "normal" };
                                found.push(format!("{name} {print} {lang} {screen}: {ink} px at the edge"));
                            }
                        }
                    }
                    found
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    assert!(found.is_empty(), "drawn at the screen's edge:\n{}", found.join("\n"));
}

/// What zbarimg reads in a PNG (one line per code found; none: empty).
fn codes_in(png: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png)
        .output()
        .expect("zbarimg is needed (package zbar-tools; scripts/setup-debian.sh installs it)");
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// The ticket of an office that offers "Suivre mon tour" shows two codes, the staff's
/// and the visitor's: on every reference display and print size (and mirrored in Arabic),
/// a real decoder reads both from the rendered pixels, on the same page (on the first 7"
/// panel in large print, on two pages one after the other: tests/ui/ticket.rs holds them
/// at 30 mm there), and nothing is cut. `guichet screenshot` draws each page of the ticket.
#[test]
fn both_ticket_codes_scan_on_every_reference_display() {
    let dir = tempfile::tempdir().unwrap();
    let mut wrong = Vec::new();
    for (i, (d, large)) in SIZES.into_iter().enumerate() {
        let config = d.write_config(dir.path(), true);
        let mut toml = std::fs::read_to_string(&config).unwrap();
        toml.push_str("[follow]\nenabled = true\npublic_url = \"http://192.168.1.10:8081\"\n");
        let config = dir.path().join(format!("follow-{i}.toml"));
        std::fs::write(&config, toml).unwrap();
        for lang in if i == 0 { vec!["fr", "ar"] } else { vec!["fr"] } {
            let print = if large { "large" } else { "normal" };
            let out = dir.path().join(format!("ticket-{i}-{lang}.png"));
            let size = d.size_arg();
            let mut args = vec!["--size", size.as_str(), "--screen", "ticket", "--lang", lang];
            if large {
                args.push("--large");
            }
            let said = crate::shots::screenshot(&dir.path().join("data"), Some(&config), &args, &out);
            if said.contains("cut:") {
                wrong.push(format!("{} {print} {lang}: {said}", d.name));
            }
            let mut pages = vec![out.clone()];
            pages.extend(said.lines().filter_map(|l| l.strip_prefix("page ")?.split_once(": ").map(|(_, p)| p.into())));
            let found: Vec<Vec<String>> = pages.iter().map(|p| codes_in(p)).collect();
            let desk = |codes: &Vec<String>| codes.iter().any(|c| c.starts_with("http://127.0.0.1:8080/t/"));
            let own = |codes: &Vec<String>| codes.iter().any(|c| c.starts_with("http://192.168.1.10:8081/"));
            let together = found.iter().any(|codes| codes.len() == 2 && desk(codes) && own(codes));
            // The first 7" panel in large print has 54 mm a page: two codes of 30 mm, the
            // least a phone reads at arm's length, do not stand there with their captions,
            // so each has a page of its own, the staff's first, one after the other. The
            // 7" portrait panel's 85 mm do not hold two cards side by side in large print.
            let one_a_page = (d.low() || d.narrow())
                && large
                && found.windows(2).any(|w| w[0].len() == 1 && desk(&w[0]) && w[1].len() == 1 && own(&w[1]));
            if !together && !one_a_page {
                wrong.push(format!("{} {print} {lang}: codes read page by page: {found:?}", d.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
