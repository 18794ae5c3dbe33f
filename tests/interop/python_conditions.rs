//! Conditions in Keras code (`if`, `x if c else y`, `and`, `or`, `not`, comparisons) take
//! the value Python gives them. Generated conditions over numbers, strings, tuples, `None`
//! and flags are each written as `Dense(1 if (C) else 2)`, in functional code and in a
//! Sequential model, and imported; Python itself evaluates the same conditions, and a
//! condition Python refuses (`"a" < 1`) must be refused too. Prints SKIPPED when there is no
//! `python3`.

use std::process::Command;

use lstm_tui::interop::python::design_from_python;
use lstm_tui::model::Layer;

/// Constants of every type a condition compares.
const ATOMS: &[&str] = &[
    "-3",
    "0",
    "1",
    "2",
    "0.0",
    "0.5",
    "-1.5",
    "True",
    "False",
    "None",
    "''",
    "'a'",
    "'ab'",
    "()",
    "(1,)",
    "(1, 2)",
    "(0.5, 'a')",
];
const ORDERS: &[&str] = &["<", ">", "==", "!=", "<=", ">="];

/// A small deterministic generator (xorshift), so a failure names a condition that comes
/// back on every run.
struct Gen(u64);

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn condition(&mut self, depth: usize) -> String {
        let leaf = depth == 0 || self.below(3) == 0;
        match if leaf {
            self.below(4)
        } else {
            4 + self.below(4)
        } {
            0 => self.pick(ATOMS).to_string(),
            1 => format!(
                "{} {} {}",
                self.pick(ATOMS),
                self.pick(ORDERS),
                self.pick(ATOMS)
            ),
            2 => format!(
                "{} {} {} {} {}",
                self.pick(ATOMS),
                self.pick(ORDERS),
                self.pick(ATOMS),
                self.pick(ORDERS),
                self.pick(ATOMS)
            ),
            3 => {
                let op = self.pick(&["is", "is not", "in", "not in"]);
                let right = if op.starts_with("is") {
                    self.pick(&["None", "True", "False"])
                } else {
                    self.pick(&["()", "(1, 2)", "(0.5, 'a')", "'ab'", "(None,)"])
                };
                format!("{} {op} {right}", self.pick(ATOMS))
            }
            4 => format!("not ({})", self.condition(depth - 1)),
            5 => format!(
                "({}) and ({})",
                self.condition(depth - 1),
                self.condition(depth - 1)
            ),
            6 => format!(
                "({}) or ({})",
                self.condition(depth - 1),
                self.condition(depth - 1)
            ),
            _ => format!(
                "({}) if ({}) else ({})",
                self.condition(depth - 1),
                self.condition(depth - 1),
                self.condition(depth - 1)
            ),
        }
    }
}

/// What lstm-tui makes of `condition` in functional code and in a Sequential model (they
/// are read by different readers): `1` or `2` (the Dense it builds), or `E` when it refuses
/// the program.
fn ours(condition: &str) -> [String; 2] {
    let dense = format!("Dense(1 if ({condition}) else 2)");
    [
        format!(
            "import keras\nfrom keras import layers\ninputs = keras.Input(shape=(1,))\noutputs = layers.{dense}(inputs)\nmodel = keras.Model(inputs, outputs)\n"
        ),
        format!(
            "from keras import Sequential, Input\nfrom keras.layers import Dense\nmodel = Sequential([Input((1,)), {dense}])\n"
        ),
    ]
    .map(|program| units(&program))
}

fn units(program: &str) -> String {
    match design_from_python(program) {
        Ok(design) => match design.layers.first() {
            Some(Layer::Dense(d)) => d.units.to_string(),
            other => format!("unexpected layer {other:?}"),
        },
        Err(_) => "E".into(),
    }
}

#[test]
fn conditions_take_the_value_python_gives_them() {
    let mut random = Gen(0x9E37_79B9_7F4A_7C15);
    let conditions: Vec<String> = (0..400).map(|_| random.condition(3)).collect();
    let script = format!(
        "import warnings\nwarnings.simplefilter('ignore')\nfor c in {:?}:\n    try:\n        print(1 if eval(c) else 2)\n    except Exception:\n        print('E')\n",
        conditions
    );
    let out = match Command::new("python3").arg("-c").arg(&script).output() {
        Ok(out) if out.status.success() => out,
        _ => {
            eprintln!("SKIPPED: no python3 to evaluate the conditions");
            return;
        }
    };
    let python: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(python.len(), conditions.len(), "one answer per condition");
    let mismatches: Vec<String> = conditions
        .iter()
        .zip(&python)
        .filter_map(|(c, want)| {
            let [functional, sequential] = ours(c);
            (&functional != want || &sequential != want).then(|| {
                format!("{c}: Python {want}, lstm-tui {functional} (functional), {sequential} (Sequential)")
            })
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
