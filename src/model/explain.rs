//! A layer's parameter count told step by step, as data the UI and CLI render.

/// One line of a derivation: what is being computed, the arithmetic with the real numbers,
/// and the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Plain words: "each gate sees [h(t-1), x(t)]".
    pub what: String,
    /// The arithmetic with the real numbers: "64 + 6".
    pub expr: String,
    /// Its value.
    pub value: u64,
}

/// Everything the detail pane says about one layer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Explanation {
    /// Ordered steps; the last one's value is the layer's parameter count.
    pub steps: Vec<Step>,
    /// Remarks: why a count is 0, what a regularizer does, what the other convention counts.
    pub notes: Vec<String>,
}

impl Explanation {
    /// Adds a step.
    pub fn step(&mut self, what: impl Into<String>, expr: impl Into<String>, value: u64) {
        self.steps.push(Step {
            what: what.into(),
            expr: expr.into(),
            value,
        });
    }

    /// Adds a note.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}

/// `18176` → `18,176`, as Keras prints counts.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
