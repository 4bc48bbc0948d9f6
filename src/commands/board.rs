//! `guichet board`: the waiting-room board as a full-screen window, reading the calls from
//! this data directory's database (the kiosk's, on the same Pi) or following a kiosk over
//! the network (`--follow`, a second Pi), and saying them through espeak-ng. And its
//! screenshot.

use super::Site;
use crate::board::remote;
use crate::board::window::{self, Calls, Shown};
use crate::cli::{parse_size, ScreenshotArgs};
use crate::core::lang::Lang;
use crate::kiosk::headless;
use crate::store::BoardCall;
use crate::ui::BoardWindow;
use anyhow::{anyhow, bail, Context};
use slint::ComponentHandle;

/// `follow`: a kiosk's board address (and its certificate's `fingerprint`), or `None` for
/// this data directory's calls.
pub fn board(site: &Site, silent: bool, follow: Option<&str>, fingerprint: Option<&str>) -> anyhow::Result<()> {
    let sound = if silent { "shown without sound" } else { "shown and said through espeak-ng" };
    let calls = match follow {
        Some(url) => {
            let source = remote::Source::parse(url, fingerprint).map_err(|e| anyhow!("--follow: {e}"))?;
            println!("board: calls of {} {sound}", source.shown);
            Calls::Remote(source)
        }
        None => {
            let store = site.store()?;
            println!("board: calls of {} {sound}", store.path().display());
            Calls::Local(store.reader())
        }
    };
    window::run(&site.config.site_name, calls, silent)
}

/// `guichet screenshot --screen board`: the board with three example calls.
pub fn screenshot_board(site: &Site, args: &ScreenshotArgs) -> anyhow::Result<()> {
    let (width, height) =
        parse_size(&args.size).ok_or_else(|| anyhow!("--size {} is not WIDTHxHEIGHT, e.g. 1920x1080", args.size))?;
    let pixels = headless::install(width, height)?;
    let board = BoardWindow::new()?;
    board.set_site(site.config.site_name.as_str().into());
    let example = |id: i64, number: &str, desk: &str| BoardCall {
        id,
        at: 0,
        number: number.into(),
        desk: desk.into(),
        lang: Lang::Fr,
    };
    let calls =
        [example(1, "A-012", "Bureau 1"), example(2, "C-004", "Salle Marianne"), example(3, "A-013", "Bureau 2")];
    window::display(&board, &Shown::from_calls(&calls));
    board.show()?;
    let frame = headless::render(&pixels);
    if frame.pixels.is_empty() {
        bail!("nothing was rendered");
    }
    headless::save_png(&frame, &args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("{}", args.out.display());
    Ok(())
}
