//! Text helpers shared by the panes: wrapping and Keras' number formats. (User strings go
//! through `caps::visible`.)

/// Greedy word wrap to `width` columns (counted in chars; the texts are our own and plain).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ') {
        let wl = word.chars().count();
        if len > 0 && len + 1 + wl > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        if wl > width {
            for c in word.chars() {
                if len == width {
                    lines.push(std::mem::take(&mut line));
                    len = 0;
                }
                line.push(c);
                len += 1;
            }
        } else {
            line.push_str(word);
            len += wl;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Memory for `params` float32 numbers, as Keras' summary prints it: `234.02 KB`.
pub fn bytes(params: u64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut size = params as f64 * 4.0;
    for unit in &units[..units.len() - 1] {
        if size / 1024.0 < 1.0 {
            return format!("{size:.2} {unit}");
        }
        size /= 1024.0;
    }
    format!("{size:.2} {}", units[units.len() - 1])
}

/// A signed change with thousands separators: `+4,160`, `-64`.
pub fn delta(d: i128) -> String {
    let sign = if d < 0 { '-' } else { '+' };
    let abs = u64::try_from(d.unsigned_abs()).unwrap_or(u64::MAX);
    format!("{sign}{}", crate::model::explain::thousands(abs))
}

/// `part` as a share of `whole`: `30.3%`.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// `line` with `style` laid over every span, so a selection colour wins over the spans' own.
pub fn highlight(
    mut line: ratatui::text::Line<'static>,
    style: ratatui::style::Style,
) -> ratatui::text::Line<'static> {
    for span in &mut line.spans {
        span.style = span.style.patch(style);
    }
    line.style = line.style.patch(style);
    line
}
