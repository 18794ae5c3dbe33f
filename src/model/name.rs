//! A layer's name as a summary row holds it. Names up to 23 bytes (every automatic name but
//! those of the longest class names with large counters, and most given ones) live in place,
//! so computing a summary allocates no string per row, and the next automatic name of a class
//! is the last one with its digits stepped.

use std::fmt;
use std::ops::Deref;

/// Bytes a name holds in place.
const INLINE: usize = 23;

/// A layer name: `lstm`, `lstm_1`, or the user's own.
#[derive(Clone)]
pub struct Name(Spelling);

// A name held in place takes no more room than a `String`: every summary row holds one.
const _: () = assert!(std::mem::size_of::<Name>() == 24);

/// Where a name's text is.
#[derive(Clone)]
enum Spelling {
    /// In place: the first `len` bytes, which are UTF-8: only whole `str`s and ASCII digits
    /// over ASCII digits are ever written there.
    Inline {
        /// How many bytes are used.
        len: Len,
        /// The text, then unused bytes.
        bytes: [u8; INLINE],
    },
    /// A name too long to hold in place.
    Heap(Box<str>),
}

/// How many bytes of a name are held in place, 0 to [`INLINE`]: as an enum, the byte's
/// other values tell a name held elsewhere, so [`Name`] needs no byte of its own for that.
#[derive(Clone, Copy)]
#[repr(u8)]
#[rustfmt::skip]
enum Len {
    L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15, L16, L17, L18, L19,
    L20, L21, L22, L23,
}

impl Len {
    /// Each length, by its value.
    #[rustfmt::skip]
    const ALL: [Len; INLINE + 1] = {
        use Len::*;
        [
            L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15, L16, L17, L18,
            L19, L20, L21, L22, L23,
        ]
    };

    /// The length as a count of bytes.
    fn get(self) -> usize {
        usize::from(self as u8)
    }
}

impl Name {
    /// The name `text`.
    pub fn new(text: &str) -> Self {
        Self::joined(&[text])
    }

    /// Keras' automatic name: `base` for the first layer of a class, then `base_1`, `base_2`...
    pub fn auto(base: &str, n: u64) -> Self {
        if n == 0 {
            return Name::new(base);
        }
        Self::joined(&[base, "_", itoa::Buffer::new().format(n)])
    }

    /// The name spelled by `parts` one after another.
    fn joined(parts: &[&str]) -> Self {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut bytes = [0; INLINE];
        let Some(mut free) = bytes.get_mut(..len) else {
            return Name(Spelling::Heap(parts.concat().into_boxed_str()));
        };
        for part in parts {
            let (here, rest) = free.split_at_mut(part.len());
            here.copy_from_slice(part.as_bytes());
            free = rest;
        }
        Name(Spelling::Inline {
            len: Len::ALL[len],
            bytes,
        })
    }

    /// Adds one to the number that ends the name (`dense_19` → `dense_20`), in place; false,
    /// leaving it as it was, when it ends in no digit, or a carry would need another one
    /// (`dense_99`).
    #[inline]
    fn step(&mut self) -> bool {
        if let Spelling::Inline { len, bytes } = &mut self.0 {
            // Nine names in ten only add one to their last digit.
            if let Some(last @ b'0'..=b'8') = len.get().checked_sub(1).map(|at| &mut bytes[at]) {
                *last += 1;
                return true;
            }
        }
        self.carry()
    }

    /// [`Name::step`] when the last digit is a nine, or there is none.
    #[cold]
    fn carry(&mut self) -> bool {
        let Spelling::Inline { len, bytes } = &mut self.0 else {
            return false;
        };
        let digits = &mut bytes[..len.get()];
        let Some(at) = digits.iter().rposition(|&d| d != b'9') else {
            return false;
        };
        if !digits[at].is_ascii_digit() {
            return false;
        }
        digits[at] += 1;
        digits[at + 1..].fill(b'0');
        true
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Never falls back: the bytes in place are always UTF-8 (see `Spelling::Inline`).
            Spelling::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..len.get()]).unwrap_or_default()
            }
            Spelling::Heap(text) => text,
        }
    }

    /// The name's UTF-8 bytes, read without checking them again: names are compared as
    /// these.
    fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Spelling::Inline { len, bytes } => &bytes[..len.get()],
            Spelling::Heap(text) => text.as_bytes(),
        }
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
        self.as_bytes() == other.as_bytes()
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
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
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

/// Keras' automatic names of one class in order (`dense`, `dense_1`, `dense_2`, ...). The
/// next numbered name is kept written, and each name taken is a copy of it, whose digits are
/// then stepped: writing a name from its parts costs more than the rest of a summary row.
#[derive(Debug)]
pub(crate) struct Sequence {
    /// How many numbers are taken: the next name is numbered this.
    taken: u64,
    /// The name numbered `taken`, when `written` says so.
    next: Name,
    /// Whether `next` is written: not before the first numbered name, nor after a step that
    /// needs one more digit (`dense_99`).
    written: bool,
}

impl Default for Sequence {
    fn default() -> Self {
        Self {
            taken: 0,
            next: Name::new(""),
            written: false,
        }
    }
}

impl Sequence {
    /// How many numbers are taken.
    pub(crate) fn taken(&self) -> u64 {
        self.taken
    }

    /// Takes the next number: the automatic name of the class named `base` so numbered
    /// ([`Name::auto`]).
    #[inline]
    pub(crate) fn take(&mut self, base: &str) -> Name {
        if !self.written {
            return self.write(base);
        }
        let name = self.next.clone();
        self.written = self.next.step();
        self.taken += 1;
        name
    }

    /// Takes the next number without a name: a wrapped or sub-layer has it.
    #[inline]
    pub(crate) fn skip(&mut self) {
        self.taken += 1;
        if self.written {
            self.written = self.next.step();
        }
    }

    /// [`Sequence::take`] when the next name is not written: both written out.
    #[cold]
    fn write(&mut self, base: &str) -> Name {
        let name = Name::auto(base, self.taken);
        self.taken = self.taken.saturating_add(1);
        self.next = Name::auto(base, self.taken);
        self.written = true;
        name
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
        // The last two outgrow the bytes held in place: one at `_1000`, one from the start.
        for base in [
            "dense",
            "conv1d",
            "lstm_9",
            "layer_normalization",
            "a_name_of_24_characters_",
        ] {
            let mut seq = Sequence::default();
            // Steps through carries (19 → 20, 99 → 100, 999 → 1000), with numbers skipped
            // one or several at a time (wrapped layers take them), on a carry too (39).
            for n in 0..10_050u64 {
                if n % 7 == 3 || n % 13 <= 2 {
                    seq.skip();
                    continue;
                }
                let expected = match n {
                    0 => base.to_string(),
                    n => format!("{base}_{n}"),
                };
                assert_eq!(seq.take(base).as_str(), expected);
                assert_eq!(Name::auto(base, n).as_str(), expected);
            }
            assert_eq!(seq.taken(), 10_050);
            assert_eq!(
                Name::auto(base, u64::MAX).as_str(),
                format!("{base}_{}", u64::MAX)
            );
        }
    }

    #[test]
    fn names_equal_and_hash_as_their_text_held_in_place_or_not() {
        use std::collections::HashMap;
        let texts = [
            "",
            "x",
            "dense_9",
            "ünïcödé_naming",
            "a_name_of_23_characters",
            "a_name_of_24_characters_",
        ];
        let names: HashMap<Name, &str> = texts.iter().map(|&t| (Name::new(t), t)).collect();
        for t in texts {
            let name = Name::new(t);
            assert_eq!(name.as_str(), t);
            assert_eq!(name.to_string(), t);
            assert_eq!(names.get(t), Some(&t), "looked up by its text: {t:?}");
            let same = Name::from(t);
            assert!(name == t && name == same);
        }
        assert_eq!(names.len(), texts.len());
        assert!(Name::new("dense_1") != Name::new("dense_10"));
        assert!(Name::new("dense_1") != "dense_1 ");
    }

    #[test]
    fn stepping_leaves_a_name_it_cannot_step_as_it_was() {
        for (text, after) in [
            ("dense_1", Some("dense_2")),
            ("dense_19", Some("dense_20")),
            ("conv1d_1099", Some("conv1d_1100")),
            ("dense_9", None),
            ("dense_99", None),
            ("dense", None),
            ("9", None),
            ("", None),
            ("a_name_of_24_characters1", None),
        ] {
            let mut name = Name::new(text);
            assert_eq!(name.step(), after.is_some(), "{text}");
            assert_eq!(name.as_str(), after.unwrap_or(text));
        }
    }
}
