//! Download names that cannot escape a directory, break a header or hide
//! their type: letters, digits and a few separators, with the extension of
//! the checked type.

use super::MediaType;

const MAX_STEM_CHARS: usize = 80;

pub fn safe_file_name(uploaded: &str, media_type: MediaType) -> String {
    // Browsers on Windows may send the whole path.
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => base,
    };
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_STEM_CHARS)
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == ' ' || c == '_');
    let stem = if cleaned.is_empty() {
        "attachment"
    } else {
        cleaned
    };
    format!("{stem}.{}", media_type.extension())
}
