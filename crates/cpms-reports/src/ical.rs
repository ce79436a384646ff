//! Meeting invitations as iCalendar (RFC 5545) `text/calendar` bodies, with
//! iTIP methods (RFC 5546): `REQUEST` to invite or update, `CANCEL` to call
//! a meeting off. The UID stays the same for the life of a meeting and
//! every change goes out with a higher SEQUENCE, so calendars replace the
//! event they hold instead of adding a second one.
//!
//! Times are written in UTC (`DTSTART:20261203T130000Z`), which RFC 5545
//! allows (§3.3.5, form 2). A panel meeting is one occurrence, so one
//! instant describes it fully, and every client shows it in its reader's
//! own zone, which is what attendees across Europe need. The alternative,
//! `TZID=` with a VTIMEZONE, would mean writing the zone's rules out of the
//! tz database ourselves for clients that each honour them differently,
//! with nothing gained for a single occurrence. The organiser's zone is
//! still where the time is chosen: it is checked against the tz database,
//! turns the local start into the instant, and is printed in the
//! description with the local time so nobody wonders what was meant.

mod lines;

use cpms_domain::org::InvalidValue;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use lines::{escape_text, fold_into, quoted_param};

const MAX_SUMMARY_CHARS: usize = 250;
const MAX_DESCRIPTION_CHARS: usize = 10_000;
const MAX_LOCATION_CHARS: usize = 2_000;
const MAX_ATTENDEES: usize = 200;
const MAX_UID_CHARS: usize = 255;
const LONGEST_MEETING: SignedDuration = SignedDuration::from_hours(12);

/// The media type of what [`invitation`] returns, for the mail part.
pub fn content_type(meeting: &Meeting) -> String {
    format!(
        "text/calendar; charset=utf-8; method={}",
        meeting.status.method()
    )
}

/// A scheduled panel meeting, as invitations describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// Stable for the life of the meeting, e.g. `<meeting id>@<host>`.
    pub uid: String,
    /// 0 when first sent; raised by every change (see [`Meeting::revised`]).
    pub sequence: u32,
    pub organiser: Invitee,
    pub attendees: Vec<Invitee>,
    /// The start as the organiser's clock shows it in `time_zone`.
    pub start: DateTime,
    /// An IANA zone name such as `Europe/Brussels`.
    pub time_zone: String,
    pub duration: SignedDuration,
    pub summary: String,
    /// The agenda, as plain text.
    pub description: String,
    /// Where to join: the video link, or a room.
    pub location: Option<String>,
    pub status: MeetingStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStatus {
    Confirmed,
    Cancelled,
}

impl MeetingStatus {
    fn method(self) -> &'static str {
        match self {
            MeetingStatus::Confirmed => "REQUEST",
            MeetingStatus::Cancelled => "CANCEL",
        }
    }

    fn as_ical(self) -> &'static str {
        match self {
            MeetingStatus::Confirmed => "CONFIRMED",
            MeetingStatus::Cancelled => "CANCELLED",
        }
    }
}

impl Meeting {
    /// The same meeting, one sequence on, to be changed and sent again.
    pub fn revised(&self) -> Meeting {
        Meeting {
            sequence: self.sequence + 1,
            ..self.clone()
        }
    }

    /// The cancellation of this meeting: one sequence on, cancelled.
    pub fn cancelled(&self) -> Meeting {
        Meeting {
            status: MeetingStatus::Cancelled,
            ..self.revised()
        }
    }

    /// The instant the meeting starts. Refuses unknown zones and local
    /// times that a clock change skips or repeats in that zone.
    pub fn starts_at(&self) -> Result<Timestamp, InvalidValue> {
        let zone = TimeZone::get(&self.time_zone).map_err(|_| {
            InvalidValue::new(
                "time_zone",
                format!(
                    "'{}' is not a time zone of the tz database, like Europe/Brussels",
                    self.time_zone.chars().take(60).collect::<String>()
                ),
            )
        })?;
        zone.to_ambiguous_timestamp(self.start)
            .unambiguous()
            .map_err(|_| {
                InvalidValue::new(
                    "start",
                    format!(
                        "{} does not exist or happens twice in {} because the clocks change; choose another time",
                        self.start.strftime("%Y-%m-%d %H:%M"),
                        self.time_zone
                    ),
                )
            })
    }
}

/// The invitation (or, for a cancelled meeting, the cancellation) as the
/// bytes of a `text/calendar` body. `now` is the DTSTAMP: when this message
/// was made.
pub fn invitation(meeting: &Meeting, now: Timestamp) -> Result<Vec<u8>, InvalidValue> {
    let start = meeting.starts_at()?;
    check(meeting)?;
    let end = start
        .checked_add(meeting.duration)
        .map_err(|_| InvalidValue::new("duration", "ends past the supported range"))?;
    let description = format!(
        "{}\n\nStarts {} ({}).",
        meeting.description.trim_end(),
        meeting.start.strftime("%A %-d %B %Y, %H:%M"),
        meeting.time_zone
    );
    let mut out = String::with_capacity(1024);
    let mut line = |l: String| fold_into(&mut out, &l);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//ERN-CPMS//Panel meetings//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("METHOD:{}", meeting.status.method()));
    line("BEGIN:VEVENT".into());
    line(format!("UID:{}", meeting.uid));
    line(format!("SEQUENCE:{}", meeting.sequence));
    line(format!("DTSTAMP:{}", utc(now)));
    line(format!("DTSTART:{}", utc(start)));
    line(format!("DTEND:{}", utc(end)));
    line(format!("SUMMARY:{}", escape_text(&meeting.summary)));
    line(format!(
        "DESCRIPTION:{}",
        escape_text(description.trim_start())
    ));
    if let Some(location) = &meeting.location {
        line(format!("LOCATION:{}", escape_text(location)));
    }
    line(format!("STATUS:{}", meeting.status.as_ical()));
    line(format!(
        "ORGANIZER;CN={}:mailto:{}",
        quoted_param(&meeting.organiser.name),
        meeting.organiser.email
    ));
    for a in &meeting.attendees {
        line(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
            quoted_param(&a.name),
            a.email
        ));
    }
    line("END:VEVENT".into());
    line("END:VCALENDAR".into());
    Ok(out.into_bytes())
}

/// A UTC date-time in the basic form RFC 5545 wants.
fn utc(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn check(m: &Meeting) -> Result<(), InvalidValue> {
    let uid_ok = !m.uid.is_empty()
        && m.uid.len() <= MAX_UID_CHARS
        && m.uid.bytes().all(|b| b.is_ascii_graphic());
    if !uid_ok {
        return Err(InvalidValue::new(
            "uid",
            "must be 1 to 255 printable ASCII characters without spaces",
        ));
    }
    if m.duration <= SignedDuration::ZERO || m.duration > LONGEST_MEETING {
        return Err(InvalidValue::new(
            "duration",
            "must be more than zero and at most 12 hours",
        ));
    }
    if m.summary.trim().is_empty() {
        return Err(InvalidValue::new("summary", "is required"));
    }
    for (field, value, max) in [
        ("summary", m.summary.as_str(), MAX_SUMMARY_CHARS),
        ("description", m.description.as_str(), MAX_DESCRIPTION_CHARS),
        (
            "location",
            m.location.as_deref().unwrap_or(""),
            MAX_LOCATION_CHARS,
        ),
    ] {
        if value.chars().count() > max {
            return Err(InvalidValue::new(
                field,
                format!("must be at most {max} characters"),
            ));
        }
    }
    if m.attendees.is_empty() || m.attendees.len() > MAX_ATTENDEES {
        return Err(InvalidValue::new(
            "attendees",
            format!("invite 1 to {MAX_ATTENDEES} people"),
        ));
    }
    check_email("organiser", &m.organiser.email)?;
    for a in &m.attendees {
        check_email("attendees", &a.email)?;
    }
    Ok(())
}

/// An address that can stand in a `mailto:` URI as it is: one `@` with
/// text on both sides, and none of the characters a URI or a content line
/// would need escaped.
fn check_email(field: &'static str, email: &str) -> Result<(), InvalidValue> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&'*+-./=^_`{|}~".contains(&b))
    };
    match email.split_once('@') {
        Some((local, domain)) if plain(local) && plain(domain) && email.len() <= 254 => Ok(()),
        _ => Err(InvalidValue::new(
            field,
            format!(
                "'{}' is not an e-mail address this invitation can carry",
                email.chars().take(60).collect::<String>()
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
