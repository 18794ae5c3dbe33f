use std::process::ExitCode;

use clap::Parser;
use lstm_tui::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => {
            let store = match lstm_tui::store::Store::from_env() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            let design = match &args.design {
                Some(arg) => match cli::load(&store, arg) {
                    Ok(d) => d,
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(2);
                    }
                },
                None => lstm_tui::model::Design::example(),
            };
            let s = lstm_tui::model::Summary::of(&design, lstm_tui::model::Convention::Keras);
            print!("{}", lstm_tui::interop::text(&s, &design.name));
            ExitCode::SUCCESS
        }
    }
}
