//! The role × action matrix: for every action, what each role (held,
//! approved, where the resource is) and an administrator without
//! memberships may do. This table is the readable statement of PRODUCT.md
//! §2 as implemented; `can` must agree with every cell.

use super::*;
use crate::ids::MembershipId;
use crate::org::{HcpCode, MembershipStatus};

/// Columns: the roles in `Role::ALL` order, then an administrator.
/// `Y` allowed, `.` denied.
#[rustfmt::skip]
const MATRIX: &[(Action, &str)] = &[
    //                                 Hp Co Di PE PH Re RU GC GV As Admin
    (Action::ViewErnDashboard,        "Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y"),
    (Action::ViewCentreDashboard,     "Y  Y  .  .  Y  .  .  .  Y  Y  ."),
    (Action::ManageOwnAccount,        "Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y"),
    (Action::DecideAccessRequests,    ".  Y  .  .  .  .  .  .  .  .  Y"),
    (Action::ManageMemberships,       ".  Y  .  .  .  .  .  .  .  .  Y"),
    (Action::ViewExpertDirectory,     "Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y"),
    (Action::NameAssistants,          "Y  Y  .  .  .  .  .  .  .  .  ."),
    (Action::ActForClinician,         ".  .  .  .  .  .  .  .  .  Y  ."),
    (Action::EnrolPatient,            "Y  Y  .  .  .  .  .  .  Y  .  ."),
    (Action::ViewRecord,              "Y  Y  .  .  .  .  .  .  Y  .  ."),
    (Action::EditRecord,              "Y  Y  .  .  .  .  .  .  Y  .  ."),
    (Action::ErasePatient,            "Y  Y  .  .  .  .  .  .  Y  .  ."),
    (Action::ExportPatient,           "Y  Y  .  .  .  .  .  .  Y  .  ."),
    (Action::SuspendAccount,          ".  .  .  .  .  .  .  .  .  .  Y"),
    (Action::ResetSecondFactor,       ".  Y  .  .  .  .  .  .  .  .  Y"),
    (Action::RequestConsultation,     "Y  Y  .  .  .  .  .  .  Y  .  ."),
    // Panel actions, held as a network role only (no part on the panel):
    (Action::ViewPanel,               ".  Y  Y  Y  .  .  .  .  .  .  ."),
    (Action::ViewSharedRecord,        ".  .  .  .  .  .  .  .  .  .  ."),
    (Action::SubmitConsultation,      ".  .  .  .  .  .  .  .  .  .  ."),
    (Action::TriageConsultation,      ".  Y  Y  .  .  .  .  .  .  .  ."),
    (Action::InviteToPanel,           ".  Y  Y  Y  .  .  .  .  .  .  ."),
    (Action::AnswerInvitation,        ".  .  .  .  .  .  .  .  .  .  ."),
    (Action::Contribute,              ".  .  .  .  .  .  .  .  .  .  ."),
    (Action::ScheduleMeeting,         ".  Y  .  Y  .  .  .  .  .  .  ."),
    (Action::DraftOutcome,            ".  .  .  .  .  .  .  .  .  .  ."),
    (Action::SignOffOutcome,          ".  .  .  .  .  .  .  .  .  .  ."),
    (Action::ClosePanel,              ".  .  .  .  .  .  .  .  .  .  ."),
    (Action::ReopenPanel,             ".  Y  .  .  .  .  .  .  .  .  ."),
    (Action::ArchivePanel,            ".  Y  .  .  .  .  .  .  .  .  ."),
    (Action::CancelPanel,             ".  Y  .  .  .  .  .  .  .  .  ."),
    (Action::ViewErnPanels,           ".  Y  Y  Y  .  .  .  .  .  .  ."),
    (Action::ManageExpertGroups,      ".  Y  .  Y  .  .  .  .  .  .  ."),
];

/// Panel actions by the part the actor plays on the panel, for someone
/// whose memberships are all in another network (so only the panel role
/// counts). Columns: `PanelRole::ALL` order, then an assistant acting for
/// the lead at the lead's hospital.
#[rustfmt::skip]
const PANEL_MATRIX: &[(Action, &str)] = &[
    //                                 Lead Member Manager Invited LeadsAssistant
    (Action::ViewPanel,               "Y    Y      Y       Y       Y"),
    (Action::ViewSharedRecord,        "Y    Y      .       .       Y"),
    (Action::SubmitConsultation,      "Y    .      .       .       Y"),
    (Action::TriageConsultation,      ".    .      .       .       ."),
    (Action::InviteToPanel,           "Y    .      Y       .       Y"),
    (Action::AnswerInvitation,        ".    .      .       Y       ."),
    (Action::Contribute,              "Y    Y      .       .       Y"),
    (Action::ScheduleMeeting,         "Y    .      Y       .       Y"),
    (Action::DraftOutcome,            "Y    .      .       .       Y"),
    (Action::SignOffOutcome,          "Y    Y      .       .       Y"),
    (Action::ClosePanel,              "Y    .      .       .       Y"),
    (Action::ReopenPanel,             "Y    .      .       .       Y"),
    (Action::ArchivePanel,            "Y    .      .       .       Y"),
    (Action::CancelPanel,             "Y    .      .       .       Y"),
];

/// The same columns for an actor acting, as a named and accepted
/// assistant would, for the clinician who enrolled the patient: the
/// record actions (those of `Scope::Enroller`) go to assistants only.
#[rustfmt::skip]
const ON_BEHALF_OF_ENROLLER: &str =
    //   Hp Co Di PE PH Re RU GC GV As Admin
        ".  .  .  .  .  .  .  .  .  Y  .";

fn now() -> jiff::Timestamp {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

struct World {
    bond: ErnCode,
    hcp: HcpId,
}

impl World {
    fn new() -> Self {
        Self {
            bond: ErnCode::parse("BOND").unwrap(),
            hcp: HcpId::new(),
        }
    }

    fn member(&self, role: Role, status: MembershipStatus) -> Membership {
        Membership {
            id: MembershipId::new(),
            user: UserId::new(),
            ern: self.bond.clone(),
            hcp: self.hcp,
            hcp_code: HcpCode::parse("IT08").unwrap(),
            hcp_name: "AOU Pisana".into(),
            role,
            status,
            expires_at: None,
        }
    }

    fn actor(&self, memberships: Vec<Membership>) -> Actor {
        Actor {
            user: UserId::new(),
            administrator: false,
            memberships,
            now: now(),
            acting_for: None,
        }
    }

    fn admin(&self) -> Actor {
        Actor {
            administrator: true,
            ..self.actor(vec![])
        }
    }

    /// The resource an action is about, inside the scope the world's
    /// memberships are held in.
    fn resource<'a>(&'a self, action: Action, actor: &Actor) -> Resource<'a> {
        match rule_for(action).unwrap().scope {
            Scope::SameErn => Resource::Ern(&self.bond),
            Scope::SameCentre => Resource::Centre(self.hcp),
            Scope::AnyErn => Resource::Platform,
            Scope::OwnAccount => Resource::Account(actor.user),
            Scope::NamedBy => Resource::Clinician {
                hcp: self.hcp,
                names_actor_as_assistant: true,
            },
            Scope::Enroller => Resource::Patient {
                hcp: self.hcp,
                enrolled_by: actor.user,
            },
            Scope::PersonsErn => Resource::Person {
                erns: std::slice::from_ref(&self.bond),
            },
            Scope::Panel(_) => Resource::Panel {
                ern: &self.bond,
                lead: UserId::new(),
                lead_hcp: self.hcp,
                role: None,
            },
        }
    }

    /// The same kind of resource, somewhere the actor holds nothing.
    fn elsewhere(&self, action: Action) -> Option<Resource<'static>> {
        static RITA: std::sync::LazyLock<ErnCode> =
            std::sync::LazyLock::new(|| ErnCode::parse("RITA").unwrap());
        match rule_for(action).unwrap().scope {
            Scope::SameErn => Some(Resource::Ern(&RITA)),
            Scope::SameCentre => Some(Resource::Centre(HcpId::new())),
            Scope::OwnAccount => Some(Resource::Account(UserId::new())),
            Scope::NamedBy => Some(Resource::Clinician {
                hcp: HcpId::new(),
                names_actor_as_assistant: true,
            }),
            Scope::Enroller => Some(Resource::Patient {
                hcp: HcpId::new(),
                enrolled_by: UserId::new(),
            }),
            Scope::PersonsErn => Some(Resource::Person {
                erns: std::slice::from_ref(&*RITA),
            }),
            Scope::Panel(_) => Some(Resource::Panel {
                ern: &RITA,
                lead: UserId::new(),
                lead_hcp: HcpId::new(),
                role: None,
            }),
            Scope::AnyErn => None,
        }
    }
}

fn expected(cells: &str) -> Vec<bool> {
    let cells: Vec<bool> = cells
        .split_whitespace()
        .map(|c| match c {
            "Y" => true,
            "." => false,
            other => panic!("cell '{other}' is neither Y nor ."),
        })
        .collect();
    assert_eq!(
        cells.len(),
        Role::ALL.len() + 1,
        "one cell per role plus administrator"
    );
    cells
}

#[test]
fn every_role_and_action_is_decided_as_the_matrix_says() {
    let w = World::new();
    for (action, cells) in MATRIX {
        let cells = expected(cells);
        for (role, allowed) in Role::ALL.iter().zip(&cells) {
            let actor = w.actor(vec![w.member(*role, MembershipStatus::Approved)]);
            let decision = can(&actor, *action, w.resource(*action, &actor));
            assert_eq!(decision.is_allowed(), *allowed, "{role:?} × {action:?}");
        }
        let admin = w.admin();
        let decision = can(&admin, *action, w.resource(*action, &admin));
        assert_eq!(
            decision.is_allowed(),
            cells[Role::ALL.len()],
            "administrator × {action:?}"
        );
    }
}

#[test]
fn the_matrix_and_the_rules_cover_every_action_once() {
    for action in Action::ALL {
        assert_eq!(
            MATRIX.iter().filter(|(a, _)| *a == action).count(),
            1,
            "{action:?} in MATRIX"
        );
        assert_eq!(
            RULES.iter().filter(|r| r.action == action).count(),
            1,
            "{action:?} in RULES"
        );
    }
    assert_eq!(MATRIX.len(), Action::ALL.len());
}

#[test]
fn roles_grant_nothing_outside_their_scope() {
    let w = World::new();
    for action in Action::ALL {
        let Some(resource) = w.elsewhere(action) else {
            continue;
        };
        for role in Role::ALL {
            let actor = w.actor(vec![w.member(role, MembershipStatus::Approved)]);
            assert!(
                !can(&actor, action, resource).is_allowed(),
                "{role:?} × {action:?} elsewhere"
            );
        }
    }
}

#[test]
fn memberships_that_are_not_active_grant_nothing() {
    let w = World::new();
    let mut expired = w.member(Role::Coordinator, MembershipStatus::Approved);
    expired.expires_at = Some("2026-11-01T00:00:00Z".parse().unwrap());
    for m in [
        w.member(Role::Coordinator, MembershipStatus::Requested),
        w.member(Role::Coordinator, MembershipStatus::Rejected),
        w.member(Role::Coordinator, MembershipStatus::Revoked),
        expired,
    ] {
        let actor = w.actor(vec![m]);
        for action in Action::ALL
            .into_iter()
            .filter(|a| *a != Action::ManageOwnAccount)
        {
            assert_eq!(
                can(&actor, action, w.resource(action, &actor)),
                Decision::Deny(DenyReason::NoMembership),
                "{action:?}"
            );
        }
    }
}

#[test]
fn an_assistant_acts_only_for_clinicians_who_named_them() {
    let w = World::new();
    let assistant = w.actor(vec![w.member(Role::Assistant, MembershipStatus::Approved)]);
    let not_named = Resource::Clinician {
        hcp: w.hcp,
        names_actor_as_assistant: false,
    };
    assert_eq!(
        can(&assistant, Action::ActForClinician, not_named),
        Decision::Deny(DenyReason::NotNamedAssistant)
    );
}

#[test]
fn mismatched_resources_are_refused() {
    let w = World::new();
    let actor = w.actor(vec![
        w.member(Role::Coordinator, MembershipStatus::Approved),
    ]);
    assert_eq!(
        can(&actor, Action::ViewCentreDashboard, Resource::Ern(&w.bond)),
        Decision::Deny(DenyReason::WrongResource)
    );
    assert_eq!(
        can(&actor, Action::DecideAccessRequests, Resource::Platform),
        Decision::Deny(DenyReason::WrongResource)
    );
}

#[test]
fn only_the_enrolling_clinician_at_their_hospital_has_the_record() {
    let w = World::new();
    let mut clinician = w.actor(vec![w.member(Role::Hp, MembershipStatus::Approved)]);
    let record = Resource::Patient {
        hcp: w.hcp,
        enrolled_by: clinician.user,
    };
    let record_actions = [
        Action::ViewRecord,
        Action::EditRecord,
        Action::ErasePatient,
        Action::ExportPatient,
    ];
    // Colleagues at the same hospital, whatever their role, do not.
    for role in Role::ALL {
        let colleague = w.actor(vec![w.member(role, MembershipStatus::Approved)]);
        for action in record_actions {
            assert_eq!(
                can(&colleague, action, record),
                Decision::Deny(DenyReason::NoMembership),
                "{role:?} × {action:?}"
            );
        }
    }
    // A clinician who has left the hospital no longer has the record.
    clinician.memberships[0].status = MembershipStatus::Revoked;
    assert!(!can(&clinician, Action::ViewRecord, record).is_allowed());
}

/// A patient enrolled at the world's hospital by a clinician, and an actor
/// of `role` there acting for that clinician.
fn acting_for_enroller(w: &World, role: Role) -> (Actor, Resource<'static>) {
    let clinician = UserId::new();
    let mut actor = w.actor(vec![w.member(role, MembershipStatus::Approved)]);
    actor.acting_for = Some(Assisting {
        clinician,
        hcp: w.hcp,
    });
    let record = Resource::Patient {
        hcp: w.hcp,
        enrolled_by: clinician,
    };
    (actor, record)
}

fn record_actions() -> impl Iterator<Item = Action> {
    RULES
        .iter()
        .filter(|r| r.scope == Scope::Enroller)
        .map(|r| r.action)
}

#[test]
fn acting_for_the_enrolling_clinician_is_decided_as_the_table_says() {
    let w = World::new();
    let cells = expected(ON_BEHALF_OF_ENROLLER);
    for action in record_actions() {
        for (role, allowed) in Role::ALL.iter().zip(&cells) {
            let (actor, record) = acting_for_enroller(&w, *role);
            assert_eq!(
                can(&actor, action, record).is_allowed(),
                *allowed,
                "{role:?} acting × {action:?}"
            );
        }
        let (mut admin, record) = acting_for_enroller(&w, Role::Assistant);
        admin.memberships.clear();
        admin.administrator = true;
        assert_eq!(
            can(&admin, action, record).is_allowed(),
            cells[Role::ALL.len()],
            "administrator acting × {action:?}"
        );
    }
}

#[test]
fn an_assistant_has_only_the_records_of_the_clinician_acted_for_there() {
    let w = World::new();
    for action in record_actions() {
        let (assistant, record) = acting_for_enroller(&w, Role::Assistant);
        let Resource::Patient { hcp, enrolled_by } = record else {
            unreachable!()
        };
        // Another clinician's patient at the same hospital.
        let others = Resource::Patient {
            hcp,
            enrolled_by: UserId::new(),
        };
        assert!(!can(&assistant, action, others).is_allowed(), "{action:?}");
        // The same clinician's patient at another hospital.
        let elsewhere = Resource::Patient {
            hcp: HcpId::new(),
            enrolled_by,
        };
        assert!(
            !can(&assistant, action, elsewhere).is_allowed(),
            "{action:?}"
        );
        // Not acting for anyone.
        let idle = Actor {
            acting_for: None,
            ..assistant.clone()
        };
        assert!(!can(&idle, action, record).is_allowed(), "{action:?}");
        // No longer an assistant there.
        let mut left = assistant.clone();
        left.memberships[0].status = MembershipStatus::Revoked;
        assert!(!can(&left, action, record).is_allowed(), "{action:?}");
    }
}

fn panel_actions() -> impl Iterator<Item = Action> {
    RULES
        .iter()
        .filter(|r| matches!(r.scope, Scope::Panel(_)))
        .map(|r| r.action)
}

/// The world's HP, whose membership is in RITA, on a BOND panel led by
/// someone at the world's hospital, playing `role` there.
fn on_bond_panel(w: &World, role: PanelRole) -> (Actor, Resource<'_>) {
    let mut member = w.member(Role::Hp, MembershipStatus::Approved);
    member.ern = ErnCode::parse("RITA").unwrap();
    let actor = w.actor(vec![member]);
    let panel = Resource::Panel {
        ern: &w.bond,
        lead: UserId::new(),
        lead_hcp: w.hcp,
        role: Some(role),
    };
    (actor, panel)
}

#[test]
fn panel_roles_are_decided_as_the_panel_matrix_says() {
    let w = World::new();
    assert_eq!(PANEL_MATRIX.len(), panel_actions().count());
    for action in panel_actions() {
        let (_, cells) = PANEL_MATRIX
            .iter()
            .find(|(a, _)| *a == action)
            .unwrap_or_else(|| panic!("{action:?} missing from PANEL_MATRIX"));
        let cells: Vec<bool> = cells.split_whitespace().map(|c| c == "Y").collect();
        assert_eq!(cells.len(), PanelRole::ALL.len() + 1);
        for (role, allowed) in PanelRole::ALL.iter().zip(&cells) {
            let (actor, panel) = on_bond_panel(&w, *role);
            assert_eq!(
                can(&actor, action, panel).is_allowed(),
                *allowed,
                "{role:?} × {action:?}"
            );
        }
        let (lead_actor, clinician) = acting_for_enroller(&w, Role::Assistant);
        let Resource::Patient { enrolled_by, .. } = clinician else {
            unreachable!()
        };
        let led_by_clinician = Resource::Panel {
            ern: &w.bond,
            lead: enrolled_by,
            lead_hcp: w.hcp,
            role: None,
        };
        assert_eq!(
            can(&lead_actor, action, led_by_clinician).is_allowed(),
            cells[PanelRole::ALL.len()],
            "lead's assistant × {action:?}"
        );
    }
}

#[test]
fn a_panel_role_without_an_active_membership_grants_nothing() {
    let w = World::new();
    for action in panel_actions() {
        for role in PanelRole::ALL {
            let (mut actor, panel) = on_bond_panel(&w, role);
            actor.memberships[0].status = MembershipStatus::Revoked;
            assert!(
                !can(&actor, action, panel).is_allowed(),
                "{role:?} × {action:?}"
            );
        }
    }
}
