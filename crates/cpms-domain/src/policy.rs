//! The one place where access is decided (ARCHITECTURE.md: handlers never
//! check roles themselves). `can(actor, action, resource)` answers from the
//! actor's active memberships; every rule is a row of `rule_for`.

use serde::Serialize;

use crate::ids::{HcpId, UserId};
use crate::org::{ErnCode, Membership, Role};

/// Who is asking, with the memberships they hold.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: UserId,
    /// Platform operations; never clinical content.
    pub administrator: bool,
    pub memberships: Vec<Membership>,
    /// When the question is asked; memberships may have expired.
    pub now: jiff::Timestamp,
}

impl Actor {
    /// Memberships that grant their role right now.
    pub fn active(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(|m| m.is_active(self.now))
    }

    fn holds(&self, roles: &[Role], scope: impl Fn(&Membership) -> bool) -> bool {
        self.active().any(|m| roles.contains(&m.role) && scope(m))
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See a network's workspace: its panels, queue and hospitals.
    ViewErnDashboard,
    /// See a hospital's workspace: its patients and panels.
    ViewCentreDashboard,
    /// Suspend a person's account, ending their sessions.
    SuspendAccount,
    /// Remove a person's second factors after they lost their device.
    ResetSecondFactor,
}

impl Action {
    pub const ALL: [Action; 4] = [
        Action::ViewErnDashboard,
        Action::ViewCentreDashboard,
        Action::SuspendAccount,
        Action::ResetSecondFactor,
    ];
}

/// What the action is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    Ern(&'a ErnCode),
    Centre(HcpId),
    /// A person's account, with the networks they are members of.
    Account {
        erns: &'a [ErnCode],
    },
}

/// Why access was refused; shown to the user and written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    /// The actor holds no active membership that grants the action here.
    NoMembership,
    /// The action does not apply to this kind of resource.
    WrongResource,
}

impl DenyReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoMembership => "no active membership grants this",
            Self::WrongResource => "the action does not apply to this resource",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(DenyReason),
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Roles that work with a hospital's clinical workspace.
const CENTRE_ROLES: &[Role] = &[
    Role::Hp,
    Role::Coordinator,
    Role::PanelManagerHcp,
    Role::Assistant,
    Role::GuestVirtualCentre,
];

/// Who may do what, where. Administrators see network workspaces (to run
/// the platform) but never a centre's clinical workspace.
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> Decision {
    let allowed = match (action, resource) {
        (Action::ViewErnDashboard, Resource::Ern(ern)) => {
            actor.administrator || actor.holds(&Role::ALL, |m| &m.ern == ern)
        }
        (Action::ViewCentreDashboard, Resource::Centre(hcp)) => {
            actor.holds(CENTRE_ROLES, |m| m.hcp == hcp)
        }
        (Action::SuspendAccount, Resource::Account { .. }) => actor.administrator,
        // A coordinator vouches for the members of their own network.
        (Action::ResetSecondFactor, Resource::Account { erns }) => {
            actor.administrator || actor.holds(&[Role::Coordinator], |m| erns.contains(&m.ern))
        }
        _ => return Decision::Deny(DenyReason::WrongResource),
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::Deny(DenyReason::NoMembership)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MembershipId;
    use crate::org::{HcpCode, MembershipStatus};

    fn now() -> jiff::Timestamp {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn actor(memberships: Vec<Membership>) -> Actor {
        Actor {
            user: UserId::new(),
            administrator: false,
            memberships,
            now: now(),
        }
    }

    fn member(ern: &str, hcp: HcpId, role: Role, status: MembershipStatus) -> Membership {
        Membership {
            id: MembershipId::new(),
            user: UserId::new(),
            ern: ErnCode::parse(ern).unwrap(),
            hcp,
            hcp_code: HcpCode::parse("IT08").unwrap(),
            hcp_name: "AOU Pisana".into(),
            role,
            status,
            expires_at: None,
        }
    }

    #[test]
    fn any_active_member_sees_the_ern_dashboard_others_do_not() {
        let hcp = HcpId::new();
        let bond = ErnCode::parse("BOND").unwrap();
        let rita = ErnCode::parse("RITA").unwrap();
        for role in Role::ALL {
            let a = actor(vec![member("BOND", hcp, role, MembershipStatus::Approved)]);
            assert!(
                can(&a, Action::ViewErnDashboard, Resource::Ern(&bond)).is_allowed(),
                "{role:?}"
            );
            assert_eq!(
                can(&a, Action::ViewErnDashboard, Resource::Ern(&rita)),
                Decision::Deny(DenyReason::NoMembership)
            );
        }
        let pending = actor(vec![member(
            "BOND",
            hcp,
            Role::Hp,
            MembershipStatus::Requested,
        )]);
        assert!(!can(&pending, Action::ViewErnDashboard, Resource::Ern(&bond)).is_allowed());
    }

    #[test]
    fn centre_is_for_clinical_roles_of_that_hospital_only() {
        let hcp = HcpId::new();
        for role in Role::ALL {
            let a = actor(vec![member("BOND", hcp, role, MembershipStatus::Approved)]);
            let expected = CENTRE_ROLES.contains(&role);
            assert_eq!(
                can(&a, Action::ViewCentreDashboard, Resource::Centre(hcp)).is_allowed(),
                expected,
                "{role:?}"
            );
            assert!(
                !can(
                    &a,
                    Action::ViewCentreDashboard,
                    Resource::Centre(HcpId::new())
                )
                .is_allowed()
            );
        }
    }

    #[test]
    fn administrators_run_networks_but_see_no_centre() {
        let mut admin = actor(vec![]);
        admin.administrator = true;
        let bond = ErnCode::parse("BOND").unwrap();
        assert!(can(&admin, Action::ViewErnDashboard, Resource::Ern(&bond)).is_allowed());
        assert!(
            !can(
                &admin,
                Action::ViewCentreDashboard,
                Resource::Centre(HcpId::new())
            )
            .is_allowed()
        );
    }

    #[test]
    fn administrators_suspend_accounts_and_nobody_else() {
        let bond = [ErnCode::parse("BOND").unwrap()];
        let account = Resource::Account { erns: &bond };
        let mut admin = actor(vec![]);
        admin.administrator = true;
        assert!(can(&admin, Action::SuspendAccount, account).is_allowed());
        for role in Role::ALL {
            let a = actor(vec![member(
                "BOND",
                HcpId::new(),
                role,
                MembershipStatus::Approved,
            )]);
            assert!(
                !can(&a, Action::SuspendAccount, account).is_allowed(),
                "{role:?}"
            );
        }
    }

    #[test]
    fn second_factors_are_reset_by_administrators_or_a_coordinator_of_the_persons_ern() {
        let bond = [ErnCode::parse("BOND").unwrap()];
        let account = Resource::Account { erns: &bond };
        let mut admin = actor(vec![]);
        admin.administrator = true;
        assert!(can(&admin, Action::ResetSecondFactor, account).is_allowed());
        for role in Role::ALL {
            let here = actor(vec![member(
                "BOND",
                HcpId::new(),
                role,
                MembershipStatus::Approved,
            )]);
            assert_eq!(
                can(&here, Action::ResetSecondFactor, account).is_allowed(),
                role == Role::Coordinator,
                "{role:?}"
            );
        }
        let elsewhere = actor(vec![member(
            "RITA",
            HcpId::new(),
            Role::Coordinator,
            MembershipStatus::Approved,
        )]);
        assert!(!can(&elsewhere, Action::ResetSecondFactor, account).is_allowed());
    }

    #[test]
    fn mismatched_resources_are_refused() {
        let a = actor(vec![]);
        assert_eq!(
            can(
                &a,
                Action::ViewCentreDashboard,
                Resource::Ern(&ErnCode::parse("BOND").unwrap())
            ),
            Decision::Deny(DenyReason::WrongResource)
        );
    }
}
