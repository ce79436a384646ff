//! Time-based one-time passwords (RFC 6238 on HMAC-SHA-1), as authenticator apps produce them.
//!
//! [`Totp::verify`] accepts the code of the current time step and of one step either side (clock
//! drift between phone and server), and returns the step that matched. The caller stores that
//! step with the enrolment and passes it back next time: a code for that step or an earlier one
//! is then refused as [`TotpError::Replayed`], so an observed code cannot be used twice.

mod enrolment;
mod secret;

pub use enrolment::qr_svg;
pub use secret::TotpSecret;

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use subtle::ConstantTimeEq as _;

/// Why a TOTP operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("the code is not valid")]
    Invalid,
    #[error("the code has already been used")]
    Replayed,
    #[error("the TOTP secret is malformed: {0}")]
    MalformedSecret(String),
    #[error("the TOTP settings are invalid: {0}")]
    InvalidSettings(String),
    #[error("cannot build the enrolment QR code: {0}")]
    QrCode(String),
}

/// TOTP settings. The defaults (6 digits, 30 s, one step of drift) are what every common
/// authenticator app supports; change them only with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totp {
    /// Code length, 6 to 8.
    pub digits: u32,
    /// Length of a time step in seconds.
    pub period_secs: u64,
    /// Steps accepted either side of the current one.
    pub skew_steps: u64,
}

impl Default for Totp {
    fn default() -> Self {
        Self {
            digits: 6,
            period_secs: 30,
            skew_steps: 1,
        }
    }
}

impl Totp {
    /// Checks the settings; the other methods assume they hold.
    pub fn validate(&self) -> Result<(), TotpError> {
        if !(6..=8).contains(&self.digits) {
            return Err(TotpError::InvalidSettings(format!(
                "digits must be 6 to 8, not {}",
                self.digits
            )));
        }
        if self.period_secs == 0 {
            return Err(TotpError::InvalidSettings("period must be positive".into()));
        }
        Ok(())
    }

    /// The time step `now` falls in, or `None` before the Unix epoch.
    pub fn step_at(&self, now: Timestamp) -> Option<u64> {
        let seconds = u64::try_from(now.as_second()).ok()?;
        Some(seconds / self.period_secs.max(1))
    }

    /// The code for a time step (RFC 4226 dynamic truncation), zero-padded to `digits`.
    pub fn code_at_step(&self, secret: &TotpSecret, step: u64) -> String {
        let mut mac = <Hmac<Sha1>>::new_from_slice(secret.as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let truncated = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        let digits = self.digits.clamp(6, 8);
        let code = truncated % 10u32.pow(digits);
        format!("{code:0width$}", width = digits as usize)
    }

    /// Verifies a code typed by the user (spaces ignored) at time `now`.
    ///
    /// `last_used_step` is the step returned by the previous successful verification for this
    /// enrolment, if any. On success returns the matched step, which the caller must store.
    pub fn verify(
        &self,
        secret: &TotpSecret,
        code: &str,
        now: Timestamp,
        last_used_step: Option<u64>,
    ) -> Result<u64, TotpError> {
        self.validate()?;
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != self.digits as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TotpError::Invalid);
        }
        let current = self.step_at(now).ok_or(TotpError::Invalid)?;
        let first = current.saturating_sub(self.skew_steps);
        let last = current.saturating_add(self.skew_steps);
        // Prefer the newest matching step, and compare every candidate so timing does not
        // reveal which step matched.
        let mut matched = None;
        for step in first..=last {
            let expected = self.code_at_step(secret, step);
            if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
                matched = Some(step);
            }
        }
        match (matched, last_used_step) {
            (None, _) => Err(TotpError::Invalid),
            (Some(step), Some(used)) if step <= used => Err(TotpError::Replayed),
            (Some(step), _) => Ok(step),
        }
    }

    /// The `otpauth://` URI an authenticator app reads from the enrolment QR code.
    /// `issuer` names the service (no colon) and `account` the user within it.
    pub fn provisioning_uri(
        &self,
        secret: &TotpSecret,
        issuer: &str,
        account: &str,
    ) -> Result<String, TotpError> {
        enrolment::provisioning_uri(self, secret, issuer, account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890".to_vec()).unwrap()
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).unwrap()
    }

    #[test]
    fn matches_the_rfc_6238_sha1_test_vectors() {
        let totp = Totp {
            digits: 8,
            ..Totp::default()
        };
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (time, expected) in vectors {
            let step = totp.step_at(at(time)).unwrap();
            assert_eq!(totp.code_at_step(&rfc_secret(), step), expected, "T={time}");
            assert_eq!(
                totp.verify(&rfc_secret(), expected, at(time), None),
                Ok(step)
            );
        }
    }

    #[test]
    fn six_digit_codes_are_the_low_digits_of_the_rfc_values() {
        let totp = Totp::default();
        assert_eq!(totp.code_at_step(&rfc_secret(), 1), "287082");
        assert_eq!(totp.code_at_step(&rfc_secret(), 37_037_036), "081804");
    }

    #[test]
    fn accepts_one_step_of_drift_either_way_and_no_more() {
        let totp = Totp::default();
        let secret = TotpSecret::generate();
        let now = at(1_700_000_000);
        let step = totp.step_at(now).unwrap();
        for offset in [-1i64, 0, 1] {
            let s = step.checked_add_signed(offset).unwrap();
            let code = totp.code_at_step(&secret, s);
            assert_eq!(totp.verify(&secret, &code, now, None), Ok(s));
        }
        for offset in [-2i64, 2] {
            let code = totp.code_at_step(&secret, step.checked_add_signed(offset).unwrap());
            assert_eq!(
                totp.verify(&secret, &code, now, None),
                Err(TotpError::Invalid)
            );
        }
    }

    #[test]
    fn a_used_step_and_earlier_ones_are_replays() {
        let totp = Totp::default();
        let secret = TotpSecret::generate();
        let now = at(1_700_000_000);
        let code = totp.code_at_step(&secret, totp.step_at(now).unwrap());
        let used = totp.verify(&secret, &code, now, None).unwrap();
        assert_eq!(
            totp.verify(&secret, &code, now, Some(used)),
            Err(TotpError::Replayed)
        );
        let previous = totp.code_at_step(&secret, used - 1);
        assert_eq!(
            totp.verify(&secret, &previous, now, Some(used)),
            Err(TotpError::Replayed)
        );
        let next = totp.code_at_step(&secret, used + 1);
        assert_eq!(totp.verify(&secret, &next, now, Some(used)), Ok(used + 1));
    }

    #[test]
    fn malformed_codes_are_invalid_and_spaces_are_ignored() {
        let totp = Totp::default();
        let secret = rfc_secret();
        let now = at(59);
        assert_eq!(totp.verify(&secret, "287 082", now, None), Ok(1));
        for bad in ["", "28708", "2870823", "28708a", "２８７０８２"] {
            assert_eq!(
                totp.verify(&secret, bad, now, None),
                Err(TotpError::Invalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_wrong_secret_does_not_verify() {
        let totp = Totp::default();
        let now = at(1_700_000_000);
        let code = totp.code_at_step(&rfc_secret(), totp.step_at(now).unwrap());
        assert_eq!(
            totp.verify(&TotpSecret::generate(), &code, now, None),
            Err(TotpError::Invalid)
        );
    }

    #[test]
    fn times_before_the_epoch_never_verify() {
        let totp = Totp::default();
        assert_eq!(totp.step_at(at(-1)), None);
        assert_eq!(
            totp.verify(&rfc_secret(), "287082", at(-1), None),
            Err(TotpError::Invalid)
        );
    }

    #[test]
    fn invalid_settings_are_reported() {
        for totp in [
            Totp {
                digits: 5,
                ..Totp::default()
            },
            Totp {
                digits: 9,
                ..Totp::default()
            },
            Totp {
                period_secs: 0,
                ..Totp::default()
            },
        ] {
            assert!(matches!(
                totp.verify(&rfc_secret(), "123456", at(59), None),
                Err(TotpError::InvalidSettings(_))
            ));
        }
    }
}
