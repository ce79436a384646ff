use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::{ApiTokenId, HcpId, SessionId, UserId};
use cpms_domain::org::{ErnCode, Membership};
use cpms_domain::policy::{Actor, Assisting};
use cpms_domain::session::SessionStage;
use cpms_domain::user::User;

/// Where a request came from, for sessions and the audit log.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub addr: Option<String>,
    pub user_agent: Option<String>,
}

/// A signed-in user making a request, resolved from their session.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub memberships: Vec<Membership>,
    pub session: SessionId,
    /// The session's new token when this request rotated it (the roles
    /// changed): the response must set it as the cookie.
    pub rotated_to: Option<crate::auth::SessionToken>,
    pub current_ern: Option<ErnCode>,
    /// How far sign-in has got; anything but `Full` opens only the second
    /// step or enrolment.
    pub stage: SessionStage,
    pub client: ClientInfo,
    pub now: jiff::Timestamp,
    /// The clinician this assistant chose to act for in this session, while
    /// the clinician's naming stands accepted.
    pub on_behalf_of: Option<OnBehalfOf>,
    /// The personal API token this request authenticated with (a bearer
    /// request), instead of a browser session.
    pub api_token: Option<ApiTokenId>,
}

/// The clinician an assistant acts for, and the hospital where they were
/// named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnBehalfOf {
    pub clinician: UserId,
    pub name: String,
    pub hcp: HcpId,
}

impl Caller {
    /// The caller as the access policy sees them.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.user.id,
            administrator: self.user.administrator,
            memberships: self.memberships.clone(),
            now: self.now,
            acting_for: self.on_behalf_of.as_ref().map(|o| Assisting {
                clinician: o.clinician,
                hcp: o.hcp,
            }),
        }
    }

    /// An audit event of something the caller did: by them, on behalf of
    /// the clinician they act for, from their address.
    pub fn audit_event(
        &self,
        action: impl Into<String>,
        target: impl Into<String>,
        outcome: Outcome,
    ) -> NewEvent {
        NewEvent::new(action, target, outcome)
            .by(self.user.id)
            .on_behalf_of(self.clinician_acted_for())
            .from_addr(self.client.addr.clone())
    }

    /// The clinician acted for, as audit events record it.
    pub fn clinician_acted_for(&self) -> Option<UserId> {
        self.on_behalf_of.as_ref().map(|o| o.clinician)
    }

    /// Whose patients the caller works with: the clinician acted for, or
    /// their own.
    pub fn works_for(&self) -> UserId {
        self.clinician_acted_for().unwrap_or(self.user.id)
    }

    /// Active memberships only.
    pub fn active_memberships(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(|m| m.is_active(self.now))
    }

    /// The ERNs the caller works in, in membership order, without repeats.
    pub fn erns(&self) -> Vec<ErnCode> {
        let mut erns: Vec<ErnCode> = Vec::new();
        for m in self.active_memberships() {
            if !erns.contains(&m.ern) {
                erns.push(m.ern.clone());
            }
        }
        erns
    }

    /// The ERN the header shows: the chosen one, else the first.
    pub fn working_ern(&self) -> Option<ErnCode> {
        let erns = self.erns();
        match &self.current_ern {
            Some(ern) if erns.contains(ern) => Some(ern.clone()),
            _ => erns.into_iter().next(),
        }
    }
}
