//! Command line: one binary, one subcommand per job. `--data-dir` (or GUICHET_DATA_DIR)
//! picks the data directory for every subcommand.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "guichet",
    version,
    about = "Speaking, large-print queue kiosk for public help points, with a LAN staff console"
)]
pub struct Cli {
    /// Data directory: database, simulated printer output, guichet.toml.
    #[arg(long, global = true, env = "GUICHET_DATA_DIR", default_value = "guichet-data")]
    pub data_dir: PathBuf,
    /// Configuration file [default: <data-dir>/guichet.toml; missing file = demo defaults].
    #[arg(long, global = true, env = "GUICHET_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the kiosk (touch UI) with the staff console in the same process.
    Kiosk {
        /// Do not start the staff console.
        #[arg(long)]
        no_console: bool,
    },
    /// Run the staff console alone.
    Serve {
        /// Address and port to listen on [default: console.bind from the config].
        #[arg(long)]
        bind: Option<String>,
    },
    /// Show the waiting-room board full screen (a TV, the Pi's second screen): each call
    /// shown and said in French and in the visitor's language, in order.
    Board {
        /// No sound: each call is only shown (4 s before the next).
        #[arg(long)]
        silent: bool,
        /// Follow a kiosk elsewhere on the network (a second Pi by the TV): its board
        /// address, as the console's page "Tableau d'appel" gives it (https://…/board?key=…).
        /// Without it, the calls are read from this data directory's database.
        #[arg(long, env = "GUICHET_BOARD_URL", value_name = "URL")]
        follow: Option<String>,
        /// That kiosk's certificate fingerprint (SHA-256, AB:CD:…), as its `guichet doctor`
        /// and its staff panel show it: the board trusts that certificate and no other.
        #[arg(long, env = "GUICHET_BOARD_FINGERPRINT", value_name = "SHA256")]
        fingerprint: Option<String>,
    },
    /// Render one kiosk screen to PNG without a display (realistic demo data).
    Screenshot(ScreenshotArgs),
    /// Check guichet.toml and the catalogue; exit non-zero with file:line: fix on mistakes.
    CheckConfig,
    /// Check every part of the kiosk: PASS / WARN / FAIL lines, non-zero exit on a FAIL.
    Doctor {
        /// One JSON array of {status, part, detail}, for scripts.
        #[arg(long)]
        json: bool,
        /// Ask for each configured key to be pressed (10 s each).
        #[arg(long)]
        keys: bool,
        /// Do not say the test phrase.
        #[arg(long)]
        quiet: bool,
    },
    /// Copy the database, while the kiosk runs, to a file (a USB stick, for example).
    Backup {
        /// Where to write the copy, e.g. /media/usb/guichet-20261202.sqlite
        file: PathBuf,
    },
    /// Print a test receipt on the configured printer: its state before, the receipt,
    /// its state after; exit non-zero if the receipt did not come out.
    PrintTest,
    /// The activity report (anonymous figures) for a span of service days, on stdout.
    Report {
        /// First day, e.g. 2026-11-01 [default: the first of the month of --to].
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day [default: today].
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
        format: ReportFormat,
        /// Send this site's finished days to the network's database ([network]) now, those
        /// it has not had yet (the kiosk does it every hour).
        #[arg(long, conflicts_with_all = ["network", "from", "to"])]
        send: bool,
        /// The report across every site of the network ([network]): by default this year
        /// up to yesterday.
        #[arg(long)]
        network: bool,
    },
    /// Apply the retention rules now (the kiosk and the console also do it daily): wipe
    /// visitor-level details older than [retention] details_days, keeping the counts,
    /// and audit entries older than [console] audit_days.
    Purge,
    /// Manage staff console accounts.
    Staff {
        #[command(subcommand)]
        action: StaffAction,
    },
    /// Make the tables of the site's database ([site] database, with the database
    /// owner's settings: kiosks' own roles may not make tables), or check they are current.
    SiteInit,
    /// Make the certificates of a site server (docs/SITE.md): the site's authority
    /// (site-ca.crt, every kiosk's [site] ca_file) and the server's certificate and key
    /// for PostgreSQL (site-server.crt, site-server.key), in --out.
    /// A throwaway PostgreSQL from Debian's packages in --dir, to try a site on one machine
    /// (scripts/demo.sh --site): prints the `[site] database` line, keeps serving until
    /// stopped (Ctrl-C, SIGTERM), then removes the folder. Not for a real site (docs/SITE.md).
    SiteDemoServer {
        #[arg(long)]
        dir: PathBuf,
    },
    SiteCert {
        /// The names kiosks reach the server by: its address(es) on the office network.
        #[arg(long = "address", required = true)]
        addresses: Vec<String>,
        /// The folder to write the three files in (made if missing; files not replaced).
        #[arg(long)]
        out: PathBuf,
    },
}

/// How `guichet report` prints.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// `du;au;rubrique;élément;nombre`, in French, for a spreadsheet.
    Csv,
    /// Every figure, with machine codes.
    Json,
}

#[derive(clap::Args, Debug)]
pub struct ScreenshotArgs {
    /// attract, language, theme, procedure, have, priority, summary, summary-failed (after
    /// a ticket that could not be saved), ticket, help, settings, warning, staff (the staff panel);
    /// or board (the waiting-room board, with example calls)
    #[arg(long)]
    pub screen: String,
    #[arg(long, default_value = "fr")]
    pub lang: String,
    #[arg(long, value_enum, default_value_t = Palette::Normal)]
    pub theme: Palette,
    /// Large-print mode.
    #[arg(long)]
    pub large: bool,
    /// As a visitor using the keys sees it: the focus ring on the first control.
    #[arg(long)]
    pub keys: bool,
    /// Window size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x800")]
    pub size: String,
    /// For the procedure of this id (guichet.toml's catalogue: e.g. prime-activite):
    /// the "have", priority, summary and ticket screens [default: the first one].
    #[arg(long)]
    pub procedure: Option<String>,
    #[arg(long)]
    pub out: PathBuf,
    /// Print timings (start to first frame, render, ticket commit).
    #[arg(long)]
    pub measure: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    Normal,
    Contrast,
}

#[derive(Subcommand, Debug)]
pub enum StaffAction {
    /// Create an account (asks the password twice, not shown, or reads one line with
    /// --password-stdin). The first account is an administrator; later ones are agents
    /// unless --admin is given.
    Add {
        name: String,
        #[arg(long)]
        password_stdin: bool,
        /// An administrator (manages accounts, reads the audit log).
        #[arg(long)]
        admin: bool,
    },
    /// List the accounts and their roles.
    List,
    /// Remove an account; its console sessions end at once.
    Remove { name: String },
    /// Set a new password; the account's console sessions end at once.
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lift the login lock on a name (after too many wrong passwords).
    Unlock { name: String },
    /// Make an account an administrator (--agent: an agent again).
    Role {
        name: String,
        #[arg(long)]
        agent: bool,
    },
}

/// Parses `1280x800`.
pub fn parse_size(s: &str) -> Option<(u32, u32)> {
    let (w, h) = s.split_once(['x', 'X'])?;
    let (w, h) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    (w > 0 && h > 0 && w <= 8192 && h <= 8192).then_some((w, h))
}
