//! The lifecycle under random use: random sequences of steps by random
//! actors never reach a state the lifecycle does not allow, and a step
//! succeeds exactly when an independent statement of who may take it and
//! from where says so.

use proptest::prelude::*;

use super::*;
use crate::ids::{HcpId, MembershipId, UserId};
use crate::org::{ErnCode, HcpCode, Membership, MembershipStatus, Role};
use crate::policy::{Assisting, Resource};

/// The people who try steps on one BOND panel led at `LEAD_HCP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Lead,
    LeadsAssistant,
    Member,
    Manager,
    Invited,
    BondCoordinator,
    BondDispatcher,
    BondPanelManager,
    RitaCoordinator,
    OutsideHp,
    Administrator,
}

const EVERYONE: [Who; 11] = [
    Who::Lead,
    Who::LeadsAssistant,
    Who::Member,
    Who::Manager,
    Who::Invited,
    Who::BondCoordinator,
    Who::BondDispatcher,
    Who::BondPanelManager,
    Who::RitaCoordinator,
    Who::OutsideHp,
    Who::Administrator,
];

/// Who may take each step, written out independently of `RULES`.
fn may_take(who: Who, t: Transition) -> bool {
    use Transition as T;
    use Who as W;
    let lead = matches!(who, W::Lead | W::LeadsAssistant);
    match t {
        T::Submit | T::AskErnHelp | T::Open | T::StartOutcome | T::RequestSignOff => lead,
        T::ReviseOutcome | T::Close => lead,
        T::Forward | T::Return => matches!(who, W::BondCoordinator | W::BondDispatcher),
        T::Archive | T::Reopen | T::Cancel => lead || who == W::BondCoordinator,
    }
}

/// Where each step may be taken from, and where it leads.
fn leads_to(t: Transition, from: PanelState) -> Option<PanelState> {
    use PanelState as S;
    use Transition as T;
    let table: &[(T, &[S], S)] = &[
        (T::Submit, &[S::Draft], S::Submitted),
        (T::AskErnHelp, &[S::Submitted], S::Triage),
        (T::Open, &[S::Submitted], S::Open),
        (T::Forward, &[S::Triage], S::Open),
        (T::Return, &[S::Triage], S::Draft),
        (T::StartOutcome, &[S::Open], S::OutcomeDrafting),
        (T::RequestSignOff, &[S::OutcomeDrafting], S::SignOff),
        (T::ReviseOutcome, &[S::SignOff], S::OutcomeDrafting),
        (T::Close, &[S::SignOff], S::Closed),
        (T::Archive, &[S::Closed], S::Archived),
        (T::Reopen, &[S::Closed, S::Archived], S::Open),
        (
            T::Cancel,
            &[
                S::Draft,
                S::Submitted,
                S::Triage,
                S::Open,
                S::OutcomeDrafting,
                S::SignOff,
            ],
            S::Cancelled,
        ),
    ];
    table
        .iter()
        .find(|(step, froms, _)| *step == t && froms.contains(&from))
        .map(|(_, _, to)| *to)
}

struct Panel {
    bond: ErnCode,
    rita: ErnCode,
    lead: UserId,
    lead_hcp: HcpId,
}

impl Panel {
    fn new() -> Self {
        Self {
            bond: ErnCode::parse("BOND").unwrap(),
            rita: ErnCode::parse("RITA").unwrap(),
            lead: UserId::new(),
            lead_hcp: HcpId::new(),
        }
    }

    fn membership(&self, ern: &ErnCode, hcp: HcpId, role: Role) -> Membership {
        Membership {
            id: MembershipId::new(),
            user: UserId::new(),
            ern: ern.clone(),
            hcp,
            hcp_code: HcpCode::parse("IT08").unwrap(),
            hcp_name: "AOU Pisana".into(),
            role,
            status: MembershipStatus::Approved,
            expires_at: None,
        }
    }

    /// The actor and the part they play on the panel.
    fn actor(&self, who: Who) -> (Actor, Option<PanelRole>) {
        let elsewhere = HcpId::new();
        let (user, role, panel_role, ern, hcp) = match who {
            Who::Lead => (
                self.lead,
                Role::Hp,
                Some(PanelRole::Lead),
                &self.bond,
                self.lead_hcp,
            ),
            Who::LeadsAssistant => (
                UserId::new(),
                Role::Assistant,
                None,
                &self.bond,
                self.lead_hcp,
            ),
            Who::Member => (
                UserId::new(),
                Role::Hp,
                Some(PanelRole::Member),
                &self.rita,
                elsewhere,
            ),
            Who::Manager => (
                UserId::new(),
                Role::PanelManagerHcp,
                Some(PanelRole::Manager),
                &self.bond,
                self.lead_hcp,
            ),
            Who::Invited => (
                UserId::new(),
                Role::GuestConsult,
                Some(PanelRole::Invited),
                &self.bond,
                elsewhere,
            ),
            Who::BondCoordinator => (
                UserId::new(),
                Role::Coordinator,
                None,
                &self.bond,
                elsewhere,
            ),
            Who::BondDispatcher => (UserId::new(), Role::Dispatcher, None, &self.bond, elsewhere),
            Who::BondPanelManager => (
                UserId::new(),
                Role::PanelManagerErn,
                None,
                &self.bond,
                elsewhere,
            ),
            Who::RitaCoordinator => (
                UserId::new(),
                Role::Coordinator,
                None,
                &self.rita,
                elsewhere,
            ),
            Who::OutsideHp => (UserId::new(), Role::Hp, None, &self.bond, self.lead_hcp),
            Who::Administrator => (UserId::new(), Role::Hp, None, &self.rita, elsewhere),
        };
        let actor = Actor {
            user,
            administrator: who == Who::Administrator,
            memberships: vec![self.membership(ern, hcp, role)],
            now: "2026-11-23T10:00:00Z".parse().unwrap(),
            acting_for: (who == Who::LeadsAssistant).then_some(Assisting {
                clinician: self.lead,
                hcp: self.lead_hcp,
            }),
        };
        (actor, panel_role)
    }

    fn resource(&self, role: Option<PanelRole>) -> Resource<'_> {
        Resource::Panel {
            ern: &self.bond,
            lead: self.lead,
            lead_hcp: self.lead_hcp,
            role,
        }
    }
}

fn step() -> impl Strategy<Value = (Who, Transition)> {
    (
        proptest::sample::select(EVERYONE.to_vec()),
        proptest::sample::select(Transition::ALL.to_vec()),
    )
}

proptest! {
    #[test]
    fn random_steps_by_random_actors_follow_the_lifecycle(
        steps in proptest::collection::vec(step(), 1..60)
    ) {
        let panel = Panel::new();
        let mut state = PanelState::Draft;
        for (who, transition) in steps {
            let (actor, role) = panel.actor(who);
            let outcome = attempt(&actor, panel.resource(role), state, transition);
            let expected = if may_take(who, transition) {
                leads_to(transition, state)
            } else {
                None
            };
            match (outcome, expected) {
                (Ok(next), Some(want)) => {
                    prop_assert_eq!(next, want);
                    state = next;
                }
                (Err(PanelRefusal::Denied(_)), None) => {
                    prop_assert!(!may_take(who, transition), "{:?} refused {:?}", who, transition);
                }
                (Err(PanelRefusal::Lifecycle(e)), None) => {
                    prop_assert!(may_take(who, transition));
                    prop_assert_eq!(e.from, state);
                }
                (got, want) => {
                    prop_assert!(false, "{:?} {:?} from {:?}: got {:?}, want {:?}", who, transition, state, got, want);
                }
            }
        }
    }
}

#[test]
fn closed_archived_and_cancelled_panels_are_read_only() {
    for state in [
        PanelState::Closed,
        PanelState::Archived,
        PanelState::Cancelled,
    ] {
        for activity in Activity::ALL {
            let read = matches!(activity, Activity::View | Activity::ViewShared);
            assert_eq!(
                activity.check(state).is_ok(),
                read,
                "{activity:?} when {state:?}"
            );
        }
    }
}

#[test]
fn a_declined_or_removed_invitee_may_do_nothing() {
    let panel = Panel::new();
    let (actor, _) = panel.actor(Who::Member);
    for activity in Activity::ALL {
        assert!(
            may(&actor, panel.resource(None), PanelState::Open, activity).is_err(),
            "{activity:?}"
        );
    }
}

#[test]
fn states_and_roles_read_back_from_their_names() {
    for s in PanelState::ALL {
        assert_eq!(PanelState::parse(s.as_str()), Ok(s));
    }
    for r in PanelRole::ALL {
        assert_eq!(PanelRole::parse(r.as_str()), Ok(r));
    }
    for t in PanelType::ALL {
        assert_eq!(PanelType::parse(t.as_str()), Ok(t));
    }
    assert!(PanelState::parse("opened").is_err());
}
