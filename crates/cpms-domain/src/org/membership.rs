use serde::{Deserialize, Serialize};

use super::{ErnCode, HcpCode, InvalidValue, Role};
use crate::ids::{HcpId, MembershipId, UserId};

/// Where an access request or a granted membership stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    Requested,
    Approved,
    Rejected,
    Revoked,
    Expired,
}

impl MembershipStatus {
    pub const ALL: [MembershipStatus; 5] = [
        Self::Requested,
        Self::Approved,
        Self::Rejected,
        Self::Revoked,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                InvalidValue::new("status", format!("unknown membership status '{raw}'"))
            })
    }
}

/// A user's role within one ERN at one HCP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: MembershipId,
    pub user: UserId,
    pub ern: ErnCode,
    pub hcp: HcpId,
    pub hcp_code: HcpCode,
    /// For display ("IT08 AOU Pisana").
    pub hcp_name: String,
    pub role: Role,
    pub status: MembershipStatus,
    /// Guests' memberships end on this date.
    pub expires_at: Option<jiff::Timestamp>,
}

impl Membership {
    /// Whether the membership grants its role at `now`.
    pub fn is_active(&self, now: jiff::Timestamp) -> bool {
        self.status == MembershipStatus::Approved && self.expires_at.is_none_or(|end| now < end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(status: MembershipStatus, expires_at: Option<jiff::Timestamp>) -> Membership {
        Membership {
            id: MembershipId::new(),
            user: UserId::new(),
            ern: ErnCode::parse("BOND").unwrap(),
            hcp: HcpId::new(),
            hcp_code: HcpCode::parse("IT08").unwrap(),
            hcp_name: "AOU Pisana".into(),
            role: Role::GuestConsult,
            status,
            expires_at,
        }
    }

    #[test]
    fn only_approved_unexpired_memberships_are_active() {
        let now: jiff::Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        let later: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let earlier: jiff::Timestamp = "2026-11-01T00:00:00Z".parse().unwrap();
        assert!(membership(MembershipStatus::Approved, None).is_active(now));
        assert!(membership(MembershipStatus::Approved, Some(later)).is_active(now));
        assert!(!membership(MembershipStatus::Approved, Some(earlier)).is_active(now));
        assert!(!membership(MembershipStatus::Approved, Some(now)).is_active(now));
        for status in [
            MembershipStatus::Requested,
            MembershipStatus::Rejected,
            MembershipStatus::Revoked,
        ] {
            assert!(!membership(status, None).is_active(now));
        }
    }
}
