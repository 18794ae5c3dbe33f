//! Colour fitting. Expected values are worked out by hand in the comments, from xterm's
//! default palette and the redmean distance the module documents:
//! d = (1024 + Σr)·ΔR² + 2048·ΔG² + (1534 − Σr)·ΔB², with Σr the sum of the two reds.

use lstm_tui::caps::{ColorLevel, fit};
use ratatui::style::Color;

#[test]
fn truecolor_keeps_everything() {
    for color in [
        Color::Rgb(0x12, 0x34, 0x56),
        Color::Indexed(200),
        Color::LightRed,
        Color::Reset,
    ] {
        assert_eq!(fit(color, ColorLevel::TrueColor), color);
    }
}

#[test]
fn no_colour_resets_everything() {
    for color in [Color::Rgb(255, 0, 0), Color::Indexed(9), Color::Blue] {
        assert_eq!(fit(color, ColorLevel::None), Color::Reset);
    }
}

#[test]
fn ansi16_exact_shades_map_to_their_names() {
    // xterm's bright red is #ff0000 and its normal red #cd0000: distance 0.
    assert_eq!(
        fit(Color::Rgb(0xff, 0, 0), ColorLevel::Ansi16),
        Color::LightRed
    );
    assert_eq!(fit(Color::Rgb(0xcd, 0, 0), ColorLevel::Ansi16), Color::Red);
    // #808080 is one step from DarkGray #7f7f7f in each channel; every other entry is ≥ 100
    // away in at least one channel.
    assert_eq!(
        fit(Color::Rgb(0x80, 0x80, 0x80), ColorLevel::Ansi16),
        Color::DarkGray
    );
}

#[test]
fn ansi16_orange_goes_to_yellow() {
    // #ff8000 against the candidates that could be close:
    //   LightRed  ff0000: ΔG=128 → 2048·16384                         = 33,554,432
    //   LightYellow ffff00: ΔG=127 → 2048·16129                       = 33,032,192
    //   Yellow    cdcd00: Σr=460, ΔR=50 → 1484·2500 = 3,710,000;
    //                     ΔG=77 → 2048·5929 = 12,142,592              = 15,852,592
    //   DarkGray  7f7f7f: Σr=382, ΔR=128 → 1406·16384 = 23,035,904;
    //                     ΔG=1 → 2048; ΔB=127 → 1152·16129 = 18,580,608 = 41,618,560
    // so Yellow (xterm's darker yellow) is nearest.
    assert_eq!(
        fit(Color::Rgb(0xff, 0x80, 0x00), ColorLevel::Ansi16),
        Color::Yellow
    );
}

#[test]
fn ansi16_navy_goes_to_blue_not_black() {
    // #000080: Blue 0000ee: ΔB=110, Σr=0 → 1534·12100 = 18,561,400;
    //          Black 000000: ΔB=128 → 1534·16384      = 25,133,056;
    //          LightBlue 5c5cff: ΔR=92 → 1116·8464 = 9,445,824, ΔG=92 → 2048·8464 = 17,334,272,
    //          already 26.8M before ΔB.
    assert_eq!(
        fit(Color::Rgb(0x00, 0x00, 0x80), ColorLevel::Ansi16),
        Color::Blue
    );
}

#[test]
fn ansi16_indexed_colours() {
    // Indices 0–15 are the named colours themselves.
    assert_eq!(fit(Color::Indexed(9), ColorLevel::Ansi16), Color::LightRed);
    assert_eq!(fit(Color::Indexed(8), ColorLevel::Ansi16), Color::DarkGray);
    assert_eq!(fit(Color::Indexed(15), ColorLevel::Ansi16), Color::White);
    // 196 is the cube's #ff0000, i.e. bright red.
    assert_eq!(
        fit(Color::Indexed(196), ColorLevel::Ansi16),
        Color::LightRed
    );
    // 232 is grey #080808: 294,784 from black, far from anything else.
    assert_eq!(fit(Color::Indexed(232), ColorLevel::Ansi16), Color::Black);
}

#[test]
fn ansi16_keeps_named_colours() {
    for color in [Color::Magenta, Color::Gray, Color::Reset] {
        assert_eq!(fit(color, ColorLevel::Ansi16), color);
    }
}

#[test]
fn ansi256_exact_cube_and_ramp_entries() {
    // Cube index = 16 + 36·r + 6·g + b with steps 0, 95, 135, 175, 215, 255.
    // #ff0000 → (5,0,0) → 16 + 180 = 196.
    assert_eq!(
        fit(Color::Rgb(0xff, 0, 0), ColorLevel::Ansi256),
        Color::Indexed(196)
    );
    // #5f87af = (95,135,175) → (1,2,3) → 16 + 36 + 12 + 3 = 67.
    assert_eq!(
        fit(Color::Rgb(0x5f, 0x87, 0xaf), ColorLevel::Ansi256),
        Color::Indexed(67)
    );
    // Black is cube entry 16 (the ramp starts at #080808).
    assert_eq!(
        fit(Color::Rgb(0, 0, 0), ColorLevel::Ansi256),
        Color::Indexed(16)
    );
    // Ramp index = 232 + k for grey 8 + 10k: 128 → k = 12 → 244; 208 → k = 20 → 252.
    // (The nearest cube greys, 135 and 215, are further.)
    assert_eq!(
        fit(Color::Rgb(128, 128, 128), ColorLevel::Ansi256),
        Color::Indexed(244)
    );
    assert_eq!(
        fit(Color::Rgb(208, 208, 208), ColorLevel::Ansi256),
        Color::Indexed(252)
    );
}

#[test]
fn ansi256_orange_rounds_each_channel() {
    // #ff8000: red 255 is step 5 exactly, blue 0 step 0; green 128 is 7 from 135 (step 2) and
    // 33 from 95. Any other red step adds ≥ 1024·40², so 16 + 180 + 12 + 0 = 208.
    assert_eq!(
        fit(Color::Rgb(0xff, 0x80, 0x00), ColorLevel::Ansi256),
        Color::Indexed(208)
    );
}

#[test]
fn ansi256_keeps_named_and_indexed() {
    for color in [Color::LightCyan, Color::Indexed(42), Color::Reset] {
        assert_eq!(fit(color, ColorLevel::Ansi256), color);
    }
}
