//! The build's date, for `guichet doctor`. The UI is compiled by its own crate (`ui/`).

fn main() {
    // `guichet doctor` calls a clock before this moment wrong (the Pi has no clock battery).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    println!("cargo:rustc-env=GUICHET_BUILT_AT={now}");
    // Run again only when this file changes: a date a little old is still a lower bound,
    // and editing a document must not rebuild the crate.
    println!("cargo:rerun-if-changed=build.rs");
}
