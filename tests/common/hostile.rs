//! What a hostile name must never put on a terminal, whichever way it is printed or drawn.

/// What no output may carry: C0 controls but the line break, DEL and C1 controls, bidi
/// embeddings, overrides, isolates and marks, and zero-width or invisible characters.
pub fn is_forbidden(c: char) -> bool {
    let code = u32::from(c);
    (code < 0x20 && c != '\n')
        || (0x7f..=0x9f).contains(&code)
        || (0x200b..=0x200f).contains(&code)
        || (0x2028..=0x202e).contains(&code)
        || (0x2060..=0x2069).contains(&code)
        || code == 0x61c
        || code == 0xfeff
}
