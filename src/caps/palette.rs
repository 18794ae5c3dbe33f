//! Mapping a theme's colours to the nearest colour a [`ColorLevel`] has.
//!
//! Themes are written in RGB; sending RGB to a 256- or 16-colour terminal gives garbage or the
//! default colour, so each colour is replaced by its nearest neighbour in what the terminal
//! has, under a perceptually weighted distance.

use ratatui::style::Color;

use super::ColorLevel;

/// The 16 ANSI colours in index order, with xterm's default RGB values. The real shades are
/// whatever the user's palette says; xterm's defaults are the common reference (and the first
/// 16 entries of its 256-colour table), so they stand in for "what red usually looks like".
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0x00, 0x00, 0x00)),
    (Color::Red, (0xcd, 0x00, 0x00)),
    (Color::Green, (0x00, 0xcd, 0x00)),
    (Color::Yellow, (0xcd, 0xcd, 0x00)),
    (Color::Blue, (0x00, 0x00, 0xee)),
    (Color::Magenta, (0xcd, 0x00, 0xcd)),
    (Color::Cyan, (0x00, 0xcd, 0xcd)),
    (Color::Gray, (0xe5, 0xe5, 0xe5)),
    (Color::DarkGray, (0x7f, 0x7f, 0x7f)),
    (Color::LightRed, (0xff, 0x00, 0x00)),
    (Color::LightGreen, (0x00, 0xff, 0x00)),
    (Color::LightYellow, (0xff, 0xff, 0x00)),
    (Color::LightBlue, (0x5c, 0x5c, 0xff)),
    (Color::LightMagenta, (0xff, 0x00, 0xff)),
    (Color::LightCyan, (0x00, 0xff, 0xff)),
    (Color::White, (0xff, 0xff, 0xff)),
];

/// The channel values of xterm's 6×6×6 colour cube (indices 16–231).
const CUBE_STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The nearest colour to `color` that `level` can show.
///
/// - `TrueColor` keeps everything.
/// - `Ansi256` keeps named and indexed colours and maps RGB onto the cube and grey ramp
///   (indices 16–255). Indices 0–15 are left out because their shades are the user's choice.
/// - `Ansi16` keeps the 16 named colours, turns `Indexed(0..16)` into their names, and maps RGB
///   and the other indices to the nearest of the 16 (by xterm's default shades).
/// - `None` gives [`Color::Reset`], the terminal's default colour.
pub fn fit(color: Color, level: ColorLevel) -> Color {
    match (level, color) {
        (ColorLevel::None, _) => Color::Reset,
        (ColorLevel::TrueColor, _) => color,
        (ColorLevel::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256((r, g, b))),
        (ColorLevel::Ansi256, _) => color,
        (ColorLevel::Ansi16, Color::Rgb(r, g, b)) => nearest_16((r, g, b)),
        (ColorLevel::Ansi16, Color::Indexed(index)) => match ANSI16.get(usize::from(index)) {
            Some(&(named, _)) => named,
            None => nearest_16(xterm_rgb(index)),
        },
        (ColorLevel::Ansi16, _) => color,
    }
}

fn nearest_16(rgb: (u8, u8, u8)) -> Color {
    let mut best = (Color::Black, u32::MAX);
    for &(named, shade) in &ANSI16 {
        let d = distance(rgb, shade);
        if d < best.1 {
            best = (named, d);
        }
    }
    best.0
}

/// The nearest xterm index in 16–255. Exhaustive: 240 candidates are cheap, and searching
/// each channel separately is not exact under a weighted distance.
fn nearest_256(rgb: (u8, u8, u8)) -> u8 {
    let mut best = (16, u32::MAX);
    for index in 16..=255 {
        let d = distance(rgb, xterm_rgb(index));
        if d < best.1 {
            best = (index, d);
        }
    }
    best.0
}

/// The RGB value xterm gives a palette index.
fn xterm_rgb(index: u8) -> (u8, u8, u8) {
    match index {
        0..=15 => ANSI16[usize::from(index)].1,
        16..=231 => {
            let i = usize::from(index - 16);
            (
                CUBE_STEPS[i / 36],
                CUBE_STEPS[(i / 6) % 6],
                CUBE_STEPS[i % 6],
            )
        }
        232..=255 => {
            let grey = 8 + 10 * (index - 232);
            (grey, grey, grey)
        }
    }
}

/// Squared "redmean" distance (Thiadmer Riemersma, compuphase.com/cmetric.htm): Euclidean RGB
/// with weights that follow the mean red level, close to CIE76 at a fraction of the cost.
/// Scaled by 512 so that it stays in integers: (1024 + Σr)·ΔR² + 2048·ΔG² + (1534 − Σr)·ΔB²,
/// where Σr = r1 + r2 ≤ 510. It stays below (1534 + 2048 + 1534)·255² ≈ 3.3·10⁸, within `u32`.
fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let sum_r = u32::from(a.0) + u32::from(b.0);
    let dr = u32::from(a.0.abs_diff(b.0));
    let dg = u32::from(a.1.abs_diff(b.1));
    let db = u32::from(a.2.abs_diff(b.2));
    (1024 + sum_r) * dr * dr + 2048 * dg * dg + (1534 - sum_r) * db * db
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spot checks against xterm's 256colres.pl: 16 is black, 21 pure blue, 196 pure red,
    /// 231 white, 232 is grey 8, 255 is grey 238.
    #[test]
    fn xterm_table_matches_256colres() {
        assert_eq!(xterm_rgb(16), (0, 0, 0));
        assert_eq!(xterm_rgb(21), (0, 0, 255));
        assert_eq!(xterm_rgb(196), (255, 0, 0));
        assert_eq!(xterm_rgb(231), (255, 255, 255));
        assert_eq!(xterm_rgb(232), (8, 8, 8));
        assert_eq!(xterm_rgb(255), (238, 238, 238));
    }

    /// Hand-computed: (0,0,0)–(255,255,255) has Σr = 255, so
    /// 1279·65025 + 2048·65025 + 1279·65025 = 4606·65025 = 299,505,150.
    #[test]
    fn distance_black_white() {
        assert_eq!(distance((0, 0, 0), (255, 255, 255)), 299_505_150);
        assert_eq!(distance((7, 8, 9), (7, 8, 9)), 0);
    }
}
