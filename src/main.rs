//! The `tcp-ladder` binary: run a subcommand, or start the app.

use clap::Parser;
use std::process::ExitCode;
use tcp_ladder::cli::{Cli, Outcome, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        return match tcp_ladder::ui::run_app(cli.file, cli.other_end) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tcp-ladder: {e}");
                ExitCode::FAILURE
            }
        };
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    match run(&command, &mut stdout.lock(), &mut stderr.lock()) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::BadInput(message) | Outcome::BadArguments(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Ok(Outcome::Usage(message) | Outcome::WriteFailed(message)) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
        // A closed pipe (`| head`) is a normal way to stop reading.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tcp-ladder: {e}");
            ExitCode::FAILURE
        }
    }
}
