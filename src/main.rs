use lstm_tui::model::{Convention, Design, Summary};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args == ["--no-mouse"] {
        let options = lstm_tui::terminal::RunOptions {
            mouse: args.is_empty(),
            ..Default::default()
        };
        if let Err(e) = lstm_tui::terminal::run(options) {
            eprintln!("lstm-tui: {e}");
            std::process::exit(1);
        }
        return;
    }
    let s = Summary::of(&Design::example(), Convention::Keras);
    for r in &s.rows {
        println!("{} {} {} {:?}", r.name, r.class, r.output, r.params);
    }
    println!("{:?} {:?}", s.totals, s.error);
    let s = Summary::of(&Design::example(), Convention::PyTorch);
    println!("{:?}", s.totals);
    let l = &Design::example().layers[0];
    let e = l
        .kind()
        .explain(&lstm_tui::model::Shape::known(&[100, 6]), Convention::Keras)
        .unwrap();
    for st in e.steps {
        println!("{} | {} = {}", st.what, st.expr, st.value);
    }
    for n in e.notes {
        println!("- {n}");
    }
}
