//! Per-client-address rate limits on every step that checks a secret
//! (rules in `cpms_auth::throttle`). A refused attempt is not checked at all,
//! so it costs the server nothing and teaches the client nothing.

use std::net::IpAddr;

use cpms_auth::throttle::{AttemptKind, ClientKey, RateLimit, ThrottleLimits};
use jiff::SignedDuration;

use crate::{App, AppError, ClientInfo, ErrorCode};

/// The limits for a sign-in burst of `burst`: then one sign-in every 6 s;
/// half as many second-step codes, then one every 12 s (TOTP) or a minute
/// (recovery codes, which are worth more).
pub fn throttle_limits(burst: u32) -> ThrottleLimits {
    let codes = (burst / 2).max(1);
    ThrottleLimits {
        sign_in: RateLimit {
            burst,
            interval: SignedDuration::from_secs(6),
        },
        totp: RateLimit {
            burst: codes,
            interval: SignedDuration::from_secs(12),
        },
        recovery: RateLimit {
            burst: codes,
            interval: SignedDuration::from_secs(60),
        },
    }
}

impl App {
    /// Counts an attempt of `kind` from the client's address, or refuses it.
    /// Requests without a known address (never the case over TCP) pass.
    pub(crate) fn check_rate(
        &self,
        kind: AttemptKind,
        client: &ClientInfo,
    ) -> Result<(), AppError> {
        let Some(addr) = client
            .addr
            .as_deref()
            .and_then(|a| a.parse::<IpAddr>().ok())
        else {
            return Ok(());
        };
        let mut throttle = self
            .throttle()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        throttle
            .attempt(kind, ClientKey::from(addr), self.now())
            .map_err(|refused| {
                tracing::warn!(%addr, ?kind, retry_after = ?refused.retry_after, "attempt rate-limited");
                AppError::new(
                    ErrorCode::TooManyAttempts,
                    format!(
                        "Too many attempts from your network. Please wait {} seconds and try again.",
                        refused.retry_after.as_secs().max(1)
                    ),
                )
            })
    }
}
