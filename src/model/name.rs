//! A layer's name as a summary row holds it. Names up to 24 bytes (every automatic name but
//! those of the longest class names with large counters, and most given ones) live inline, so
//! computing a summary allocates no string per row.

use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;

/// A layer name: `lstm`, `lstm_1`, or the user's own.
#[derive(Clone)]
pub struct Name(CompactString);

impl Name {
    /// The name `text`.
    pub fn new(text: &str) -> Self {
        Name(CompactString::new(text))
    }

    /// Keras' automatic name: `base` for the first layer of a class, then `base_1`, `base_2`...
    pub fn auto(base: &str, n: u64) -> Self {
        if n == 0 {
            return Name::new(base);
        }
        let mut digits = itoa::Buffer::new();
        // Joined in place from whole `str`s: growing a string piece by piece, or checking
        // composed bytes as UTF-8, costs more than the rest of a summary row.
        Name(CompactString::from_iter([base, "_", digits.format(n)]))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

/// Names hash and compare as their text, so maps keyed by name are looked up by `&str`.
impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name::new(s)
    }
}

impl From<Name> for String {
    fn from(n: Name) -> Self {
        n.as_str().to_string()
    }
}

/// Keras' automatic names of one class in order (`lstm_1`, `lstm_2`, ...), each written from
/// the one before by stepping its digits: joining a name from its parts costs more than the
/// rest of a summary row.
#[derive(Debug, Default)]
pub(crate) struct Sequence {
    /// The last numbered name written.
    text: String,
    /// Its number; 0 before any.
    n: u64,
}

impl Sequence {
    /// The automatic name numbered `n` of the class named `base`: [`Name::auto`].
    pub(crate) fn name(&mut self, base: &str, n: u64) -> Name {
        if n == 0 {
            return Name::new(base);
        }
        if self.n > 0 && self.n.checked_add(1) == Some(n) {
            step(&mut self.text);
        } else {
            self.text.clear();
            self.text.push_str(base);
            self.text.push('_');
            self.text.push_str(itoa::Buffer::new().format(n));
        }
        self.n = n;
        Name::new(&self.text)
    }
}

/// Adds one to the number that ends `text` after its last `_` (`dense_19` → `dense_20`).
fn step(text: &mut String) {
    let mut nines = 0;
    while text.ends_with('9') {
        text.pop();
        nines += 1;
    }
    match text.pop() {
        Some(d @ '0'..='8') => text.push(char::from(d as u8 + 1)),
        // All nines: a new leading digit after the `_`.
        Some(before) => {
            text.push(before);
            text.push('1');
        }
        None => text.push('1'),
    }
    for _ in 0..nines {
        text.push('0');
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::{Name, Sequence};

    #[test]
    fn a_sequence_writes_what_joining_the_parts_writes() {
        for base in ["dense", "conv1d", "lstm_9"] {
            let mut seq = Sequence::default();
            // Steps through carries (19 → 20, 99 → 100, 999 → 1000), with numbers skipped
            // (wrapped layers take them) and jumps back and forward.
            let numbers = (0..10_050u64).filter(|n| n % 7 != 3).chain([
                0,
                1,
                2,
                99,
                100,
                u64::MAX - 1,
                u64::MAX,
            ]);
            for n in numbers {
                let expected = match n {
                    0 => base.to_string(),
                    n => format!("{base}_{n}"),
                };
                assert_eq!(seq.name(base, n).as_str(), expected);
                assert_eq!(Name::auto(base, n).as_str(), expected);
            }
        }
    }
}
