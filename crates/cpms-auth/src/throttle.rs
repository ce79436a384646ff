//! Rules that slow down password, TOTP and recovery-code guessing. Pure logic: the clock is
//! always passed in, and all state is plain data the web layer keeps in memory or persists.
//!
//! Two independent brakes:
//! - [`RateLimiter`]: per client address, a burst of attempts and then a steady trickle
//!   (generic cell rate algorithm, a token bucket kept as one timestamp per client).
//! - [`AccountLockout`]: per account, after repeated failures the account refuses attempts for
//!   a while, doubling each time, until a success resets it.
//!
//! [`SignInThrottle`] bundles one limiter per kind of attempt with their default limits.

mod client;
mod lockout;
mod rate;

pub use client::ClientKey;
pub use lockout::{AccountLockout, Locked, LockoutPolicy};
pub use rate::{RateLimit, RateLimiter, Throttled};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Adds a duration, saturating at the end of representable time.
fn later(time: Timestamp, duration: SignedDuration) -> Timestamp {
    // Only spans with calendar units can make this fail; a SignedDuration saturates instead.
    time.saturating_add(duration).unwrap_or(Timestamp::MAX)
}

/// What a client is trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttemptKind {
    SignIn,
    Totp,
    Recovery,
}

/// Limits per kind of attempt from one client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottleLimits {
    pub sign_in: RateLimit,
    pub totp: RateLimit,
    pub recovery: RateLimit,
}

impl Default for ThrottleLimits {
    /// Generous enough for a shared hospital NAT, far too slow for guessing: 10 sign-ins then
    /// one every 6 s; 5 TOTP codes then one every 12 s; 5 recovery codes then one a minute.
    fn default() -> Self {
        Self {
            sign_in: RateLimit {
                burst: 10,
                interval: SignedDuration::from_secs(6),
            },
            totp: RateLimit {
                burst: 5,
                interval: SignedDuration::from_secs(12),
            },
            recovery: RateLimit {
                burst: 5,
                interval: SignedDuration::from_secs(60),
            },
        }
    }
}

/// Per-address limiters for every kind of attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignInThrottle {
    sign_in: RateLimiter<ClientKey>,
    totp: RateLimiter<ClientKey>,
    recovery: RateLimiter<ClientKey>,
}

impl SignInThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            sign_in: RateLimiter::new(limits.sign_in),
            totp: RateLimiter::new(limits.totp),
            recovery: RateLimiter::new(limits.recovery),
        }
    }

    /// Counts one attempt of `kind` from `client`, or says how long it must wait.
    pub fn attempt(
        &mut self,
        kind: AttemptKind,
        client: ClientKey,
        now: Timestamp,
    ) -> Result<(), Throttled> {
        let limiter = match kind {
            AttemptKind::SignIn => &mut self.sign_in,
            AttemptKind::Totp => &mut self.totp,
            AttemptKind::Recovery => &mut self.recovery,
        };
        limiter.attempt(client, now)
    }

    /// Forgets clients whose allowance has fully recovered; see [`RateLimiter::prune`].
    pub fn prune(&mut self, now: Timestamp) {
        self.sign_in.prune(now);
        self.totp.prune(now);
        self.recovery.prune(now);
    }
}

impl Default for SignInThrottle {
    fn default() -> Self {
        Self::new(ThrottleLimits::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_attempt_have_separate_allowances() {
        let mut throttle = SignInThrottle::default();
        let client = ClientKey::from("192.0.2.7".parse::<std::net::IpAddr>().unwrap());
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        for _ in 0..5 {
            throttle.attempt(AttemptKind::Totp, client, now).unwrap();
        }
        let refused = throttle
            .attempt(AttemptKind::Totp, client, now)
            .unwrap_err();
        assert_eq!(refused.retry_after, SignedDuration::from_secs(12));
        throttle.attempt(AttemptKind::SignIn, client, now).unwrap();
        throttle
            .attempt(AttemptKind::Recovery, client, now)
            .unwrap();
    }

    #[test]
    fn throttle_state_survives_serialisation() {
        let mut throttle = SignInThrottle::default();
        let client = ClientKey::from("2001:db8::7".parse::<std::net::IpAddr>().unwrap());
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        for _ in 0..5 {
            throttle
                .attempt(AttemptKind::Recovery, client, now)
                .unwrap();
        }
        let json = serde_json::to_string(&throttle).unwrap();
        let mut restored: SignInThrottle = serde_json::from_str(&json).unwrap();
        assert!(
            restored
                .attempt(AttemptKind::Recovery, client, now)
                .is_err()
        );
        assert!(restored.attempt(AttemptKind::SignIn, client, now).is_ok());
    }

    #[test]
    fn later_saturates_instead_of_overflowing() {
        assert_eq!(
            later(Timestamp::MAX, SignedDuration::from_hours(1)),
            Timestamp::MAX
        );
    }
}
