//! Speed on record: `cargo bench --bench speed` prints one table of the budgets in
//! DESIGN.md, each figure measured in this run beside its budget, and the same figures for
//! Debian's Chromium showing the same welcome screen, with the ratios. Sections can be
//! chosen: `cargo bench --bench speed -- kiosk appliance` (kiosk, appliance, console,
//! board, report, site, network). `--out FILE` also writes the table as Markdown (docs/PERFORMANCE.md
//! keeps the last one).

mod appliance;
mod board;
mod console;
mod http;
mod kiosk;
mod network;
mod procs;
mod report;
mod site;
mod table;
// The tests' virtual X display and children reaped on drop.
#[allow(dead_code)]
#[path = "../../tests/integration/x11.rs"]
mod x11;

use table::Table;

type Section = (&'static str, fn(&mut Table));

const SECTIONS: [Section; 7] = [
    ("kiosk", kiosk::run),
    ("appliance", appliance::run),
    ("console", console::run),
    ("board", board::run),
    ("report", report::run),
    ("site", site::run),
    ("network", network::run),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let out = args.iter().position(|a| a == "--out").and_then(|i| args.get(i + 1)).cloned();
    let chosen: Vec<&String> = args.iter().filter(|a| !a.starts_with("--") && Some(*a) != out.as_ref()).collect();
    let mut t = Table::default();
    for (name, run) in SECTIONS {
        if chosen.is_empty() || chosen.iter().any(|c| *c == name) {
            println!("== {name}");
            run(&mut t);
        }
    }
    let markdown = t.markdown();
    println!("\n{markdown}\n{} figure(s) over budget", t.over());
    if let Some(path) = out {
        if let Err(e) = std::fs::write(&path, &markdown) {
            eprintln!("cannot write {path}: {e}");
        }
    }
}
