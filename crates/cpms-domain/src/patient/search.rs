//! What a search typed into the patient list asks for: the patients whose
//! pseudonym or nickname begins with it. Each is a range of an indexed
//! column, so a search reads only the matching index entries (a substring
//! search would read every patient of the clinician).

use super::Pseudonym;

/// A nickname as the list sorts and searches it: trimmed and in lower
/// case; empty for none.
pub fn nickname_key(nickname: Option<&str>) -> String {
    nickname
        .map(|n| n.trim().to_lowercase())
        .unwrap_or_default()
}

/// A search as ranges of stored values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientSearch {
    /// Nickname keys from this one (inclusive)…
    pub nickname_from: String,
    /// …up to this one (exclusive).
    pub nickname_before: String,
    /// Stored pseudonyms in this inclusive range, when the search could
    /// be the start of one.
    pub pseudonyms: Option<(String, String)>,
}

impl PatientSearch {
    /// `None` when nothing was typed.
    pub fn new(typed: &str) -> Option<Self> {
        // The highest character has no successor; no nickname needs it.
        let from: String = nickname_key(Some(typed))
            .chars()
            .filter(|c| *c != char::MAX)
            .collect();
        let before = successor(&from)?;
        Some(Self {
            nickname_from: from,
            nickname_before: before,
            pseudonyms: Pseudonym::prefix_range(typed),
        })
    }
}

/// The least string above every string that begins with `prefix`, by code
/// point (how SQLite and PostgreSQL's C collations compare text): the
/// prefix with its last character raised by one. `None` for an empty
/// prefix.
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32)?;
    chars.push(next);
    Some(chars.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn searches_are_trimmed_lower_case_prefixes() {
        let search = PatientSearch::new("  Ward ").unwrap();
        assert_eq!(search.nickname_from, "ward");
        assert_eq!(search.nickname_before, "ware");
        assert!(search.pseudonyms.is_some(), "W, A, R and D are symbols");
        assert_eq!(PatientSearch::new("Bett Ü").unwrap().pseudonyms, None);
        assert_eq!(PatientSearch::new("   "), None);
        assert_eq!(nickname_key(Some(" Ward A ")), "ward a");
        assert_eq!(nickname_key(None), "");
    }

    #[test]
    fn the_successor_skips_the_surrogate_gap() {
        assert_eq!(successor("a\u{d7ff}").unwrap(), "a\u{e000}");
        assert_eq!(successor(""), None);
    }

    proptest! {
        #[test]
        fn the_range_holds_exactly_the_keys_that_begin_with_the_search(typed in "\\PC{1,6}", key in "\\PC{0,8}") {
            let Some(search) = PatientSearch::new(&typed) else { return Ok(()) };
            let key = nickname_key(Some(&key));
            let inside = search.nickname_from <= key && key < search.nickname_before;
            prop_assert_eq!(inside, key.starts_with(&search.nickname_from));
        }
    }
}
