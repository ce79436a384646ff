//! Panel meetings (PRODUCT.md §5): the organiser picks a day and a time on
//! their own clock, names the zone that clock is in, and gives a duration
//! and an agenda. The plan is checked here; the invitation is written by
//! `cpms-reports` and sent by the application.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::org::InvalidValue;
use crate::patient::text;

/// The zones the meeting form offers: those of the EU and EEA countries and
/// the United Kingdom and Switzerland, whose hospitals take part, plus UTC.
/// A zone outside the list is refused, so a typo cannot schedule a meeting
/// at a surprising hour.
pub const TIME_ZONES: &[&str] = &[
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Athens",
    "Europe/Berlin",
    "Europe/Bratislava",
    "Europe/Bucharest",
    "Europe/Budapest",
    "Europe/Copenhagen",
    "Europe/Dublin",
    "Europe/Helsinki",
    "Europe/Lisbon",
    "Atlantic/Azores",
    "Atlantic/Canary",
    "Europe/Ljubljana",
    "Europe/London",
    "Europe/Luxembourg",
    "Europe/Madrid",
    "Europe/Malta",
    "Europe/Nicosia",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Prague",
    "Europe/Riga",
    "Europe/Rome",
    "Europe/Sofia",
    "Europe/Stockholm",
    "Europe/Tallinn",
    "Europe/Vienna",
    "Europe/Vilnius",
    "Europe/Warsaw",
    "Europe/Zagreb",
    "Europe/Zurich",
    "Atlantic/Reykjavik",
    "UTC",
];

/// What the form starts with, whatever the browser says: the ERNs'
/// coordination is in Brussels.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Brussels";

const MIN_MINUTES: i64 = 15;
/// Invitations refuse longer meetings (`cpms_reports::ical`).
const MAX_MINUTES: i64 = 12 * 60;
/// Below the invitation's description limit (10,000), which also carries
/// the link and the start.
const MAX_AGENDA_CHARS: usize = 8_000;
const MAX_MINUTES_CHARS: usize = 50_000;

/// A checked meeting plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingPlan {
    pub local_start: DateTime,
    pub time_zone: String,
    /// `local_start` in `time_zone`, as an instant.
    pub starts_at: Timestamp,
    pub duration_minutes: i64,
    pub agenda: String,
}

/// The meeting form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingForm {
    /// `YYYY-MM-DD`
    pub date: String,
    /// `HH:MM`
    pub time: String,
    pub time_zone: String,
    /// Whole minutes.
    pub duration: String,
    pub agenda: String,
}

impl MeetingPlan {
    /// Checks every field and names each problem; a meeting must start
    /// after `now`.
    pub fn parse(form: &MeetingForm, now: Timestamp) -> Result<Self, Vec<InvalidValue>> {
        let mut errors = Vec::new();
        let date = form
            .date
            .trim()
            .parse::<Date>()
            .map_err(|_| InvalidValue::new("date", "is not a date like 2026-12-03"));
        let time = form
            .time
            .trim()
            .parse::<Time>()
            .map_err(|_| InvalidValue::new("time", "is not a time like 14:30"));
        let zone = time_zone(&form.time_zone);
        let duration = duration(&form.duration);
        let agenda = text("agenda", &form.agenda, MAX_AGENDA_CHARS);
        let mut keep = |e: InvalidValue| errors.push(e);
        let (date, time, zone, duration, agenda) = (
            date.map_err(&mut keep).ok(),
            time.map_err(&mut keep).ok(),
            zone.map_err(&mut keep).ok(),
            duration.map_err(&mut keep).ok(),
            agenda.map_err(&mut keep).ok(),
        );
        let start = match (date, time, &zone) {
            (Some(date), Some(time), Some((name, tz))) => {
                let local = DateTime::from_parts(date, time);
                match tz.to_ambiguous_timestamp(local).unambiguous() {
                    Ok(at) if at > now => Some((local, name.clone(), at)),
                    Ok(_) => {
                        errors.push(InvalidValue::new("date", "is in the past"));
                        None
                    }
                    Err(_) => {
                        errors.push(InvalidValue::new(
                            "time",
                            format!(
                                "does not exist or happens twice on {date} in {name} because \
                                 the clocks change; choose another time"
                            ),
                        ));
                        None
                    }
                }
            }
            _ => None,
        };
        match (start, duration, agenda) {
            (Some((local_start, time_zone, starts_at)), Some(duration_minutes), Some(agenda))
                if errors.is_empty() =>
            {
                Ok(Self {
                    local_start,
                    time_zone,
                    starts_at,
                    duration_minutes,
                    agenda,
                })
            }
            _ => Err(errors),
        }
    }

    pub fn duration(&self) -> SignedDuration {
        SignedDuration::from_mins(self.duration_minutes)
    }
}

fn time_zone(raw: &str) -> Result<(String, TimeZone), InvalidValue> {
    let name = raw.trim();
    let listed = TIME_ZONES.iter().find(|z| z.eq_ignore_ascii_case(name));
    let invalid = || {
        InvalidValue::new(
            "time_zone",
            "choose a time zone from the list, like Europe/Brussels",
        )
    };
    let name = listed.ok_or_else(invalid)?;
    let zone = TimeZone::get(name).map_err(|_| invalid())?;
    Ok(((*name).to_owned(), zone))
}

fn duration(raw: &str) -> Result<i64, InvalidValue> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (MIN_MINUTES..=MAX_MINUTES).contains(m))
        .ok_or_else(|| {
            InvalidValue::new(
                "duration",
                format!("must be whole minutes from {MIN_MINUTES} to {MAX_MINUTES}"),
            )
        })
}

/// Minutes of a meeting as typed: required, bounded.
pub fn minutes(raw: &str) -> Result<String, InvalidValue> {
    text("minutes", raw, MAX_MINUTES_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(date: &str, time: &str, zone: &str, duration: &str) -> MeetingForm {
        MeetingForm {
            date: date.into(),
            time: time.into(),
            time_zone: zone.into(),
            duration: duration.into(),
            agenda: "Review the imaging".into(),
        }
    }

    fn now() -> Timestamp {
        "2026-11-01T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_plan_turns_the_local_time_into_an_instant() {
        let plan = MeetingPlan::parse(&form("2026-12-03", "14:30", "Europe/Brussels", "60"), now())
            .unwrap();
        assert_eq!(plan.starts_at.to_string(), "2026-12-03T13:30:00Z");
        assert_eq!(plan.time_zone, "Europe/Brussels");
        assert_eq!(plan.duration(), SignedDuration::from_hours(1));
    }

    #[test]
    fn every_problem_is_named() {
        let errors =
            MeetingPlan::parse(&form("03/12/2026", "2pm", "Mars/Olympus", "5"), now()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["date", "time", "time_zone", "duration"]);
        let mut empty = form("2026-12-03", "14:30", "Europe/Paris", "60");
        empty.agenda = " ".into();
        let errors = MeetingPlan::parse(&empty, now()).unwrap_err();
        assert_eq!(errors[0].field, "agenda");
    }

    #[test]
    fn past_and_skipped_times_are_refused() {
        let past =
            MeetingPlan::parse(&form("2026-10-01", "10:00", "UTC", "30"), now()).unwrap_err();
        assert_eq!(past[0].message, "is in the past");
        // Clocks in Brussels jump from 02:00 to 03:00 on 28 March 2027.
        let skipped =
            MeetingPlan::parse(&form("2027-03-28", "02:30", "Europe/Brussels", "30"), now())
                .unwrap_err();
        assert_eq!(skipped[0].field, "time");
    }
}
