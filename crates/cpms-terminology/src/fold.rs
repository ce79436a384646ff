//! Case and accent folding, and the split of text into words, shared by indexing,
//! querying and highlighting so that all three agree on what a word is.

use std::ops::Range;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Appends the folded form of one character: lower case, accents removed, and the few
/// Latin letters that have no decomposition spelled out ("ß" → "ss").
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    decompose_canonical(c, |part| {
        if is_combining_mark(part) {
            return;
        }
        match part {
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            _ => out.extend(part.to_lowercase().filter(|&l| !is_combining_mark(l))),
        }
    });
}

/// Characters that belong to a word. Combining marks count so that a decomposed
/// "e\u{301}" stays one word.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Byte ranges of the words of `text`, in order.
pub(crate) fn word_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|&(_, c)| is_word_char(c))?;
        let mut end = text.len();
        while let Some(&(at, c)) = chars.peek() {
            if !is_word_char(c) {
                end = at;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// Folds `text` into its words joined by single spaces: "Guillain-Barré" → "guillain barre".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for span in word_spans(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in text[span].chars() {
            push_folded(c, &mut out);
        }
    }
    out
}

/// The byte length of the shortest start of `word` whose folded form covers `folded_len`
/// folded bytes; used to highlight the typed part of a word.
pub(crate) fn original_prefix_len(word: &str, folded_len: usize) -> usize {
    let mut folded = String::new();
    for (at, c) in word.char_indices() {
        if folded.len() >= folded_len {
            return at;
        }
        push_folded(c, &mut folded);
    }
    word.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Guillain-Barré syndrome"), "guillain barre syndrome");
        assert_eq!(fold("  Folie à deux "), "folie a deux");
        assert_eq!(fold("Straße, Ærø; ŁÓDŹ"), "strasse aero lodz");
        assert_eq!(
            fold("3-@methylglutaconic aciduria"),
            "3 methylglutaconic aciduria"
        );
        assert_eq!(fold("Cafe\u{301}"), "cafe");
        assert_eq!(fold("--"), "");
    }

    #[test]
    fn word_spans_cover_words_only() {
        let text = "Sézary  disease (SD)";
        let words: Vec<&str> = word_spans(text).map(|r| &text[r]).collect();
        assert_eq!(words, ["Sézary", "disease", "SD"]);
    }

    #[test]
    fn prefix_length_maps_back_through_accents() {
        // "Sé" folds to "se": two folded bytes cover three original bytes.
        assert_eq!(original_prefix_len("Sézary", 2), 3);
        assert_eq!(original_prefix_len("Sézary", 1), 1);
        // "strass" is covered once "ß" is read: "Straß".
        assert_eq!(original_prefix_len("Straße", 6), "Straß".len());
        assert_eq!(original_prefix_len("ab", 10), 2);
    }
}
