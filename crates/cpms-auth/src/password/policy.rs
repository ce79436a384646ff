//! What a new password must satisfy: length bounds and not being a well-known password.
//! There are deliberately no composition rules (digits, symbols, mixed case): they push people
//! towards predictable patterns without making passwords harder to guess.

use std::fmt;

use super::{common, normalise};

/// Default minimum length, in Unicode scalar values of the NFC form.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Maximum length in bytes of the password as received; bounds the work an attacker can cause.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("the password must be at least {min} characters long")]
    TooShort { min: usize },
    #[error("the password must be at most {max_bytes} bytes long")]
    TooLong { max_bytes: usize },
    #[error("the password is one of the most commonly used passwords")]
    Common,
}

/// The rules a newly chosen password must follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum number of Unicode scalar values after NFC normalisation.
    pub min_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_chars: MIN_PASSWORD_CHARS,
        }
    }
}

impl PasswordPolicy {
    /// Checks a candidate password; on success returns it in the form that gets hashed.
    pub fn check(&self, candidate: &str) -> Result<NewPassword, PolicyError> {
        if candidate.len() > MAX_PASSWORD_BYTES {
            return Err(PolicyError::TooLong {
                max_bytes: MAX_PASSWORD_BYTES,
            });
        }
        let normalised = normalise(candidate);
        if normalised.chars().count() < self.min_chars {
            return Err(PolicyError::TooShort {
                min: self.min_chars,
            });
        }
        if common::is_common(&normalised) {
            return Err(PolicyError::Common);
        }
        Ok(NewPassword(normalised))
    }
}

/// A password that passed [`PasswordPolicy::check`], NFC-normalised. Only these can be hashed,
/// so no code path stores a password that skipped the policy.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(candidate: &str) -> Result<NewPassword, PolicyError> {
        PasswordPolicy::default().check(candidate)
    }

    #[test]
    fn accepts_a_long_uncommon_password_without_composition_rules() {
        assert!(check("violet harbour kestrel").is_ok());
        assert!(check("alllowercaseletters").is_ok());
    }

    #[test]
    fn rejects_short_passwords_with_the_minimum_in_the_error() {
        assert_eq!(
            check("elevenchars").unwrap_err(),
            PolicyError::TooShort { min: 12 }
        );
        assert!(check("twelve chars").is_ok());
    }

    #[test]
    fn counts_characters_not_bytes() {
        // Twelve characters, 24 bytes in UTF-8.
        assert!(check("ééééééééééé1").is_ok());
        // Eleven characters (Greek), 22 bytes.
        assert_eq!(
            check("αβγδεζηθικλ").unwrap_err(),
            PolicyError::TooShort { min: 12 }
        );
    }

    #[test]
    fn counts_characters_after_composition() {
        // Six "e + combining acute" pairs: twelve scalar values typed, six after NFC.
        let decomposed = "e\u{301}".repeat(6);
        assert_eq!(decomposed.chars().count(), 12);
        assert_eq!(
            check(&decomposed).unwrap_err(),
            PolicyError::TooShort { min: 12 }
        );
    }

    #[test]
    fn composed_and_decomposed_input_give_the_same_password() {
        let composed = check("caf\u{e9} au lait 2024").unwrap();
        let decomposed = check("cafe\u{301} au lait 2024").unwrap();
        assert_eq!(composed, decomposed);
    }

    #[test]
    fn rejects_passwords_over_the_byte_limit() {
        assert!(check(&"a".repeat(MAX_PASSWORD_BYTES)).is_ok());
        assert_eq!(
            check(&"a".repeat(MAX_PASSWORD_BYTES + 1)).unwrap_err(),
            PolicyError::TooLong { max_bytes: 1024 }
        );
        // 513 two-byte characters: under the byte limit in characters, over it in bytes.
        assert_eq!(
            check(&"é".repeat(513)).unwrap_err(),
            PolicyError::TooLong { max_bytes: 1024 }
        );
    }

    #[test]
    fn rejects_common_passwords_whatever_their_case() {
        assert_eq!(check("qwerty123456").unwrap_err(), PolicyError::Common);
        assert_eq!(check("123QweAsdZxc").unwrap_err(), PolicyError::Common);
        assert_eq!(check("1Q2W3E4R5T6Y").unwrap_err(), PolicyError::Common);
    }

    #[test]
    fn minimum_is_configurable() {
        let policy = PasswordPolicy { min_chars: 20 };
        assert_eq!(policy.check("violet harbour kestrel").map(|_| ()), Ok(()));
        assert_eq!(
            policy.check("violet harbour").unwrap_err(),
            PolicyError::TooShort { min: 20 }
        );
    }

    #[test]
    fn debug_output_does_not_reveal_the_password() {
        let password = check("violet harbour kestrel").unwrap();
        assert!(!format!("{password:?}").contains("violet"));
    }
}
