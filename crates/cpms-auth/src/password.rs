//! Passwords: what may be chosen ([`PasswordPolicy`]) and how it is stored ([`PasswordHasher`]).
//!
//! Passwords are compared in Unicode Normalization Form C: the same characters typed on
//! systems that compose accents differently (a precomposed `é` or `e` + combining accent) give
//! the same password. The policy counts Unicode scalar values (`char`s) of the NFC form, so an
//! accented letter counts once however it was typed. The byte limit applies to the input as
//! received, before any work is done on it.

mod common;
mod hashing;
mod policy;

pub use hashing::{HashCost, PasswordError, PasswordHasher};
pub use policy::{
    MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, NewPassword, PasswordPolicy, PolicyError,
};

use unicode_normalization::UnicodeNormalization;

/// The form in which passwords are checked and hashed.
fn normalise(password: &str) -> String {
    password.nfc().collect()
}
