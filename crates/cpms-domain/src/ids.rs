//! Typed identifiers. Every entity id is a UUID v7 (time-ordered, so new rows
//! land at the end of indexes) wrapped in its own type so ids of different
//! entities cannot be mixed up.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            pub fn from_uuid(id: uuid::Uuid) -> Self {
                Self(id)
            }

            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s)
                    .map(Self)
                    .map_err(|_| InvalidId { kind: stringify!($name), value: s.chars().take(64).collect() })
            }
        }
    };
}

/// A string that should have been an id of the given kind but is not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {kind}")]
pub struct InvalidId {
    pub kind: &'static str,
    pub value: String,
}

typed_id!(
    /// A person who can sign in.
    UserId
);
typed_id!(
    /// A healthcare provider (hospital), guest-access entry or virtual centre.
    HcpId
);
typed_id!(
    /// One (ERN, HCP, role) membership of a user.
    MembershipId
);
typed_id!(
    /// A thematic area or sub-area of an ERN.
    ThematicAreaId
);
typed_id!(
    /// One event in the audit log.
    AuditEventId
);
typed_id!(
    /// A server-side session.
    SessionId
);
typed_id!(
    /// A message in the mail outbox.
    MailId
);
typed_id!(
    /// An enrolled patient.
    PatientId
);
typed_id!(
    /// A panel: one consultation request and the discussion it opens.
    PanelId
);
typed_id!(
    /// A message in a panel's discussion.
    PostId
);
typed_id!(
    /// One notification to one person.
    NotificationId
);
typed_id!(
    /// A panel meeting; also the stable part of its calendar UID.
    MeetingId
);
typed_id!(
    /// An invitation by e-mail to join a panel as a guest.
    GuestInvitationId
);
typed_id!(
    /// A named list of experts kept by a network.
    ExpertGroupId
);
typed_id!(
    /// A measurement, arrow or text drawn on a frame in the image viewer.
    AnnotationId
);
typed_id!(
    /// A personal API token (bearer credential) of one user.
    ApiTokenId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_version_7_and_ordered() {
        let a = UserId::new();
        let b = UserId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(a < b, "v7 ids generated later sort later");
    }

    #[test]
    fn parse_round_trips_and_names_the_kind_on_error() {
        let id = HcpId::new();
        assert_eq!(id.to_string().parse::<HcpId>(), Ok(id));
        let err = "not-an-id".parse::<HcpId>().unwrap_err();
        assert_eq!(err.to_string(), "'not-an-id' is not a valid HcpId");
    }
}
