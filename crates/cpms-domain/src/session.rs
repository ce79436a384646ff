//! Server-side sessions: the rules for when one stops being valid.

use jiff::{SignedDuration, Timestamp};

use crate::ids::{SessionId, UserId};
use crate::org::ErnCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user: UserId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// The absolute end, fixed at sign-in.
    pub expires_at: Timestamp,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    /// The network the user is working in (the ERN switcher).
    pub current_ern: Option<ErnCode>,
    /// How far sign-in has got; only a `Full` session opens the application.
    pub stage: SessionStage,
    /// Digest of the account's memberships when the session last served a
    /// request: a change (approval, revocation) rotates the session.
    pub roles_digest: Option<String>,
}

/// How far the sign-in behind a session has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Signed in: every factor the account needs was presented.
    Full,
    /// The password was right; a second factor must follow.
    SecondFactor,
    /// The password was right but the account has no second factor yet:
    /// it must enrol one before anything else.
    Enrolment,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::SecondFactor => "second_factor",
            Self::Enrolment => "enrolment",
        }
    }
}

impl std::str::FromStr for SessionStage {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "full" => Ok(Self::Full),
            "second_factor" => Ok(Self::SecondFactor),
            "enrolment" => Ok(Self::Enrolment),
            other => Err(format!("unknown session stage '{other}'")),
        }
    }
}

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ends a session nobody used for this long.
    pub idle: SignedDuration,
    /// Ends every session this long after sign-in.
    pub absolute: SignedDuration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            idle: SignedDuration::from_mins(30),
            absolute: SignedDuration::from_hours(12),
        }
    }
}

/// Why a session can no longer be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    Idle,
    Absolute,
}

impl Session {
    /// Whether the session may serve a request at `now`.
    pub fn check(&self, now: Timestamp, limits: SessionLimits) -> Result<(), SessionEnd> {
        if now >= self.expires_at {
            return Err(SessionEnd::Absolute);
        }
        if now.duration_since(self.last_seen_at) >= limits.idle {
            return Err(SessionEnd::Idle);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn session(last_seen: &str) -> Session {
        Session {
            id: SessionId::new(),
            user: UserId::new(),
            created_at: at("2026-11-23T08:00:00Z"),
            last_seen_at: at(last_seen),
            expires_at: at("2026-11-23T20:00:00Z"),
            client_addr: None,
            user_agent: None,
            current_ern: None,
            stage: SessionStage::Full,
            roles_digest: None,
        }
    }

    #[test]
    fn idle_and_absolute_limits_end_a_session() {
        let limits = SessionLimits::default();
        let s = session("2026-11-23T09:00:00Z");
        assert_eq!(s.check(at("2026-11-23T09:29:59Z"), limits), Ok(()));
        assert_eq!(
            s.check(at("2026-11-23T09:30:00Z"), limits),
            Err(SessionEnd::Idle)
        );
        let busy = session("2026-11-23T19:59:00Z");
        assert_eq!(
            busy.check(at("2026-11-23T20:00:00Z"), limits),
            Err(SessionEnd::Absolute)
        );
    }
}
