//! The `guichet` binary: parses the command line and hands over to `guichet::commands`.

use clap::Parser;
use guichet::cli::{Cli, Command};
use guichet::commands::{self, Site};

fn main() -> std::process::ExitCode {
    let started = std::time::Instant::now();
    guichet::kiosk::fonts::install();
    let cli = Cli::parse();
    // The doctor reports a broken config as one of its lines: it opens the site itself.
    if let Command::Doctor { json, keys, quiet } = cli.command {
        let options = commands::DoctorOptions { json, keys, speak: !quiet };
        return exit(commands::doctor(&cli.data_dir, cli.config.as_deref(), options));
    }
    let result = Site::open(&cli.data_dir, cli.config.as_deref()).and_then(|site| match cli.command {
        Command::Kiosk { no_console } => commands::kiosk(&site, no_console),
        Command::Serve { bind } => commands::serve(&site, bind),
        Command::Board { silent, follow, fingerprint } => {
            commands::board(&site, silent, follow.as_deref(), fingerprint.as_deref())
        }
        Command::Screenshot(args) => commands::screenshot(&site, &args, started),
        Command::CheckConfig => commands::check_config(&site),
        Command::PrintTest => commands::print_test(&site),
        Command::Staff { action } => commands::staff(&site, action),
        Command::Backup { file } => commands::backup(&site, &file),
        Command::Report { send: true, .. } => commands::report_network::send(&site),
        Command::Report { network: true, from, to, format, .. } => {
            commands::report_network::report(&site, from, to, format)
        }
        Command::Report { from, to, format, .. } => commands::report(&site, from, to, format),
        Command::Purge => commands::purge(&site),
        Command::SiteInit => commands::site_init(&site),
        Command::SiteCert { addresses, out } => commands::site_cert(&site, &addresses, &out),
        Command::SiteDemoServer { dir } => commands::site_demo_server(&dir),
        Command::Doctor { .. } => Ok(()),
    });
    exit(result)
}

fn exit(result: anyhow::Result<()>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("guichet: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
