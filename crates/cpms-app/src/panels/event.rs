use cpms_domain::ids::UserId;
use cpms_domain::org::ErnCode;
use cpms_domain::panel::{PostKind, Transition};

/// Something that happened on a panel that people should be told about.
/// Use cases deliver these as notifications in their own transaction
/// (`App::tell`) and return them, saying whom they told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelEvent {
    pub kind: PanelEventKind,
    /// The panel's reference.
    pub panel: String,
    /// Urgent panels are flagged in every notification.
    pub urgent: bool,
    pub recipients: Recipients,
    /// A declining invitee's reason, quoted to the lead.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelEventKind {
    /// A request waits in the network's triage queue.
    TriageWaiting,
    /// The network returned the request to its lead with a comment.
    Returned,
    /// The network forwarded the request from triage.
    Forwarded(Forwarding),
    Invited,
    InvitationAnswered {
        accepted: bool,
    },
    Posted(PostKind),
    /// A signer answered the outcome out for sign-off (told to the lead).
    OutcomeAnswered {
        signed: bool,
    },
    /// A meeting was scheduled, changed or cancelled.
    Meeting(MeetingChange),
    /// An urgent panel's requested answer date has passed (the daily
    /// reminder).
    AnswerDatePassed,
    /// Someone named the recipient with `@username` in a message.
    Mentioned,
    /// Any other step (opened, outcome for sign-off, closed, reopened…).
    Stepped(Transition),
}

/// Who should be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    Users(Vec<UserId>),
    /// The coordinators and dispatchers of a network.
    ErnTriage(ErnCode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingChange {
    Scheduled,
    Changed,
    Cancelled,
}

/// What forwarding from triage means for the person told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forwarding {
    /// To the lead: the panel is open with the experts the network chose.
    Opened,
    /// To the former lead: another clinician leads now; they stay on as a
    /// member.
    HandedOver,
    /// To the clinician the network made the lead.
    YouLead,
}
