//! The shared secret of a TOTP enrolment.

use std::fmt;

use data_encoding::BASE32_NOPAD;
use rand::RngCore as _;

use super::TotpError;

/// Length of generated secrets: 160 bits, the HMAC-SHA-1 block output size RFC 4226 recommends.
const GENERATED_BYTES: usize = 20;
/// Shortest secret accepted when reading a stored one (RFC 4226 requires at least 128 bits).
const MIN_BYTES: usize = 16;

/// A TOTP secret. Stored by the caller as its base32 text; never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    /// A new random 160-bit secret from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = vec![0; GENERATED_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Reads a secret from base32 (RFC 4648, upper or lower case, with or without padding,
    /// spaces ignored), as stored or as typed from an authenticator app's manual entry.
    pub fn from_base32(text: &str) -> Result<Self, TotpError> {
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|e| TotpError::MalformedSecret(e.to_string()))?;
        Self::from_bytes(bytes)
    }

    /// Wraps raw secret bytes (at least 128 bits).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, TotpError> {
        if bytes.len() < MIN_BYTES {
            return Err(TotpError::MalformedSecret(format!(
                "{} bytes is shorter than the minimum of {MIN_BYTES}",
                bytes.len()
            )));
        }
        Ok(Self(bytes))
    }

    /// The secret as unpadded upper-case base32, the form authenticator apps expect.
    pub fn to_base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_are_160_bits_and_distinct() {
        let a = TotpSecret::generate();
        assert_eq!(a.as_bytes().len(), 20);
        assert_eq!(a.to_base32().len(), 32);
        assert_ne!(a, TotpSecret::generate());
    }

    #[test]
    fn base32_round_trips_and_tolerates_typing_variations() {
        let secret = TotpSecret::generate();
        let text = secret.to_base32();
        assert_eq!(TotpSecret::from_base32(&text).unwrap(), secret);
        let typed = text
            .to_lowercase()
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(TotpSecret::from_base32(&typed).unwrap(), secret);
    }

    #[test]
    fn rejects_invalid_or_short_secrets() {
        assert!(matches!(
            TotpSecret::from_base32("not base32 at all!"),
            Err(TotpError::MalformedSecret(_))
        ));
        // 10 bytes: valid base32 but too short.
        assert!(matches!(
            TotpSecret::from_base32("GEZDGNBVGY3TQOJQ"),
            Err(TotpError::MalformedSecret(m)) if m.contains("minimum")
        ));
    }

    #[test]
    fn debug_output_does_not_reveal_the_secret() {
        let secret = TotpSecret::generate();
        assert!(!format!("{secret:?}").contains(&secret.to_base32()));
    }
}
