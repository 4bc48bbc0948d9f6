//! The `guichet` binary: parses the command line and hands over to `guichet::commands`.

use clap::Parser;
use guichet::cli::{Cli, Command};
use guichet::commands::{self, Site};

fn main() -> std::process::ExitCode {
    let started = std::time::Instant::now();
    guichet::kiosk::fonts::install();
    let cli = Cli::parse();
    let result = Site::open(&cli.data_dir, cli.config.as_deref()).and_then(|site| match cli.command {
        Command::Kiosk { no_console } => commands::kiosk(&site, no_console),
        Command::Serve { bind } => commands::serve(&site, bind),
        Command::Screenshot(args) => commands::screenshot(&site, &args, started),
        Command::CheckConfig => commands::check_config(&site),
        Command::PrintTest => commands::print_test(&site),
        Command::Staff { action } => commands::staff(&site, action),
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("guichet: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
