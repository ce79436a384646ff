//! Helpers shared by the SVG drawings: escaping of untrusted text and
//! compact number formatting.

use std::fmt::Write;

/// Escapes text for use in XML character data and in quoted attribute
/// values. Characters that XML 1.0 does not allow at all (most control
/// characters) are dropped, so labels cannot break or inject markup.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most two decimals and no trailing zeros, which keeps
/// the markup short and stable.
pub(crate) fn num(value: f32) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    // Avoid "-0".
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    let mut s = String::new();
    let _ = write!(s, "{rounded}");
    s
}

/// Shortens a label to `max` characters, ending with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup_and_drops_invalid_characters() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>\u{0}\u{1b}x\ny"),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;x y"
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.3456), "12.35");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn labels_are_shortened_with_an_ellipsis() {
        assert_eq!(shorten("maternal  aunt", 14), "maternal aunt");
        assert_eq!(shorten("maternal great-aunt", 10), "maternal…");
    }
}
