use lstm_tui::model::{Convention, Design, Summary};

fn main() {
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
