//! The pseudonym a patient is known by outside the enrolling hospital.
//!
//! Twelve symbols of Crockford's base 32 (digits and capitals without I, L,
//! O, U, so nothing reads as something else), written in three groups of
//! four: `7KQ4-M2XA-C9HZ`. The first eleven carry 55 random bits, far too
//! many to guess; the last is a Damm check symbol, which catches every
//! single mistyped symbol and every swap of two neighbours.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PAYLOAD: usize = 11;
const LENGTH: usize = PAYLOAD + 1;
const GROUP: usize = 4;

/// How many random bytes [`Pseudonym::from_random`] uses (55 of the bits).
pub const RANDOM_BYTES: usize = 7;

/// A valid pseudonym, stored in its canonical form without separators.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pseudonym(String);

impl Pseudonym {
    /// A pseudonym made from random bytes (the caller draws them from the
    /// operating system's generator; the domain does no IO).
    pub fn from_random(bytes: [u8; RANDOM_BYTES]) -> Self {
        let mut bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut values = [0u8; PAYLOAD];
        for value in values.iter_mut().rev() {
            *value = (bits & 31) as u8;
            bits >>= 5;
        }
        let mut code: String = values
            .iter()
            .map(|v| ALPHABET[*v as usize] as char)
            .collect();
        code.push(ALPHABET[check_value(&values) as usize] as char);
        Self(code)
    }

    /// Reads a pseudonym as a person may type it: any case, with or without
    /// hyphens and spaces, `O` for zero and `I` or `L` for one.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let invalid = |message: &str| InvalidValue::new("pseudonym", message);
        let mut values = Vec::with_capacity(LENGTH);
        for c in input.chars().filter(|c| !matches!(c, '-' | ' ')) {
            values.push(
                symbol_value(c).ok_or_else(|| {
                    invalid("may contain only digits and the letters A–Z except U")
                })?,
            );
        }
        if values.len() != LENGTH {
            return Err(invalid("must have 12 characters, like 7KQ4-M2XA-C9HZ"));
        }
        let (payload, check) = values.split_at(PAYLOAD);
        if check_value(payload) != check[0] {
            return Err(invalid(
                "the check character does not match: a character is mistyped",
            ));
        }
        Ok(Self(
            values
                .iter()
                .map(|v| ALPHABET[*v as usize] as char)
                .collect(),
        ))
    }

    /// The canonical form without separators, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored pseudonyms that begin with `typed` (read as
    /// [`parse`](Self::parse) reads it), as an inclusive range: the prefix
    /// padded with the lowest and the highest symbol. Stored pseudonyms all
    /// have the same length and alphabet, so the range holds exactly those
    /// that begin with the prefix, and an index on the column answers it.
    /// `None` when `typed` cannot begin a pseudonym.
    pub fn prefix_range(typed: &str) -> Option<(String, String)> {
        let prefix = typed
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| symbol_value(c).map(|v| ALPHABET[v as usize] as char))
            .collect::<Option<String>>()?;
        if prefix.is_empty() || prefix.len() > LENGTH {
            return None;
        }
        let pad = |symbol: u8| {
            let mut bound = prefix.clone();
            bound.extend(std::iter::repeat_n(symbol as char, LENGTH - prefix.len()));
            bound
        };
        Some((pad(ALPHABET[0]), pad(ALPHABET[ALPHABET.len() - 1])))
    }
}

/// Damm's check over GF(32): each step maps the running value r and the
/// next symbol v to 2·r ⊕ v (a quasigroup that is totally anti-symmetric
/// because 2 ≠ 1), and the check symbol brings the whole run to zero.
fn check_value(values: &[u8]) -> u8 {
    times_two(values.iter().fold(0, |r, v| times_two(r) ^ v))
}

/// Multiplication by x in GF(2⁵) modulo the primitive x⁵ + x² + 1.
fn times_two(r: u8) -> u8 {
    let shifted = r << 1;
    if shifted & 0b10_0000 != 0 {
        shifted ^ 0b10_0101
    } else {
        shifted
    }
}

fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|a| *a as char == c)
        .map(|p| p as u8)
}

impl fmt::Display for Pseudonym {
    /// Grouped for reading: `7KQ4-M2XA-C9HZ`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(GROUP).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pseudonym({self})")
    }
}

impl TryFrom<String> for Pseudonym {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Pseudonym> for String {
    fn from(p: Pseudonym) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn generated_pseudonyms_read_back_in_any_typing() {
        let p = Pseudonym::from_random([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde]);
        let shown = p.to_string();
        assert_eq!(shown.len(), 14);
        assert_eq!(shown.matches('-').count(), 2);
        assert_eq!(Pseudonym::parse(&shown).unwrap(), p);
        assert_eq!(Pseudonym::parse(&shown.to_lowercase()).unwrap(), p);
        assert_eq!(Pseudonym::parse(&shown.replace('-', " ")).unwrap(), p);
        assert_eq!(Pseudonym::parse(p.as_str()).unwrap(), p);
    }

    #[test]
    fn look_alike_letters_read_as_digits() {
        let p = Pseudonym::from_random([0; RANDOM_BYTES]);
        assert_eq!(p.as_str().len(), 12);
        let typed = p.as_str().replacen('0', "o", 2).replacen('1', "l", 1);
        assert_eq!(Pseudonym::parse(&typed).unwrap(), p);
    }

    #[test]
    fn a_wrong_check_character_is_rejected_with_its_reason() {
        let p = Pseudonym::from_random([9, 8, 7, 6, 5, 4, 3]);
        let mut chars: Vec<char> = p.as_str().chars().collect();
        let last = chars[11];
        chars[11] = if last == 'Z' { 'Y' } else { 'Z' };
        let typo: String = chars.into_iter().collect();
        let err = Pseudonym::parse(&typo).unwrap_err();
        assert!(err.message.contains("check character"), "{err}");
    }

    #[test]
    fn wrong_lengths_and_symbols_are_rejected() {
        assert!(
            Pseudonym::parse("7KQ4-M2XA")
                .unwrap_err()
                .message
                .contains("12 characters")
        );
        assert!(
            Pseudonym::parse("7KQ4-M2XA-C9HU")
                .unwrap_err()
                .message
                .contains("except U")
        );
        assert!(Pseudonym::parse("").is_err());
    }

    #[test]
    fn a_prefix_range_holds_the_pseudonyms_that_begin_with_it() {
        let (low, high) = Pseudonym::prefix_range("7kq4-m").unwrap();
        assert_eq!(
            (low.as_str(), high.as_str()),
            ("7KQ4M0000000", "7KQ4MZZZZZZZ")
        );
        let (low, _) = Pseudonym::prefix_range("o1l").unwrap();
        assert_eq!(low, "011000000000", "look-alikes read as digits");
        assert_eq!(Pseudonym::prefix_range("ward u"), None, "U is not a symbol");
        assert!(Pseudonym::prefix_range("ward b").is_some());
        assert_eq!(Pseudonym::prefix_range("x/"), None);
        assert_eq!(Pseudonym::prefix_range(" - "), None);
        assert_eq!(Pseudonym::prefix_range(&"7".repeat(13)), None);
    }

    proptest! {
        #[test]
        fn prefix_ranges_agree_with_starts_with(bytes in any::<[u8; RANDOM_BYTES]>(), other in any::<[u8; RANDOM_BYTES]>(), len in 1usize..=LENGTH) {
            let p = Pseudonym::from_random(bytes);
            let (low, high) = Pseudonym::prefix_range(&p.as_str()[..len]).unwrap();
            prop_assert!(low.as_str() <= p.as_str() && p.as_str() <= high.as_str());
            let q = Pseudonym::from_random(other);
            let inside = low.as_str() <= q.as_str() && q.as_str() <= high.as_str();
            prop_assert_eq!(inside, q.as_str().starts_with(&p.as_str()[..len]));
        }

        #[test]
        fn every_single_substitution_is_caught(bytes in any::<[u8; RANDOM_BYTES]>(), at in 0usize..LENGTH, by in 1u8..32) {
            let p = Pseudonym::from_random(bytes);
            let mut values: Vec<u8> = p.as_str().chars().map(|c| symbol_value(c).unwrap()).collect();
            values[at] = (values[at] + by) % 32;
            let typo: String = values.iter().map(|v| ALPHABET[*v as usize] as char).collect();
            prop_assert!(Pseudonym::parse(&typo).is_err());
        }

        #[test]
        fn every_neighbour_swap_is_caught(bytes in any::<[u8; RANDOM_BYTES]>(), at in 0usize..LENGTH - 1) {
            let p = Pseudonym::from_random(bytes);
            let mut chars: Vec<char> = p.as_str().chars().collect();
            prop_assume!(chars[at] != chars[at + 1]);
            chars.swap(at, at + 1);
            let typo: String = chars.into_iter().collect();
            prop_assert!(Pseudonym::parse(&typo).is_err());
        }
    }
}
