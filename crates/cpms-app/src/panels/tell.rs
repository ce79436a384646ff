//! Delivering a use case's [`PanelEvent`] as notifications, inside the
//! use case's own transaction: the notification exists exactly when the
//! change it reports does.
//!
//! Titles and texts name the panel by reference and the patient by
//! pseudonym only (the rule of `cpms_domain::notification`); the link is
//! the panel page, where access is decided again when it is followed.

use cpms_domain::notification::{EventType, NewNotification};
use cpms_domain::org::Role;
use cpms_domain::panel::{PostKind, Transition};
use cpms_store::WriteTx;
use cpms_store::repo::memberships;
use cpms_store::repo::panels::StoredPanel;
use cpms_store::repo::patients;

use super::event::{Forwarding, MeetingChange, PanelEvent, PanelEventKind, Recipients};
use crate::{App, AppError};

/// How much of a decline reason a notification quotes; the panel page
/// shows all of it.
const QUOTE_CHARS: usize = 400;

impl App {
    /// Tells the event's recipients, in `tx`. Events with no kind of
    /// notification of their own (a step such as starting the outcome)
    /// tell no one.
    pub(crate) async fn tell(
        &self,
        tx: &mut WriteTx,
        panel: &StoredPanel,
        event: &PanelEvent,
    ) -> Result<(), AppError> {
        let recipients = match &event.recipients {
            Recipients::Users(users) => users.clone(),
            Recipients::ErnTriage(ern) => {
                memberships::holders(tx, ern, &[Role::Coordinator, Role::Dispatcher], self.now())
                    .await?
            }
        };
        if recipients.is_empty() {
            return Ok(());
        }
        let pseudonym = patients::get(tx, panel.patient)
            .await?
            .ok_or_else(|| AppError::internal("a panel's patient is missing"))?
            .pseudonym;
        let Some((kind, title, text)) = wording(event, &pseudonym.to_string()) else {
            return Ok(());
        };
        let note = NewNotification::new(
            kind,
            &format!("Panel {}: {title}", event.panel),
            &text,
            &format!("/panels/{}", event.panel),
        )
        .map_err(|e| AppError::internal(format!("notification {}: {}", e.field, e.message)))?
        .urgent(event.urgent);
        self.notify(tx, &recipients, &note).await
    }
}

/// The kind of notification, its title (after the panel reference) and
/// its text, or none when the event is not one people are told about.
fn wording(event: &PanelEvent, pseudonym: &str) -> Option<(EventType, String, String)> {
    let about = format!("Patient {pseudonym}.");
    let (kind, title, text) = match event.kind {
        PanelEventKind::TriageWaiting => (
            EventType::TriageItemWaiting,
            "waits in triage",
            format!(
                "{about} The lead asked the network to find experts; forward or return it from the triage queue."
            ),
        ),
        PanelEventKind::Returned => (
            EventType::ReturnedFromTriage,
            "returned by the network",
            format!(
                "{about} The network sent your request back with a comment; see it on the request form."
            ),
        ),
        PanelEventKind::Forwarded(Forwarding::Opened) => (
            EventType::ForwardedFromTriage,
            "opened by the network",
            format!(
                "{about} The network invited experts and opened your panel; follow their answers on the panel page."
            ),
        ),
        PanelEventKind::Forwarded(Forwarding::HandedOver) => (
            EventType::ForwardedFromTriage,
            "handed to another lead",
            format!(
                "{about} The network chose another clinician to lead your request; you stay on the panel as a member."
            ),
        ),
        PanelEventKind::Forwarded(Forwarding::YouLead) => (
            EventType::ForwardedFromTriage,
            "you are the lead",
            format!("{about} The network forwarded this consultation request to you as its lead."),
        ),
        PanelEventKind::Invited => (
            EventType::Invitation,
            "you are invited",
            format!(
                "{about} You are invited to give your opinion; accept or decline on the panel page."
            ),
        ),
        PanelEventKind::InvitationAnswered { accepted: true } => (
            EventType::InvitationAnswered,
            "an invitee accepted",
            format!("{about} An invitee accepted and joined the panel."),
        ),
        PanelEventKind::InvitationAnswered { accepted: false } => (
            EventType::InvitationAnswered,
            "an invitee declined",
            format!(
                "{about} An invitee declined. Their reason: {}",
                quote(event.reason.as_deref().unwrap_or(""))
            ),
        ),
        PanelEventKind::Posted(PostKind::Contribution) => (
            EventType::Contribution,
            "new contribution",
            format!("{about} A member contributed an opinion."),
        ),
        PanelEventKind::Posted(PostKind::Comment) => (
            EventType::Contribution,
            "new comment",
            format!("{about} Someone commented in the discussion."),
        ),
        PanelEventKind::Posted(PostKind::InfoRequest) => (
            EventType::InformationRequested,
            "more information requested",
            format!("{about} A member asks you for more information; answer it in the discussion."),
        ),
        PanelEventKind::Posted(PostKind::Answer) => (
            EventType::InformationAnswered,
            "your request was answered",
            format!("{about} The lead answered your request for information."),
        ),
        PanelEventKind::AnswerDatePassed => (
            EventType::UrgentAnswerDatePassed,
            "answer date passed",
            format!(
                "{about} The answer this urgent panel was asked for is overdue; please conclude or agree a new date."
            ),
        ),
        PanelEventKind::Mentioned => (
            EventType::Mentioned,
            "you are mentioned",
            format!("{about} Someone mentions you in the discussion."),
        ),
        PanelEventKind::Stepped(Transition::RequestSignOff) => (
            EventType::OutcomeReadyForSignOff,
            "outcome ready for sign-off",
            format!("{about} The lead asks the members to sign off the outcome."),
        ),
        PanelEventKind::Stepped(Transition::Close) => (
            EventType::PanelClosed,
            "closed",
            format!("{about} The lead closed the panel; its outcome is final."),
        ),
        PanelEventKind::Stepped(Transition::Reopen) => (
            EventType::PanelReopened,
            "reopened",
            format!("{about} The lead reopened the panel for discussion."),
        ),
        PanelEventKind::Meeting(MeetingChange::Scheduled) => (
            EventType::MeetingScheduled,
            "meeting scheduled",
            format!(
                "{about} A panel meeting is scheduled; the calendar invitation comes by e-mail."
            ),
        ),
        PanelEventKind::Meeting(MeetingChange::Changed) => (
            EventType::MeetingChanged,
            "meeting changed",
            format!("{about} A panel meeting has changed; an updated invitation comes by e-mail."),
        ),
        PanelEventKind::Meeting(MeetingChange::Cancelled) => (
            EventType::MeetingCancelled,
            "meeting cancelled",
            format!("{about} A panel meeting is cancelled."),
        ),
        // The lead follows sign-offs on the outcome page; no message each.
        PanelEventKind::OutcomeAnswered { .. } | PanelEventKind::Stepped(_) => return None,
    };
    Some((kind, title.to_owned(), text))
}

/// The first [`QUOTE_CHARS`] characters of what someone wrote, on one
/// line.
fn quote(words: &str) -> String {
    let words: String = words
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if words.chars().count() <= QUOTE_CHARS {
        words.to_owned()
    } else {
        let cut: String = words.chars().take(QUOTE_CHARS).collect();
        format!("{}…", cut.trim_end())
    }
}
