use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;

/// What happened, as far as a person's notifications are concerned
/// (issue 5 item 9). The stable name is stored and used by the API and
/// preference forms; the label is what people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Invitation,
    InvitationAnswered,
    Contribution,
    InformationRequested,
    InformationAnswered,
    MeetingScheduled,
    MeetingChanged,
    MeetingCancelled,
    OutcomeReadyForSignOff,
    PanelClosed,
    PanelReopened,
    TriageItemWaiting,
    /// The network sent a request back to its lead.
    ReturnedFromTriage,
    /// The network forwarded a request from triage: to its lead, or to the
    /// clinician it made the lead.
    ForwardedFromTriage,
    /// Someone named the person with `@username` in a panel's discussion.
    Mentioned,
    UrgentAnswerDatePassed,
}

impl EventType {
    /// In the order the preferences page lists them: a panel's life.
    pub const ALL: [EventType; 16] = [
        EventType::Invitation,
        EventType::InvitationAnswered,
        EventType::Contribution,
        EventType::InformationRequested,
        EventType::InformationAnswered,
        EventType::MeetingScheduled,
        EventType::MeetingChanged,
        EventType::MeetingCancelled,
        EventType::OutcomeReadyForSignOff,
        EventType::PanelClosed,
        EventType::PanelReopened,
        EventType::TriageItemWaiting,
        EventType::ReturnedFromTriage,
        EventType::ForwardedFromTriage,
        EventType::Mentioned,
        EventType::UrgentAnswerDatePassed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Invitation => "invitation",
            EventType::InvitationAnswered => "invitation_answered",
            EventType::Contribution => "contribution",
            EventType::InformationRequested => "information_requested",
            EventType::InformationAnswered => "information_answered",
            EventType::MeetingScheduled => "meeting_scheduled",
            EventType::MeetingChanged => "meeting_changed",
            EventType::MeetingCancelled => "meeting_cancelled",
            EventType::OutcomeReadyForSignOff => "outcome_ready_for_sign_off",
            EventType::PanelClosed => "panel_closed",
            EventType::PanelReopened => "panel_reopened",
            EventType::TriageItemWaiting => "triage_item_waiting",
            EventType::ReturnedFromTriage => "returned_from_triage",
            EventType::ForwardedFromTriage => "forwarded_from_triage",
            EventType::Mentioned => "mentioned",
            EventType::UrgentAnswerDatePassed => "urgent_answer_date_passed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventType::Invitation => "You are invited to a panel",
            EventType::InvitationAnswered => "An invitee answered your invitation",
            EventType::Contribution => "A new contribution to a panel",
            EventType::InformationRequested => "More information is requested from you",
            EventType::InformationAnswered => "Your request for information was answered",
            EventType::MeetingScheduled => "A panel meeting is scheduled",
            EventType::MeetingChanged => "A panel meeting changed",
            EventType::MeetingCancelled => "A panel meeting is cancelled",
            EventType::OutcomeReadyForSignOff => "An outcome is ready for your sign-off",
            EventType::PanelClosed => "A panel is closed",
            EventType::PanelReopened => "A panel is reopened",
            EventType::TriageItemWaiting => "A consultation request waits in triage",
            EventType::ReturnedFromTriage => "The network returned your consultation request",
            EventType::ForwardedFromTriage => "The network forwarded a consultation request to you",
            EventType::Mentioned => "You are mentioned in a panel discussion",
            EventType::UrgentAnswerDatePassed => "An urgent panel's answer date has passed",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == raw)
            .ok_or_else(|| {
                InvalidValue::new(
                    "event",
                    format!(
                        "'{}' is not a kind of notification",
                        raw.chars().take(60).collect::<String>()
                    ),
                )
            })
    }
}
