use serde::Serialize;

use super::PanelState;
use crate::policy::Action;

/// A step that moves a panel from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The lead sends the consultation request.
    Submit,
    /// The lead asks the ERN to find experts.
    AskErnHelp,
    /// The lead opens the discussion with the experts they invited.
    Open,
    /// A coordinator or dispatcher has assigned experts (or another lead).
    Forward,
    /// A coordinator or dispatcher sends the request back with a comment.
    Return,
    /// The lead starts writing the outcome document.
    StartOutcome,
    /// The lead sends the outcome to the members for sign-off.
    RequestSignOff,
    /// The lead takes the outcome back to change it.
    ReviseOutcome,
    /// The lead closes the panel; the outcome is frozen.
    Close,
    Archive,
    /// Back to discussion; the next outcome is a new version.
    Reopen,
    Cancel,
}

impl Transition {
    pub const ALL: [Transition; 12] = [
        Transition::Submit,
        Transition::AskErnHelp,
        Transition::Open,
        Transition::Forward,
        Transition::Return,
        Transition::StartOutcome,
        Transition::RequestSignOff,
        Transition::ReviseOutcome,
        Transition::Close,
        Transition::Archive,
        Transition::Reopen,
        Transition::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::AskErnHelp => "ask_ern_help",
            Transition::Open => "open",
            Transition::Forward => "forward",
            Transition::Return => "return",
            Transition::StartOutcome => "start_outcome",
            Transition::RequestSignOff => "request_sign_off",
            Transition::ReviseOutcome => "revise_outcome",
            Transition::Close => "close",
            Transition::Archive => "archive",
            Transition::Reopen => "reopen",
            Transition::Cancel => "cancel",
        }
    }

    /// The policy action whose rule says who may take this step.
    pub fn action(self) -> Action {
        match self {
            Transition::Submit | Transition::AskErnHelp | Transition::Open => {
                Action::SubmitConsultation
            }
            Transition::Forward | Transition::Return => Action::TriageConsultation,
            Transition::StartOutcome | Transition::RequestSignOff | Transition::ReviseOutcome => {
                Action::DraftOutcome
            }
            Transition::Close => Action::ClosePanel,
            Transition::Archive => Action::ArchivePanel,
            Transition::Reopen => Action::ReopenPanel,
            Transition::Cancel => Action::CancelPanel,
        }
    }

    /// The state this step leads to from `from`, if it may be taken there.
    pub fn apply(self, from: PanelState) -> Result<PanelState, LifecycleError> {
        use PanelState as S;
        let to = match (self, from) {
            (Transition::Submit, S::Draft) => S::Submitted,
            (Transition::AskErnHelp, S::Submitted) => S::Triage,
            (Transition::Open, S::Submitted) => S::Open,
            (Transition::Forward, S::Triage) => S::Open,
            (Transition::Return, S::Triage) => S::Draft,
            (Transition::StartOutcome, S::Open) => S::OutcomeDrafting,
            (Transition::RequestSignOff, S::OutcomeDrafting) => S::SignOff,
            (Transition::ReviseOutcome, S::SignOff) => S::OutcomeDrafting,
            (Transition::Close, S::SignOff) => S::Closed,
            (Transition::Archive, S::Closed) => S::Archived,
            (Transition::Reopen, S::Closed | S::Archived) => S::Open,
            (Transition::Cancel, s) if s.is_active() => S::Cancelled,
            _ => {
                return Err(LifecycleError {
                    from,
                    what: self.as_str(),
                });
            }
        };
        Ok(to)
    }
}

/// Work on a panel that leaves its state as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Read the panel: request, members, discussion, outcome.
    View,
    /// Read the record sections shared with the panel (pseudonymised).
    ViewShared,
    /// Change the consultation request and what it shares.
    EditRequest,
    /// Invite experts, expert groups or guests.
    Invite,
    /// Accept or decline an invitation.
    AnswerInvitation,
    /// Contributions, comments, information requests and answers.
    Discuss,
    /// Schedule, change or cancel a meeting; attach minutes.
    ScheduleMeeting,
    /// Write the outcome document.
    EditOutcome,
    /// Sign the outcome off, or comment on it.
    SignOff,
}

impl Activity {
    pub const ALL: [Activity; 9] = [
        Activity::View,
        Activity::ViewShared,
        Activity::EditRequest,
        Activity::Invite,
        Activity::AnswerInvitation,
        Activity::Discuss,
        Activity::ScheduleMeeting,
        Activity::EditOutcome,
        Activity::SignOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Activity::View => "view",
            Activity::ViewShared => "view_shared",
            Activity::EditRequest => "edit_request",
            Activity::Invite => "invite",
            Activity::AnswerInvitation => "answer_invitation",
            Activity::Discuss => "discuss",
            Activity::ScheduleMeeting => "schedule_meeting",
            Activity::EditOutcome => "edit_outcome",
            Activity::SignOff => "sign_off",
        }
    }

    /// The policy action whose rule says who may do this.
    pub fn action(self) -> Action {
        match self {
            Activity::View => Action::ViewPanel,
            Activity::ViewShared => Action::ViewSharedRecord,
            Activity::EditRequest => Action::SubmitConsultation,
            Activity::Invite => Action::InviteToPanel,
            Activity::AnswerInvitation => Action::AnswerInvitation,
            Activity::Discuss => Action::Contribute,
            Activity::ScheduleMeeting => Action::ScheduleMeeting,
            Activity::EditOutcome => Action::DraftOutcome,
            Activity::SignOff => Action::SignOffOutcome,
        }
    }

    /// Whether a panel in `state` takes this work. Closed, archived and
    /// cancelled panels are read-only.
    pub fn check(self, state: PanelState) -> Result<(), LifecycleError> {
        use PanelState as S;
        let allowed = match self {
            Activity::View | Activity::ViewShared => true,
            Activity::EditRequest => state == S::Draft,
            Activity::Invite => matches!(
                state,
                S::Submitted | S::Triage | S::Open | S::OutcomeDrafting
            ),
            Activity::AnswerInvitation => matches!(
                state,
                S::Submitted | S::Triage | S::Open | S::OutcomeDrafting | S::SignOff
            ),
            Activity::Discuss | Activity::ScheduleMeeting => {
                matches!(state, S::Open | S::OutcomeDrafting | S::SignOff)
            }
            Activity::EditOutcome => state == S::OutcomeDrafting,
            Activity::SignOff => state == S::SignOff,
        };
        if allowed {
            Ok(())
        } else {
            Err(LifecycleError {
                from: state,
                what: self.as_str(),
            })
        }
    }
}

/// A step or piece of work the panel's state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a panel that is {} does not allow '{what}'", from.label().to_lowercase())]
pub struct LifecycleError {
    pub from: PanelState,
    pub what: &'static str,
}
