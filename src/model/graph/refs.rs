//! Tensor references as written in a design: `name`, `name[i]`, `name@k`, `name@k[i]`.

use std::fmt;

/// A parsed tensor reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TensorRef<'a> {
    /// The input's or layer's name.
    pub name: &'a str,
    /// Which call of a shared layer (0: the first).
    pub call: usize,
    /// Which output of a layer with several; `None` when the reference names no index.
    pub index: Option<usize>,
}

impl<'a> TensorRef<'a> {
    /// Reads `text`; a malformed suffix is an error saying how to write one. Inlined: a
    /// graph's summary reads one for nearly every call.
    #[inline]
    pub fn parse(text: &'a str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{text}` is not a tensor reference: write a name, `name[i]` for output i, or `name@k` for the k-th call of a shared layer"
            )
        };
        // Read from the end, byte by byte: a reference is read for every call in a graph,
        // and nearly every one is a bare name.
        let (rest, index) = match text.strip_suffix(']') {
            Some(head) => {
                let open = head.bytes().rposition(|b| b == b'[').ok_or_else(bad)?;
                let i = head[open + 1..].parse::<usize>().map_err(|_| bad())?;
                (&head[..open], Some(i))
            }
            None => (text, None),
        };
        // `@k`: digits at the end, right after the last `@`.
        let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
        let (name, call) = match rest.len().checked_sub(digits + 1) {
            Some(at) if digits > 0 && rest.as_bytes()[at] == b'@' => (
                &rest[..at],
                rest[at + 1..].parse::<usize>().map_err(|_| bad())?,
            ),
            _ => (rest, 0),
        };
        if name.is_empty() {
            return Err(bad());
        }
        Ok(Self { name, call, index })
    }

    /// True when `text` reads as a name alone: [`TensorRef::parse`] would give it back whole,
    /// as the name, with no call or output index.
    pub fn is_bare(text: &str) -> bool {
        let bytes = text.as_bytes();
        match bytes.last() {
            None | Some(b']') => false,
            Some(b'0'..=b'9') => {
                let digits = bytes
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                digits == bytes.len() || bytes[bytes.len() - digits - 1] != b'@'
            }
            Some(_) => true,
        }
    }
}

impl fmt::Display for TensorRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)?;
        if self.call > 0 {
            write!(f, "@{}", self.call)?;
        }
        match self.index {
            Some(i) => write!(f, "[{i}]"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TensorRef;

    #[test]
    fn reads_every_form() {
        let r = |name, call, index| TensorRef { name, call, index };
        assert_eq!(TensorRef::parse("lstm"), Ok(r("lstm", 0, None)));
        assert_eq!(TensorRef::parse("lstm[2]"), Ok(r("lstm", 0, Some(2))));
        assert_eq!(TensorRef::parse("dense@1"), Ok(r("dense", 1, None)));
        assert_eq!(TensorRef::parse("bi@2[1]"), Ok(r("bi", 2, Some(1))));
        assert_eq!(TensorRef::parse("a@b"), Ok(r("a@b", 0, None)));
        assert_eq!(TensorRef::parse("a@1b"), Ok(r("a@1b", 0, None)));
        assert_eq!(TensorRef::parse("a@"), Ok(r("a@", 0, None)));
        assert_eq!(TensorRef::parse("x@y@3"), Ok(r("x@y", 3, None)));
        assert_eq!(TensorRef::parse("dense_12"), Ok(r("dense_12", 0, None)));
        assert!(TensorRef::parse("lstm[x]").is_err());
        assert!(TensorRef::parse("[1]").is_err());
    }

    proptest::proptest! {
        /// A text is bare exactly when reading it gives it back whole as a name.
        #[test]
        fn bare_is_what_parse_gives_back_whole(text in "[a@_\\[\\]0-9]{0,6}") {
            let whole = TensorRef::parse(&text)
                == Ok(TensorRef { name: &text, call: 0, index: None });
            proptest::prop_assert_eq!(TensorRef::is_bare(&text), whole);
        }
    }
}
