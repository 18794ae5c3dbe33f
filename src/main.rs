//! The `lstm-tui` command: a subcommand runs headless, otherwise the designer opens in the
//! terminal. The work lives in the library; this only reads the command line and the
//! environment and hands over.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use lstm_tui::caps::{self, EnvSnapshot};
use lstm_tui::cli::{self, Called, Cli, fail};
use lstm_tui::store::Store;
use lstm_tui::terminal::{self, RunOptions};

fn main() -> ExitCode {
    let args = Cli::parse();
    if let Some(command) = args.command {
        return cli::run(command);
    }
    let env = EnvSnapshot::from_process();
    let mut options = RunOptions {
        mouse: !args.no_mouse,
        color: caps::detect(args.color, &env),
        ascii: caps::wants_ascii(args.ascii, &env),
        ..RunOptions::default()
    };
    if let Some(arg) = &args.design {
        let store = match Store::from_env() {
            Ok(s) => s,
            Err(e) => return fail(&e.to_string()),
        };
        // A saved name opens (and saves back to) that design; a path opens a copy to save
        // under a name of its own.
        match store.design_path(arg) {
            Ok(path) if path.is_file() && !arg.ends_with(".ron") => {
                options.name = Some(arg.clone())
            }
            _ => match cli::load(&store, arg, Called::AfterFile) {
                Ok(design) => options.design = Some(design),
                Err(e) => return fail(&e.to_string()),
            },
        }
    }
    // Checked after the design is read, so a bad file is reported as such in a script too.
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return fail("lstm-tui needs a terminal; for scripts use `lstm-tui summary PATH`");
    }
    match terminal::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("lstm-tui: {e}")),
    }
}
