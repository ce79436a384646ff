//! The one place where access is decided (ARCHITECTURE.md: handlers never
//! check roles themselves). `can(actor, action, resource)` answers from the
//! actor's active memberships through the table `RULES`: one row per
//! action, saying which roles grant it, whether administrators may, and
//! where the role must be held. The role × action matrix test in
//! `policy/matrix.rs` spells out every allowed and denied combination.

use serde::Serialize;

use crate::ids::{HcpId, UserId};
use crate::org::{ErnCode, Membership, Role};
use crate::panel::PanelRole;

#[cfg(test)]
mod matrix;

/// Who is asking, with the memberships they hold.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: UserId,
    /// Platform operations; never clinical content.
    pub administrator: bool,
    pub memberships: Vec<Membership>,
    /// When the question is asked; memberships may have expired.
    pub now: jiff::Timestamp,
    /// The clinician this assistant is acting for, once that clinician named
    /// them and they accepted.
    pub acting_for: Option<Assisting>,
}

/// An accepted assistant link: the clinician and the hospital where they
/// named the assistant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assisting {
    pub clinician: UserId,
    pub hcp: HcpId,
}

impl Actor {
    /// Memberships that grant their role right now.
    pub fn active(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(|m| m.is_active(self.now))
    }

    fn holds(&self, roles: &[Role], scope: impl Fn(&Membership) -> bool) -> bool {
        self.active().any(|m| roles.contains(&m.role) && scope(m))
    }

    /// Whether the actor, still an assistant at `hcp`, is acting there for
    /// `clinician`.
    fn assists(&self, clinician: UserId, hcp: HcpId) -> bool {
        self.acting_for == Some(Assisting { clinician, hcp })
            && self.holds(&[Role::Assistant], |m| m.hcp == hcp)
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
    /// Use one's own account: home page, own profile, own access requests.
    ManageOwnAccount,
    /// Approve or reject access requests to a network.
    DecideAccessRequests,
    /// Extend guests' memberships and grant the virtual-centre capability.
    ManageMemberships,
    /// Search the experts of the networks.
    ViewExpertDirectory,
    /// Name (and un-name) assistants at one's hospital.
    NameAssistants,
    /// Act for a clinician as their assistant.
    ActForClinician,
    /// Enrol a patient at a centre.
    EnrolPatient,
    /// Read a patient's identity and whole record.
    ViewRecord,
    /// Change the record, its consents or its pedigree.
    EditRecord,
    /// Destroy a patient's identifying data on an erasure request.
    ErasePatient,
    /// Export one patient's complete record for an access request.
    ExportPatient,
    /// Suspend a person's account, ending their sessions.
    SuspendAccount,
    /// Remove a person's second factors after they lost their device.
    ResetSecondFactor,
    /// Start a consultation request (a panel) about one's patient.
    RequestConsultation,
    /// Read a panel: its request, members, discussion and outcome.
    ViewPanel,
    /// Read the record sections a panel shares, pseudonymised.
    ViewSharedRecord,
    /// Edit, submit and open one's consultation request, or ask the ERN for help.
    SubmitConsultation,
    /// Forward a request in the ERN's queue to experts or another lead, or return it.
    TriageConsultation,
    /// Invite experts, expert groups and guests to a panel.
    InviteToPanel,
    /// Accept or decline an invitation to a panel.
    AnswerInvitation,
    /// Contribute, comment, ask for and give more information on a panel.
    Contribute,
    /// Schedule, change or cancel a panel's meetings.
    ScheduleMeeting,
    /// Write a panel's outcome document and send it for sign-off.
    DraftOutcome,
    /// Sign off (or comment on) a panel's outcome.
    SignOffOutcome,
    /// Close a panel, freezing its outcome.
    ClosePanel,
    /// Reopen a closed or archived panel.
    ReopenPanel,
    /// Archive a closed panel.
    ArchivePanel,
    /// Cancel a panel before it closes.
    CancelPanel,
    /// See a network's panels and its triage queue.
    ViewErnPanels,
    /// Keep a network's expert groups: create, rename, delete, add and
    /// remove experts.
    ManageExpertGroups,
}

impl Action {
    pub const ALL: [Action; 32] = [
        Action::ViewErnDashboard,
        Action::ViewCentreDashboard,
        Action::ManageOwnAccount,
        Action::DecideAccessRequests,
        Action::ManageMemberships,
        Action::ViewExpertDirectory,
        Action::NameAssistants,
        Action::ActForClinician,
        Action::EnrolPatient,
        Action::ViewRecord,
        Action::EditRecord,
        Action::ErasePatient,
        Action::ExportPatient,
        Action::SuspendAccount,
        Action::ResetSecondFactor,
        Action::RequestConsultation,
        Action::ViewPanel,
        Action::ViewSharedRecord,
        Action::SubmitConsultation,
        Action::TriageConsultation,
        Action::InviteToPanel,
        Action::AnswerInvitation,
        Action::Contribute,
        Action::ScheduleMeeting,
        Action::DraftOutcome,
        Action::SignOffOutcome,
        Action::ClosePanel,
        Action::ReopenPanel,
        Action::ArchivePanel,
        Action::CancelPanel,
        Action::ViewErnPanels,
        Action::ManageExpertGroups,
    ];

    /// The stable snake_case name used in audit events.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ViewErnDashboard => "view_ern_dashboard",
            Action::ViewCentreDashboard => "view_centre_dashboard",
            Action::ManageOwnAccount => "manage_own_account",
            Action::DecideAccessRequests => "decide_access_requests",
            Action::ManageMemberships => "manage_memberships",
            Action::ViewExpertDirectory => "view_expert_directory",
            Action::NameAssistants => "name_assistants",
            Action::ActForClinician => "act_for_clinician",
            Action::EnrolPatient => "enrol_patient",
            Action::ViewRecord => "view_record",
            Action::EditRecord => "edit_record",
            Action::ErasePatient => "erase_patient",
            Action::ExportPatient => "export_patient",
            Action::SuspendAccount => "suspend_account",
            Action::ResetSecondFactor => "reset_second_factor",
            Action::RequestConsultation => "request_consultation",
            Action::ViewPanel => "view_panel",
            Action::ViewSharedRecord => "view_shared_record",
            Action::SubmitConsultation => "submit_consultation",
            Action::TriageConsultation => "triage_consultation",
            Action::InviteToPanel => "invite_to_panel",
            Action::AnswerInvitation => "answer_invitation",
            Action::Contribute => "contribute",
            Action::ScheduleMeeting => "schedule_meeting",
            Action::DraftOutcome => "draft_outcome",
            Action::SignOffOutcome => "sign_off_outcome",
            Action::ClosePanel => "close_panel",
            Action::ReopenPanel => "reopen_panel",
            Action::ArchivePanel => "archive_panel",
            Action::CancelPanel => "cancel_panel",
            Action::ViewErnPanels => "view_ern_panels",
            Action::ManageExpertGroups => "manage_expert_groups",
        }
    }
}

/// What the action is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    Ern(&'a ErnCode),
    Centre(HcpId),
    /// Something every network shares, such as the expert directory.
    Platform,
    /// A user's own account.
    Account(UserId),
    /// A clinician at a hospital, with whether they named the actor as
    /// their assistant (and the actor accepted).
    Clinician {
        hcp: HcpId,
        names_actor_as_assistant: bool,
    },
    /// A patient, known by where and by whom they were enrolled.
    Patient {
        hcp: HcpId,
        enrolled_by: UserId,
    },
    /// Another person's account, with the networks they are members of.
    Person {
        erns: &'a [ErnCode],
    },
    /// A panel of a network, with its lead (who works at `lead_hcp`) and
    /// the part the actor plays on it, if any.
    Panel {
        ern: &'a ErnCode,
        lead: UserId,
        lead_hcp: HcpId,
        role: Option<PanelRole>,
    },
}

/// Where a rule's role must be held for the rule to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In the network the resource belongs to (`Resource::Ern`).
    SameErn,
    /// At the hospital the resource belongs to (`Resource::Centre`).
    SameCentre,
    /// In any network (`Resource::Platform`).
    AnyErn,
    /// The account is the actor's own (`Resource::Account`); roles do not matter.
    OwnAccount,
    /// At the clinician's hospital, named by that clinician (`Resource::Clinician`).
    NamedBy,
    /// The actor enrolled the patient and still holds the role at the
    /// enrolling hospital (`Resource::Patient`): the CPMS 2.0 rule that a
    /// record belongs to its clinician. Their assistants, acting for them
    /// at that hospital, may do the same on their behalf.
    Enroller,
    /// In one of the networks the person is a member of (`Resource::Person`).
    PersonsErn,
    /// On a panel (`Resource::Panel`): the rule's roles held in the panel's
    /// network, or one of these panel roles on the panel itself (held by
    /// someone with an active membership somewhere). Assistants acting for
    /// the lead at the lead's hospital count as the lead.
    Panel(&'static [PanelRole]),
}

/// One row of the policy.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub action: Action,
    /// Roles that grant the action when held (actively) within `scope`.
    pub roles: &'static [Role],
    /// Whether platform administrators may, whatever their memberships.
    pub administrator: bool,
    pub scope: Scope,
}

/// Roles that work with a hospital's clinical workspace.
const CENTRE_ROLES: &[Role] = &[
    Role::Hp,
    Role::Coordinator,
    Role::PanelManagerHcp,
    Role::Assistant,
    Role::GuestVirtualCentre,
];

/// Roles that enrol patients and keep their records.
const ENROLLING_ROLES: &[Role] = &[Role::Hp, Role::Coordinator, Role::GuestVirtualCentre];

/// Network roles that look after a network's panels.
const ERN_PANEL_ROLES: &[Role] = &[Role::Coordinator, Role::Dispatcher, Role::PanelManagerErn];

/// Who may do what, where. Administrators run the networks (requests,
/// memberships, directory) but never see a centre's clinical workspace.
pub const RULES: &[Rule] = &[
    Rule {
        action: Action::ViewErnDashboard,
        roles: &Role::ALL,
        administrator: true,
        scope: Scope::SameErn,
    },
    Rule {
        action: Action::ViewCentreDashboard,
        roles: CENTRE_ROLES,
        administrator: false,
        scope: Scope::SameCentre,
    },
    Rule {
        action: Action::ManageOwnAccount,
        roles: &[],
        administrator: false,
        scope: Scope::OwnAccount,
    },
    Rule {
        action: Action::DecideAccessRequests,
        roles: &[Role::Coordinator],
        administrator: true,
        scope: Scope::SameErn,
    },
    Rule {
        action: Action::ManageMemberships,
        roles: &[Role::Coordinator],
        administrator: true,
        scope: Scope::SameErn,
    },
    Rule {
        action: Action::ViewExpertDirectory,
        roles: &Role::ALL,
        administrator: true,
        scope: Scope::AnyErn,
    },
    Rule {
        action: Action::NameAssistants,
        roles: &[Role::Hp, Role::Coordinator],
        administrator: false,
        scope: Scope::SameCentre,
    },
    Rule {
        action: Action::ActForClinician,
        roles: &[Role::Assistant],
        administrator: false,
        scope: Scope::NamedBy,
    },
    Rule {
        action: Action::EnrolPatient,
        roles: ENROLLING_ROLES,
        administrator: false,
        scope: Scope::SameCentre,
    },
    Rule {
        action: Action::ViewRecord,
        roles: ENROLLING_ROLES,
        administrator: false,
        scope: Scope::Enroller,
    },
    Rule {
        action: Action::EditRecord,
        roles: ENROLLING_ROLES,
        administrator: false,
        scope: Scope::Enroller,
    },
    Rule {
        action: Action::ErasePatient,
        roles: ENROLLING_ROLES,
        administrator: false,
        scope: Scope::Enroller,
    },
    Rule {
        action: Action::ExportPatient,
        roles: ENROLLING_ROLES,
        administrator: false,
        scope: Scope::Enroller,
    },
    Rule {
        action: Action::SuspendAccount,
        roles: &[],
        administrator: true,
        scope: Scope::PersonsErn,
    },
    // A coordinator vouches for the members of their own network.
    Rule {
        action: Action::ResetSecondFactor,
        roles: &[Role::Coordinator],
        administrator: true,
        scope: Scope::PersonsErn,
    },
    Rule {
        action: Action::RequestConsultation,
        roles: ENROLLING_ROLES,
        administrator: false,
        scope: Scope::Enroller,
    },
    // Coordinators and dispatchers see panels to triage them; what a panel
    // shares of the record is for its lead and members only.
    Rule {
        action: Action::ViewPanel,
        roles: ERN_PANEL_ROLES,
        administrator: false,
        scope: Scope::Panel(&[
            PanelRole::Lead,
            PanelRole::Member,
            PanelRole::Manager,
            PanelRole::Invited,
        ]),
    },
    Rule {
        action: Action::ViewSharedRecord,
        roles: &[],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead, PanelRole::Member]),
    },
    Rule {
        action: Action::SubmitConsultation,
        roles: &[],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead]),
    },
    Rule {
        action: Action::TriageConsultation,
        roles: &[Role::Coordinator, Role::Dispatcher],
        administrator: false,
        scope: Scope::Panel(&[]),
    },
    Rule {
        action: Action::InviteToPanel,
        roles: ERN_PANEL_ROLES,
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead, PanelRole::Manager]),
    },
    Rule {
        action: Action::AnswerInvitation,
        roles: &[],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Invited]),
    },
    Rule {
        action: Action::Contribute,
        roles: &[],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead, PanelRole::Member]),
    },
    Rule {
        action: Action::ScheduleMeeting,
        roles: &[Role::Coordinator, Role::PanelManagerErn],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead, PanelRole::Manager]),
    },
    Rule {
        action: Action::DraftOutcome,
        roles: &[],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead]),
    },
    Rule {
        action: Action::SignOffOutcome,
        roles: &[],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead, PanelRole::Member]),
    },
    Rule {
        action: Action::ClosePanel,
        roles: &[],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead]),
    },
    Rule {
        action: Action::ReopenPanel,
        roles: &[Role::Coordinator],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead]),
    },
    Rule {
        action: Action::ArchivePanel,
        roles: &[Role::Coordinator],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead]),
    },
    Rule {
        action: Action::CancelPanel,
        roles: &[Role::Coordinator],
        administrator: false,
        scope: Scope::Panel(&[PanelRole::Lead]),
    },
    Rule {
        action: Action::ViewErnPanels,
        roles: ERN_PANEL_ROLES,
        administrator: false,
        scope: Scope::SameErn,
    },
    // The groups are the network's: its coordinators and network panel
    // managers keep them; anyone who may invite to a panel uses them.
    Rule {
        action: Action::ManageExpertGroups,
        roles: &[Role::Coordinator, Role::PanelManagerErn],
        administrator: false,
        scope: Scope::SameErn,
    },
];

/// The rule of an action (every action has exactly one; a test checks it).
pub fn rule_for(action: Action) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.action == action)
}

/// Why access was refused; shown to the user and written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    /// The actor holds no active membership that grants the action here.
    NoMembership,
    /// The action does not apply to this kind of resource.
    WrongResource,
    /// An assistant acting for a clinician who did not name them.
    NotNamedAssistant,
}

impl DenyReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoMembership => "no active membership grants this",
            Self::WrongResource => "the action does not apply to this resource",
            Self::NotNamedAssistant => "the clinician has not named this assistant",
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

/// Decides whether `actor` may do `action` on `resource`, from `RULES`.
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> Decision {
    let Some(rule) = rule_for(action) else {
        return Decision::Deny(DenyReason::WrongResource);
    };
    let held = |scope: &dyn Fn(&Membership) -> bool| actor.holds(rule.roles, scope);
    let allowed = match (rule.scope, resource) {
        (Scope::SameErn, Resource::Ern(ern)) => {
            rule.administrator && actor.administrator || held(&|m| &m.ern == ern)
        }
        (Scope::SameCentre, Resource::Centre(hcp)) => {
            rule.administrator && actor.administrator || held(&|m| m.hcp == hcp)
        }
        (Scope::AnyErn, Resource::Platform) => {
            rule.administrator && actor.administrator || held(&|_| true)
        }
        (Scope::OwnAccount, Resource::Account(user)) => user == actor.user,
        (
            Scope::NamedBy,
            Resource::Clinician {
                hcp,
                names_actor_as_assistant,
            },
        ) => {
            if !held(&|m| m.hcp == hcp) {
                return Decision::Deny(DenyReason::NoMembership);
            }
            if !names_actor_as_assistant {
                return Decision::Deny(DenyReason::NotNamedAssistant);
            }
            true
        }
        (Scope::Enroller, Resource::Patient { hcp, enrolled_by }) => {
            actor.user == enrolled_by && held(&|m| m.hcp == hcp) || actor.assists(enrolled_by, hcp)
        }
        (Scope::PersonsErn, Resource::Person { erns }) => {
            rule.administrator && actor.administrator || held(&|m| erns.contains(&m.ern))
        }
        (
            Scope::Panel(panel_roles),
            Resource::Panel {
                ern,
                lead,
                lead_hcp,
                role,
            },
        ) => {
            rule.administrator && actor.administrator
                || held(&|m| &m.ern == ern)
                || actor.active().next().is_some() && role.is_some_and(|r| panel_roles.contains(&r))
                || panel_roles.contains(&PanelRole::Lead) && actor.assists(lead, lead_hcp)
        }
        _ => return Decision::Deny(DenyReason::WrongResource),
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::Deny(DenyReason::NoMembership)
    }
}
