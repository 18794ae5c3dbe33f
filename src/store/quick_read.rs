//! A quick reader for the plain RON that lstm-tui writes: the same serde calls RON's own
//! deserializer makes, on a subset of its syntax, with a fraction of its parsing cost (what is
//! left is mostly building the design itself).
//!
//! RON 0.12 spends over a microsecond on each layer line (it tests every character through a
//! function pointer and probes eight string prefixes before each identifier), so reading a
//! design of 10,000 layers took longer than everything else `summary` does; no faster RON
//! parser exists. This reader takes only what [`super::format::to_ron`] writes: identifiers,
//! strings without escapes, decimal numbers, `None`, lists, structs, enum variants with the
//! file dialect's unwrapped newtypes, no comments. On anything else (a comment, an escape,
//! `Some(...)`, an unknown field, a value serde refuses) it gives up and the caller reads the
//! text with RON, which also says what is wrong: so errors, and every text outside the subset,
//! read exactly as before. Where it succeeds it returns what RON returns for the same text
//! (tests/store/store_quick_read.rs checks random designs, mutated texts and every fixture).

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

/// The value in `text` if the text is in the subset this reader takes and its brackets nest
/// at most `max_nesting` deep, else `None`.
pub(crate) fn read<T: DeserializeOwned>(text: &str, max_nesting: usize) -> Option<T> {
    let mut r = Reader {
        text,
        pos: 0,
        newtype: false,
        depth: 0,
        max_nesting,
    };
    r.skip_ws();
    let value = T::deserialize(&mut r).ok()?;
    r.skip_ws();
    (r.pos == text.len()).then_some(value)
}

/// Why the quick reader stopped: the text is not in its subset, or serde refused a value.
/// Either way RON reads the text instead, so no detail is kept.
#[derive(Debug)]
struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not in the quick subset")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

type Result<T> = std::result::Result<T, GiveUp>;

/// The text and where reading stands in it.
struct Reader<'de> {
    text: &'de str,
    pos: usize,
    /// Inside `Kind(` of a newtype variant: its struct's fields follow without brackets of
    /// their own (RON's `unwrap_variant_newtypes`).
    newtype: bool,
    /// Brackets open now.
    depth: usize,
    /// Deeper nesting gives up. The caller refuses it anyway; and with the caller's limit,
    /// RON's recursion limit (64 calls, at most five a bracket) is never what decides.
    max_nesting: usize,
}

/// The bytes that continue an ASCII identifier: letters, digits and `_`.
const IDENT_CONTINUE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// Whether `b` may continue an identifier. Bytes from 0x80 are counted in: RON reads Unicode
/// identifiers, which this reader leaves to it.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl<'de> Reader<'de> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Spaces, tabs and line breaks; a comment is not skipped, so the next token check fails.
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        let found = self.peek() == Some(c);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        if self.eat(c) { Ok(()) } else { Err(GiveUp) }
    }

    /// RON's `comma`: an optional `,` with the space around it; whether there was one.
    fn comma(&mut self) -> bool {
        self.skip_ws();
        let found = self.eat(b',');
        if found {
            self.skip_ws();
        }
        found
    }

    /// An opening bracket has been read.
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_nesting {
            return Err(GiveUp);
        }
        Ok(())
    }

    /// Whether the token just read ends here: at a space, a separator or a closing bracket.
    /// Anything else (`.`, a letter, a quote, `#`) would make RON read a different token.
    fn at_token_end(&self, also: &[u8]) -> bool {
        match self.peek() {
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b')' | b']') => true,
            Some(b) => also.contains(&b),
        }
    }

    /// An ASCII identifier, followed by something that cannot continue any RON token.
    fn ident(&mut self) -> Result<&'de str> {
        let start = self.pos;
        let rest = &self.text.as_bytes()[start..];
        if !matches!(rest.first(), Some(c) if c.is_ascii_alphabetic() || *c == b'_') {
            return Err(GiveUp);
        }
        // Field and kind names are most of a design's text: scanned with a table and a local
        // index, not a test and a stored position per byte.
        self.pos += rest
            .iter()
            .position(|&c| !IDENT_CONTINUE[usize::from(c)])
            .unwrap_or(rest.len());
        if !self.at_token_end(b"(:") {
            return Err(GiveUp);
        }
        Ok(&self.text[start..self.pos])
    }

    /// Whether the text continues with the word `word` standing alone (RON's `check_ident`).
    fn at_word(&self, word: &str) -> bool {
        let rest = &self.text.as_bytes()[self.pos..];
        rest.starts_with(word.as_bytes())
            && !rest.get(word.len()).copied().is_some_and(is_ident_byte)
    }

    /// Decimal digits, without sign, underscores or a suffix.
    fn digits(&mut self) -> Result<u64> {
        let b = self.text.as_bytes();
        let start = self.pos;
        let mut n: u64 = 0;
        while let Some(&c) = b.get(self.pos).filter(|c| c.is_ascii_digit()) {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(c - b'0')))
                .ok_or(GiveUp)?;
            self.pos += 1;
        }
        if self.pos == start || !self.at_token_end(b"") {
            return Err(GiveUp);
        }
        Ok(n)
    }

    /// A whole number, negative when `signed` allows a `-`.
    fn integer(&mut self, signed: bool) -> Result<i128> {
        let negative = signed && self.eat(b'-');
        let n = i128::from(self.digits()?);
        Ok(if negative { -n } else { n })
    }

    /// `-12.5e-3` and its simpler forms, as text for `str::parse` (what RON hands it).
    fn float_text(&mut self) -> Result<&'de str> {
        let b = self.text.as_bytes();
        let start = self.pos;
        let run = |r: &mut Self| {
            let from = r.pos;
            while b.get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos > from
        };
        self.eat(b'-');
        if !run(self) {
            return Err(GiveUp);
        }
        if self.eat(b'.') && !run(self) {
            return Err(GiveUp);
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'-') {
                self.eat(b'+');
            }
            if !run(self) {
                return Err(GiveUp);
            }
        }
        if !self.at_token_end(b"") {
            return Err(GiveUp);
        }
        Ok(&self.text[start..self.pos])
    }

    /// A `"..."` string without escapes: the text between the quotes, as RON borrows it.
    fn string(&mut self) -> Result<&'de str> {
        self.expect(b'"')?;
        let rest = &self.text[self.pos..];
        let end = rest.find('"').ok_or(GiveUp)?;
        let s = &rest[..end];
        if s.contains('\\') {
            return Err(GiveUp);
        }
        self.pos += end + 1;
        Ok(s)
    }

    /// The fields of a struct up to (not including) its `)`.
    fn fields<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let value = visitor.visit_map(Items::new(self, b')'))?;
        self.skip_ws();
        Ok(value)
    }

    /// `(fields)`, or the bare fields right after a newtype variant's `(`.
    fn bracketed_fields<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        if std::mem::take(&mut self.newtype) {
            return self.fields(visitor);
        }
        // RON would read a struct name here, and check it against the type's.
        if self.peek().is_some_and(is_ident_byte) {
            return Err(GiveUp);
        }
        self.skip_ws();
        self.expect(b'(')?;
        self.enter()?;
        let value = self.fields(visitor)?;
        self.expect(b')')?;
        self.depth -= 1;
        Ok(value)
    }

    /// Comma-separated items, then the closing bracket `end` (the opening one is read).
    fn items<V: Visitor<'de>>(&mut self, end: u8, visitor: V) -> Result<V::Value> {
        self.enter()?;
        let value = visitor.visit_seq(Items::new(self, end))?;
        self.depth -= 1;
        self.skip_ws();
        self.expect(end)?;
        Ok(value)
    }
}

/// The items of a list or the fields of a struct, as RON's `CommaSeparated` reads them: an
/// item may follow an opening bracket or a comma, and a trailing comma is allowed.
struct Items<'a, 'de> {
    r: &'a mut Reader<'de>,
    end: u8,
    had_comma: bool,
}

impl<'a, 'de> Items<'a, 'de> {
    fn new(r: &'a mut Reader<'de>, end: u8) -> Self {
        Items {
            r,
            end,
            had_comma: true,
        }
    }

    fn has_element(&mut self) -> Result<bool> {
        self.r.skip_ws();
        let at_end = self.r.peek() == Some(self.end);
        match (self.had_comma, at_end) {
            (true, _) => Ok(!at_end),
            (false, true) => Ok(false),
            (false, false) => Err(GiveUp),
        }
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.r)?;
        self.had_comma = self.r.comma();
        Ok(Some(value))
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        seed.deserialize(Key(&mut *self.r)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.r.skip_ws();
        self.r.expect(b':')?;
        self.r.skip_ws();
        let value = seed.deserialize(&mut *self.r)?;
        self.had_comma = self.r.comma();
        Ok(value)
    }
}

/// A field name or a variant name: an identifier, whatever type serde asks for.
struct Key<'a, 'de>(&'a mut Reader<'de>);

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.0.ident()?)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = GiveUp;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        self.skip_ws();
        let variant = seed.deserialize(Key(&mut *self))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.skip_ws();
        self.expect(b'(')?;
        self.skip_ws();
        self.enter()?;
        self.newtype = true;
        let value = seed.deserialize(&mut *self)?;
        self.newtype = false;
        self.depth -= 1;
        self.comma();
        self.expect(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.skip_ws();
        self.expect(b'(')?;
        self.enter()?;
        let value = self.fields(visitor)?;
        self.expect(b')')?;
        self.depth -= 1;
        Ok(value)
    }
}

/// A whole number of type `$t` through `$visit`, refused (so RON reports it) if out of range.
macro_rules! integer {
    ($($method:ident $visit:ident $t:ty, $signed:expr;)+) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let n = self.integer($signed)?;
            visitor.$visit(<$t>::try_from(n).map_err(|_| GiveUp)?)
        }
    )+};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    /// Only a shape's dimension asks for any value: a whole number or `None`.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.newtype {
            return Err(GiveUp);
        }
        if self.at_word("None") {
            self.pos += 4;
            return visitor.visit_none();
        }
        match self.integer(true)? {
            n if n < 0 => visitor.visit_i64(i64::try_from(n).map_err(|_| GiveUp)?),
            n => visitor.visit_u64(u64::try_from(n).map_err(|_| GiveUp)?),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.ident()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(GiveUp),
        }
    }

    integer! {
        deserialize_i8 visit_i8 i8, true;
        deserialize_i16 visit_i16 i16, true;
        deserialize_i32 visit_i32 i32, true;
        deserialize_i64 visit_i64 i64, true;
        deserialize_u8 visit_u8 u8, false;
        deserialize_u16 visit_u16 u16, false;
        deserialize_u32 visit_u32 u32, false;
        deserialize_u64 visit_u64 u64, false;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f32(self.float_text()?.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.float_text()?.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.string()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    /// `None`, or the value itself (the dialect's implicit `Some`); `Some(...)` is left to RON.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.newtype || self.at_word("Some") {
            return Err(GiveUp);
        }
        if self.at_word("None") {
            self.pos += 4;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.newtype = false;
        self.expect(b'[')?;
        self.items(b']', visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        if std::mem::take(&mut self.newtype) {
            let value = visitor.visit_seq(Items::new(self, b')'))?;
            self.skip_ws();
            return Ok(value);
        }
        self.expect(b'(')?;
        self.items(b')', visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // RON reads ranges (`1..5`) into structs of these names.
        if name.starts_with("Range") {
            return Err(GiveUp);
        }
        self.bracketed_fields(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.newtype = false;
        visitor.visit_enum(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.ident()?)
    }

    /// An unknown field: RON reads the text, and the caller says where the field is.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_char<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }
}
