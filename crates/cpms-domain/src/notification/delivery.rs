use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::EventType;
use crate::org::InvalidValue;

/// How a person wants to hear of one kind of event. Every notification
/// lands in the in-app centre whatever the choice; this decides e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// An e-mail per notification, as it happens.
    Immediately,
    /// Gathered into one e-mail a day.
    DailyDigest,
    /// No e-mail; the notification is still in the centre and counted by
    /// the bell, so nothing is lost by turning mail off.
    Off,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Immediately, Delivery::DailyDigest, Delivery::Off];

    /// Until a person chooses: a panel that waits on someone who did not
    /// notice is the stall the product exists to prevent, and every event
    /// here asks the recipient to act or tells them their case moved. A
    /// person who finds that too much turns it down in one click; someone
    /// who never saw the setting still gets told.
    pub const DEFAULT: Delivery = Delivery::Immediately;

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Immediately => "immediately",
            Delivery::DailyDigest => "daily_digest",
            Delivery::Off => "off",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Immediately => "Immediately",
            Delivery::DailyDigest => "Daily digest",
            Delivery::Off => "Off (centre only)",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == raw)
            .ok_or_else(|| {
                InvalidValue::new(
                    "delivery",
                    format!(
                        "'{}' is not a delivery; choose immediately, daily_digest or off",
                        raw.chars().take(60).collect::<String>()
                    ),
                )
            })
    }
}

/// One person's choices; kinds they never chose get [`Delivery::DEFAULT`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    chosen: BTreeMap<EventType, Delivery>,
}

impl Preferences {
    pub fn of(&self, event: EventType) -> Delivery {
        self.chosen
            .get(&event)
            .copied()
            .unwrap_or(Delivery::DEFAULT)
    }

    pub fn set(&mut self, event: EventType, delivery: Delivery) {
        self.chosen.insert(event, delivery);
    }

    /// Every kind of event with its delivery, in [`EventType::ALL`] order.
    pub fn all(&self) -> Vec<(EventType, Delivery)> {
        EventType::ALL
            .into_iter()
            .map(|e| (e, self.of(e)))
            .collect()
    }

    /// Reads `(event name, delivery name)` pairs as a form or the API sends
    /// them. Nothing is taken unless every pair is valid, and the message
    /// names the kind of event whose choice was wrong.
    pub fn parse_changes(
        pairs: &[(String, String)],
    ) -> Result<Vec<(EventType, Delivery)>, InvalidValue> {
        if pairs.is_empty() {
            return Err(InvalidValue::new(
                "preferences",
                "choose a delivery for at least one kind of notification",
            ));
        }
        pairs
            .iter()
            .map(|(event, delivery)| {
                let event = EventType::parse(event)?;
                let delivery = Delivery::parse(delivery).map_err(|e| {
                    InvalidValue::new("delivery", format!("{}: {}", event.label(), e.message))
                })?;
                Ok((event, delivery))
            })
            .collect()
    }
}

/// Digests go out once a day at this hour, UTC (early morning in Europe,
/// before the clinical day starts from Lisbon to Helsinki).
pub const DIGEST_HOUR_UTC: i8 = 6;

/// The digest slot `now` belongs to: the latest digest hour at or before
/// `now`. A digest sent at `now` gathers what was waiting before this
/// moment; anything newer waits for the next slot, so each person gets at
/// most one digest a day however often the job runs, and a job that was
/// down for days sends one digest with everything.
pub fn digest_cutoff(now: Timestamp) -> Timestamp {
    let today = now
        .to_zoned(TimeZone::UTC)
        .date()
        .at(DIGEST_HOUR_UTC, 0, 0, 0)
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(now);
    if today <= now {
        today
    } else {
        today
            .checked_sub(SignedDuration::from_hours(24))
            .unwrap_or(today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> Timestamp {
        raw.parse().unwrap()
    }

    #[test]
    fn the_cutoff_is_the_latest_digest_hour_not_after_now() {
        assert_eq!(
            digest_cutoff(at("2026-03-10T09:30:00Z")),
            at("2026-03-10T06:00:00Z")
        );
        assert_eq!(
            digest_cutoff(at("2026-03-10T06:00:00Z")),
            at("2026-03-10T06:00:00Z")
        );
        assert_eq!(
            digest_cutoff(at("2026-03-10T05:59:59Z")),
            at("2026-03-09T06:00:00Z")
        );
        assert_eq!(
            digest_cutoff(at("2026-01-01T00:10:00Z")),
            at("2025-12-31T06:00:00Z")
        );
    }

    #[test]
    fn unchosen_kinds_are_delivered_immediately() {
        let mut prefs = Preferences::default();
        prefs.set(EventType::Contribution, Delivery::Off);
        assert_eq!(prefs.of(EventType::Contribution), Delivery::Off);
        assert_eq!(prefs.of(EventType::Invitation), Delivery::Immediately);
        assert_eq!(prefs.all().len(), EventType::ALL.len());
    }

    #[test]
    fn changes_are_taken_whole_or_refused_naming_the_kind() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        let ok = Preferences::parse_changes(&pairs(&[
            ("invitation", "off"),
            ("panel_closed", "daily_digest"),
        ]))
        .unwrap();
        assert_eq!(
            ok,
            vec![
                (EventType::Invitation, Delivery::Off),
                (EventType::PanelClosed, Delivery::DailyDigest)
            ]
        );
        let bad = Preferences::parse_changes(&pairs(&[
            ("invitation", "off"),
            ("contribution", "weekly"),
        ]))
        .unwrap_err();
        assert!(
            bad.message.contains("A new contribution to a panel"),
            "{bad}"
        );
        assert!(bad.message.contains("'weekly' is not a delivery"), "{bad}");
        let unknown = Preferences::parse_changes(&pairs(&[("birthday", "off")])).unwrap_err();
        assert!(
            unknown.message.contains("'birthday' is not a kind"),
            "{unknown}"
        );
        assert!(Preferences::parse_changes(&[]).is_err());
    }

    #[test]
    fn names_round_trip() {
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()).unwrap(), e);
        }
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()).unwrap(), d);
        }
    }
}
