//! Line breaking: greedy, at spaces, never hyphenating. A word wider than the
//! line is cut between characters so nothing runs past the margin.

use super::font::EmbeddedFont;

/// Breaks `text` into lines no wider than `width` points. Newlines in the
/// text start new lines; an empty paragraph gives an empty line.
pub(super) fn wrap(font: &EmbeddedFont, size: f32, text: &str, width: f32) -> Vec<String> {
    let space = font.width(" ", size);
    let mut lines = Vec::new();
    for paragraph in clean(text).split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in paragraph.split_whitespace() {
            let word_width = font.width(word, size);
            let gap = if line.is_empty() { 0.0 } else { space };
            if line_width + gap + word_width <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_width += gap + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= width {
                line.push_str(word);
                line_width = word_width;
            } else {
                let mut pieces = break_word(font, size, word, width);
                // The last piece stays open so following words can join it.
                line = pieces.pop().unwrap_or_default();
                line_width = font.width(&line, size);
                lines.extend(pieces);
            }
        }
        lines.push(line);
    }
    lines
}

/// Cuts a word into pieces that each fit `width`; every piece holds at
/// least one character, so a column narrower than one glyph still makes
/// progress.
fn break_word(font: &EmbeddedFont, size: f32, word: &str, width: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_width = 0.0;
    for c in word.chars() {
        let char_width = font.width(c.encode_utf8(&mut [0; 4]), size);
        if piece_width + char_width > width && !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
            piece_width = 0.0;
        }
        piece.push(c);
        piece_width += char_width;
    }
    pieces.push(piece);
    pieces
}

/// Shortens `text` with an ellipsis so it fits on one line of `width`.
pub(super) fn truncate(font: &EmbeddedFont, size: f32, text: &str, width: f32) -> String {
    let flat = clean(text).split_whitespace().collect::<Vec<_>>().join(" ");
    if font.width(&flat, size) <= width {
        return flat;
    }
    let budget = width - font.width("…", size);
    let mut kept = String::new();
    for c in flat.chars() {
        kept.push(c);
        if font.width(&kept, size) > budget {
            kept.pop();
            break;
        }
    }
    kept.truncate(kept.trim_end().len());
    kept.push('…');
    kept
}

/// Removes characters that have no business in typeset text (control
/// characters other than line breaks) and turns tabs into spaces.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\r' => None,
            '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}
