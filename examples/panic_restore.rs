//! Sets the terminal up as lstm-tui does, then panics on purpose. The end-to-end tests run it
//! in tmux to check that a panic gives the terminal back (cooked mode, cursor, main screen)
//! and that the panic message is readable.

fn main() {
    // The closure never returns, so only the set-up can fail.
    let Err(e) = lstm_tui::terminal::with_terminal(|| {
        panic!("deliberate panic: the terminal must be restored before this message")
    });
    eprintln!("could not set up the terminal: {e}");
}
