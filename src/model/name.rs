//! A layer's name as a summary row holds it. Names up to 46 bytes (every automatic name, and
//! most given ones) live inline, so computing a summary allocates no string per row.

use std::fmt;
use std::ops::Deref;

/// Inline capacity: the longest automatic name, `global_average_pooling1d_` plus 20 digits,
/// is 45 bytes.
const INLINE: usize = 46;

/// A layer name: `lstm`, `lstm_1`, or the user's own.
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    /// Short names, stored in place.
    Inline { len: u8, buf: [u8; INLINE] },
    /// Longer names.
    Heap(Box<str>),
}

impl Name {
    /// The name `text`.
    pub fn new(text: &str) -> Self {
        if text.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..text.len()].copy_from_slice(text.as_bytes());
            Name(Repr::Inline {
                len: text.len() as u8,
                buf,
            })
        } else {
            Name(Repr::Heap(text.into()))
        }
    }

    /// Keras' automatic name: `base` for the first layer of a class, then `base_1`, `base_2`...
    pub fn auto(base: &str, n: u64) -> Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut rest = n;
        while rest > 0 {
            i -= 1;
            digits[i] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let suffix = &digits[i..];
        let len = base.len() + if n > 0 { 1 + suffix.len() } else { 0 };
        if len > INLINE {
            let mut s = String::with_capacity(len);
            s.push_str(base);
            s.push('_');
            s.extend(suffix.iter().map(|&d| char::from(d)));
            return Name(Repr::Heap(s.into()));
        }
        let mut buf = [0u8; INLINE];
        buf[..base.len()].copy_from_slice(base.as_bytes());
        if n > 0 {
            buf[base.len()] = b'_';
            buf[base.len() + 1..len].copy_from_slice(suffix);
        }
        Name(Repr::Inline {
            len: len as u8,
            buf,
        })
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Built only from whole `&str`s and ASCII digits, so always valid UTF-8.
            Repr::Inline { len, buf } => {
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or("")
            }
            Repr::Heap(s) => s,
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

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
