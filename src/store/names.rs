//! Design names become file names: refuse any that could leave `designs/`, hide the file, or
//! mean something special to some operating system.

use crate::store::error::StoreError;

/// Longest name accepted, in bytes (file systems allow 255 for the whole file name).
pub const MAX_NAME_LEN: usize = 100;

/// Windows device names: a file called `con.ron` cannot be created there.
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Accepts `name` as a design name, or says why not.
pub fn check_name(name: &str) -> Result<(), StoreError> {
    let refuse = |reason| {
        Err(StoreError::Name {
            name: name.to_string(),
            reason,
        })
    };
    if name.is_empty() {
        return refuse("it is empty; type a name such as lstm-64");
    }
    if name.len() > MAX_NAME_LEN {
        return refuse("it is longer than 100 bytes; use a shorter name");
    }
    if name.chars().any(char::is_control) {
        return refuse("it contains a control character (tab, newline, escape, ...)");
    }
    if name.contains(['/', '\\']) {
        return refuse("it contains / or \\; a name cannot point into another folder");
    }
    if name.starts_with('.') {
        return refuse("it starts with a dot, which would hide the file (or mean a parent folder)");
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
    {
        return refuse(match c {
            ':' => "it contains :, which some systems do not allow in file names",
            _ => "it contains one of < > \" | ? *, which some systems do not allow in file names",
        });
    }
    if name.starts_with(' ') || name.ends_with(' ') || name.ends_with('.') {
        return refuse("it starts or ends with a space, or ends with a dot; trim it");
    }
    if name.to_ascii_lowercase().ends_with(".ron") {
        return refuse("it ends in .ron; give the name without the extension");
    }
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    if RESERVED.contains(&stem.as_str()) {
        return refuse("it is a reserved device name on Windows (con, nul, com1, ...)");
    }
    Ok(())
}
