//! Single-use recovery codes for when a person has lost their second factor.
//!
//! A code is 12 characters of Crockford's base32 alphabet (digits and lower-case letters
//! without `i`, `l`, `o`, `u`), shown as `xxxx-xxxx-xxxx`: 60 random bits. When read back,
//! case, dashes and spaces are ignored and the look-alikes `i`/`l` (for `1`) and `o` (for `0`)
//! are accepted, so a code copied from paper still works.
//!
//! Codes are stored as `sha256:<hex>` of their canonical form. A slow password hash is not
//! needed: slow hashes protect low-entropy secrets people choose, while these are uniformly
//! random, so recovering one from its hash takes on the order of 2^59 SHA-256 evaluations.
//! A fast hash also lets [`verify_recovery_code`] check all ten stored hashes on every attempt
//! without the cost of ten Argon2 runs. Someone who can read the hashes can already read the
//! TOTP secrets stored beside them, so a slower hash here would not protect the account more.

use rand::Rng as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// How many codes a set holds.
pub const RECOVERY_CODE_COUNT: usize = 10;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const CODE_CHARS: usize = 12;
const GROUP: usize = 4;
const HASH_PREFIX: &str = "sha256:";

/// A freshly generated set: `codes` are shown to the user once, `hashes` are stored. Both are in
/// the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
    pub hashes: Vec<String>,
}

/// Generates [`RECOVERY_CODE_COUNT`] codes from the operating system's generator. A new set
/// replaces any previous one.
pub fn generate_recovery_codes() -> RecoveryCodes {
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let canonical: String = (0..CODE_CHARS)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect();
            display_form(&canonical)
        })
        .collect();
    let hashes = codes
        .iter()
        .filter_map(|code| canonical_form(code))
        .map(|canonical| hash(&canonical))
        .collect();
    RecoveryCodes { codes, hashes }
}

/// Checks a code typed by the user against the stored hashes of their unused codes. Returns the
/// index of the matching hash, which the caller must delete (or mark used) before accepting the
/// sign-in, so that a code works once.
pub fn verify_recovery_code<S: AsRef<str>>(input: &str, stored_hashes: &[S]) -> Option<usize> {
    let candidate = hash(&canonical_form(input)?);
    // Compare against every stored hash so the time taken does not depend on which one matched.
    let mut matched = None;
    for (index, stored) in stored_hashes.iter().enumerate() {
        if bool::from(stored.as_ref().as_bytes().ct_eq(candidate.as_bytes())) {
            matched = Some(index);
        }
    }
    matched
}

fn display_form(canonical: &str) -> String {
    canonical
        .as_bytes()
        .chunks(GROUP)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The 12 alphabet characters of a typed code, or `None` if it cannot be a code.
fn canonical_form(input: &str) -> Option<String> {
    let canonical: String = input
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| match c.to_ascii_lowercase() {
            'i' | 'l' => '1',
            'o' => '0',
            other => other,
        })
        .collect();
    let valid = canonical.len() == CODE_CHARS && canonical.bytes().all(|b| ALPHABET.contains(&b));
    valid.then_some(canonical)
}

fn hash(canonical: &str) -> String {
    format!(
        "{HASH_PREFIX}{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn generates_ten_distinct_readable_codes_with_matching_hashes() {
        let set = generate_recovery_codes();
        assert_eq!(set.codes.len(), RECOVERY_CODE_COUNT);
        assert_eq!(set.hashes.len(), RECOVERY_CODE_COUNT);
        assert_eq!(
            set.codes.iter().collect::<HashSet<_>>().len(),
            RECOVERY_CODE_COUNT
        );
        for (index, code) in set.codes.iter().enumerate() {
            assert_eq!(code.len(), 14, "{code}");
            assert_eq!(code.matches('-').count(), 2, "{code}");
            assert!(
                code.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)),
                "{code}"
            );
            assert_eq!(verify_recovery_code(code, &set.hashes), Some(index));
        }
    }

    #[test]
    fn hashes_do_not_contain_the_code() {
        let set = generate_recovery_codes();
        let canonical = canonical_form(&set.codes[0]).unwrap();
        assert!(set.hashes[0].starts_with("sha256:"));
        assert_eq!(set.hashes[0].len(), 7 + 64);
        assert!(!set.hashes[0].contains(&canonical));
    }

    #[test]
    fn typed_variations_of_a_code_still_match() {
        let hashes = [hash("0123456789ab"), hash("1bcd1efgh0jk")];
        assert_eq!(verify_recovery_code("0123-4567-89ab", &hashes), Some(0));
        assert_eq!(verify_recovery_code(" 0123 4567 89AB ", &hashes), Some(0));
        assert_eq!(verify_recovery_code("O123-4567-89ab", &hashes), Some(0));
        assert_eq!(verify_recovery_code("lbcd-iefg-hOjk", &hashes), Some(1));
    }

    #[test]
    fn wrong_malformed_or_burnt_codes_do_not_match() {
        let mut set = generate_recovery_codes();
        assert_eq!(verify_recovery_code("0000-0000-0000", &set.hashes), None);
        assert_eq!(verify_recovery_code("", &set.hashes), None);
        assert_eq!(verify_recovery_code("uuuu-uuuu-uuuu", &set.hashes), None);
        let short = &set.codes[3][..13];
        assert_eq!(verify_recovery_code(short, &set.hashes), None);
        let code = set.codes[3].clone();
        let index = verify_recovery_code(&code, &set.hashes).unwrap();
        set.hashes.remove(index);
        assert_eq!(verify_recovery_code(&code, &set.hashes), None);
    }
}
