//! The embedded list of common passwords (see `data/common-passwords.LICENSE` for its source).

use std::collections::HashSet;
use std::io::Read;
use std::sync::LazyLock;

use flate2::read::GzDecoder;

/// The list exactly as published upstream: gzip-compressed, one lower-case password a line.
const COMPRESSED: &[u8] = include_bytes!("../../data/common-passwords.txt.gz");

static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    // The data is compiled in and a unit test decompresses it, so failure here means a broken
    // build rather than bad input.
    decompress(COMPRESSED).expect("the embedded common-password list is valid gzip UTF-8")
});

fn decompress(compressed: &[u8]) -> std::io::Result<HashSet<String>> {
    let mut text = String::new();
    GzDecoder::new(compressed).read_to_string(&mut text)?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_lowercase)
        .collect())
}

/// Whether `password` (already normalised) is on the list, ignoring case.
pub(super) fn is_common(password: &str) -> bool {
    COMMON.contains(&password.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_decompresses_to_at_least_ten_thousand_entries() {
        let list = decompress(COMPRESSED).unwrap();
        assert!(list.len() >= 10_000, "only {} entries", list.len());
    }

    #[test]
    fn known_entries_match_in_any_case() {
        assert!(is_common("password"));
        assert!(is_common("PassWord"));
        assert!(is_common("qwertyuiop"));
        assert!(!is_common("violet harbour kestrel 42"));
    }

    #[test]
    fn corrupted_data_is_an_error_not_a_panic() {
        assert!(decompress(b"not gzip at all").is_err());
    }
}
