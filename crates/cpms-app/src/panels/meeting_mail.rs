//! The e-mail of a meeting invitation, change or cancellation: one message
//! per attendee in plain text and HTML, carrying the iCalendar object with
//! the meeting's stable UID and current SEQUENCE. Only the panel's
//! reference, the time, the link and the agenda are written: nothing of
//! the patient.

use cpms_domain::ids::MailId;
use cpms_domain::mail::{Mail, html_escape};
use cpms_reports::ical::{self, Invitee, MeetingStatus};
use cpms_store::repo::panel_meetings::StoredMeeting;
use cpms_store::repo::panel_people::Person;

use super::event::MeetingChange;
use crate::{AppError, AppSettings};

/// What the messages of one change need to know.
pub(crate) struct MeetingNotice<'a> {
    pub reference: &'a str,
    pub urgent: bool,
    pub change: MeetingChange,
    pub meeting: &'a StoredMeeting,
    pub organiser: &'a Person,
    pub attendees: &'a [Person],
}

/// The calendar's view of a stored meeting. The UID is the meeting's id at
/// the server's host, so it never changes while the meeting lives.
fn calendar_meeting(
    n: &MeetingNotice<'_>,
    settings: &AppSettings,
) -> Result<ical::Meeting, AppError> {
    let m = n.meeting;
    let host = url::Url::parse(&settings.origin)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned());
    let invitee = |p: &Person| Invitee {
        name: p.name.clone(),
        email: p.email.clone(),
    };
    Ok(ical::Meeting {
        uid: format!("{}@{host}", m.id),
        sequence: u32::try_from(m.sequence).map_err(AppError::internal)?,
        organiser: invitee(n.organiser),
        attendees: n.attendees.iter().map(invitee).collect(),
        start: m.local_start,
        time_zone: m.time_zone.clone(),
        duration: jiff::SignedDuration::from_mins(m.duration_minutes),
        summary: format!("{}Panel {} meeting", urgent_mark(n.urgent), n.reference),
        description: format!("{}\n\nJoin: {}", m.agenda, m.video_link),
        location: Some(m.video_link.clone()),
        status: match n.change {
            MeetingChange::Cancelled => MeetingStatus::Cancelled,
            _ => MeetingStatus::Confirmed,
        },
    })
}

fn urgent_mark(urgent: bool) -> &'static str {
    if urgent { "[Urgent] " } else { "" }
}

/// When, as the organiser chose it: `Thursday 3 December 2026, 14:30
/// (Europe/Brussels), 60 minutes`.
pub fn when(m: &StoredMeeting) -> String {
    format!(
        "{} ({}), {} minutes",
        m.local_start.strftime("%A %-d %B %Y, %H:%M"),
        m.time_zone,
        m.duration_minutes
    )
}

/// One message per attendee, ready for the outbox.
pub(crate) fn meeting_mails(
    n: &MeetingNotice<'_>,
    settings: &AppSettings,
    now: jiff::Timestamp,
) -> Result<Vec<Mail>, AppError> {
    let calendar = ical::invitation(&calendar_meeting(n, settings)?, now)
        .map_err(AppError::internal)
        .and_then(|bytes| String::from_utf8(bytes).map_err(AppError::internal))?;
    let m = n.meeting;
    let (subject_word, what) = match n.change {
        MeetingChange::Scheduled => ("Meeting", "has scheduled a meeting of"),
        MeetingChange::Changed => ("Changed meeting", "has changed the meeting of"),
        MeetingChange::Cancelled => ("Cancelled meeting", "has cancelled the meeting of"),
    };
    let subject = format!(
        "{}{subject_word} of panel {}: {}",
        urgent_mark(n.urgent),
        n.reference,
        m.local_start.strftime("%-d %B %Y, %H:%M")
    );
    let panel_link = settings
        .public_url
        .as_ref()
        .map(|url| format!("{}/panels/{}", url.trim_end_matches('/'), n.reference));
    let lead_in = format!("{} {what} panel {}.", n.organiser.name, n.reference);
    let details = format!(
        "When: {}\nJoin: {}\n\nAgenda:\n{}",
        when(m),
        m.video_link,
        m.agenda
    );
    Ok(n.attendees
        .iter()
        .map(|to| {
            let footer = match &panel_link {
                Some(link) => format!("The panel: {link}\n"),
                None => String::new(),
            };
            let body_text = format!(
                "Dear {},\n\n{lead_in}\n\n{details}\n\nThe invitation is attached for your calendar.\n{footer}\nERN-CPMS, Clinical Patient Management System of the European Reference Networks\n",
                to.name
            );
            let body_html = format!(
                "<!doctype html><html><body><p>Dear {},</p><p>{}</p><p><strong>When:</strong> {}<br><strong>Join:</strong> <a href=\"{link}\">{link}</a></p><p><strong>Agenda:</strong></p><pre>{}</pre><p>The invitation is attached for your calendar.</p><p>ERN-CPMS, Clinical Patient Management System of the European Reference Networks</p></body></html>",
                html_escape(&to.name),
                html_escape(&lead_in),
                html_escape(&when(m)),
                html_escape(&m.agenda),
                link = html_escape(&m.video_link),
            );
            Mail {
                id: MailId::new(),
                recipient: to.email.clone(),
                subject: subject.clone(),
                body_text,
                body_html,
                calendar: Some(calendar.clone()),
                attempts: 0,
            }
        })
        .collect())
}
