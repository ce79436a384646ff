use jiff::{SignedDuration, Timestamp};

use crate::ids::{MembershipId, UserId};
use crate::org::{ErnCode, HcpCode, MembershipStatus, Role};

/// Roles a member may request in addition to the one they joined with.
pub const EXTRA_ROLES: [Role; 6] = [
    Role::Coordinator,
    Role::Dispatcher,
    Role::PanelManagerErn,
    Role::PanelManagerHcp,
    Role::Researcher,
    Role::RegistryUser,
];

/// A membership as an access request: who asks for what, where, and how
/// it was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequest {
    pub id: MembershipId,
    pub user: UserId,
    pub applicant: String,
    pub email: String,
    pub ern: ErnCode,
    pub hcp_code: HcpCode,
    pub hcp_name: String,
    pub country: Option<String>,
    pub role: Role,
    pub status: MembershipStatus,
    pub comment: Option<String>,
    pub requested_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    pub reason: Option<String>,
    pub expires_at: Option<Timestamp>,
}

/// What a coordinator decides about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestDecision {
    Approve,
    /// Rejections carry the reason the applicant is told.
    Reject {
        reason: String,
    },
}

impl RequestDecision {
    pub fn status(&self) -> MembershipStatus {
        match self {
            Self::Approve => MembershipStatus::Approved,
            Self::Reject { .. } => MembershipStatus::Rejected,
        }
    }
}

/// When a guest membership granted (or extended) at `now` ends: a period
/// after the later of now and its current end, so extending never shortens.
pub fn guest_expiry(
    current: Option<Timestamp>,
    now: Timestamp,
    period: SignedDuration,
) -> Timestamp {
    let from = current.filter(|end| *end > now).unwrap_or(now);
    from.saturating_add(period).unwrap_or(from)
}

/// How long the sender waits after the `attempts`-th failed delivery:
/// doubling from 2 seconds, at most an hour.
pub fn mail_retry_delay(attempts: u32) -> SignedDuration {
    let secs = 2i64.saturating_mul(1i64 << attempts.saturating_sub(1).min(20));
    SignedDuration::from_secs(secs.min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extending_adds_to_the_later_of_now_and_the_current_end() {
        let now: Timestamp = "2026-11-23T00:00:00Z".parse().unwrap();
        let days = |d: i64| SignedDuration::from_hours(24 * d);
        let later = now.saturating_add(days(10)).unwrap();
        assert_eq!(
            guest_expiry(None, now, days(90)),
            now.saturating_add(days(90)).unwrap()
        );
        assert_eq!(
            guest_expiry(Some(later), now, days(90)),
            later.saturating_add(days(90)).unwrap()
        );
        let past = now.saturating_sub(days(10)).unwrap();
        assert_eq!(
            guest_expiry(Some(past), now, days(90)),
            now.saturating_add(days(90)).unwrap()
        );
    }

    #[test]
    fn mail_back_off_doubles_up_to_an_hour() {
        assert_eq!(mail_retry_delay(1), SignedDuration::from_secs(2));
        assert_eq!(mail_retry_delay(2), SignedDuration::from_secs(4));
        assert_eq!(mail_retry_delay(5), SignedDuration::from_secs(32));
        assert_eq!(mail_retry_delay(40), SignedDuration::from_secs(3600));
    }

    #[test]
    fn only_a_rejection_carries_a_reason() {
        assert_eq!(
            RequestDecision::Approve.status(),
            MembershipStatus::Approved
        );
        let reject = RequestDecision::Reject {
            reason: "not a member hospital".into(),
        };
        assert_eq!(reject.status(), MembershipStatus::Rejected);
    }
}
