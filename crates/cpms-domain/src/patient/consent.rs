//! The three consents of PRODUCT.md §4, each with its date, status and who
//! recorded it. Care consent is what makes enrolment possible at all.

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::org::InvalidValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Sharing within the ERNs for the consultation; required to enrol.
    Care,
    /// Inclusion in ERN registries and databases.
    Registry,
    /// Being contacted about research.
    ResearchContact,
}

impl ConsentKind {
    pub const ALL: [ConsentKind; 3] = [Self::Care, Self::Registry, Self::ResearchContact];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Care => "care",
            Self::Registry => "registry",
            Self::ResearchContact => "research_contact",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| InvalidValue::new("consent", format!("unknown consent '{raw}'")))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Care => "Care (sharing within the ERNs for this consultation)",
            Self::Registry => "ERN registries and databases",
            Self::ResearchContact => "Being contacted for research",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Given,
    Refused,
    Withdrawn,
}

impl ConsentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Given => "given",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        [Self::Given, Self::Refused, Self::Withdrawn]
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| InvalidValue::new("consent", format!("unknown status '{raw}'")))
    }
}

/// One consent as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub kind: ConsentKind,
    pub status: ConsentStatus,
    /// The day the patient gave (or refused, or withdrew) it.
    pub date: jiff::civil::Date,
    pub recorded_by: UserId,
    pub recorded_at: jiff::Timestamp,
}

/// The consents a patient holds; at most one per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consents(Vec<Consent>);

impl Consents {
    /// The consents given at enrolment. Care consent must be among them and
    /// given, and no consent may be dated after `today`.
    pub fn at_enrolment(
        consents: Vec<Consent>,
        today: jiff::civil::Date,
    ) -> Result<Self, InvalidValue> {
        let mut set = Self::default();
        for consent in consents {
            set.record(consent, today)?;
        }
        if !set.is_given(ConsentKind::Care) {
            return Err(InvalidValue::new(
                "care_consent",
                "a patient can be enrolled only with their care consent",
            ));
        }
        Ok(set)
    }

    /// Records a consent, replacing the earlier one of its kind.
    pub fn record(
        &mut self,
        consent: Consent,
        today: jiff::civil::Date,
    ) -> Result<(), InvalidValue> {
        if consent.date > today {
            return Err(InvalidValue::new(
                "consent_date",
                "a consent cannot be dated in the future",
            ));
        }
        self.0.retain(|c| c.kind != consent.kind);
        self.0.push(consent);
        self.0.sort_by_key(|c| c.kind as u8);
        Ok(())
    }

    pub fn get(&self, kind: ConsentKind) -> Option<&Consent> {
        self.0.iter().find(|c| c.kind == kind)
    }

    pub fn is_given(&self, kind: ConsentKind) -> bool {
        self.get(kind)
            .is_some_and(|c| c.status == ConsentStatus::Given)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Consent> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent(kind: ConsentKind, status: ConsentStatus) -> Consent {
        Consent {
            kind,
            status,
            date: jiff::civil::date(2026, 11, 20),
            recorded_by: UserId::new(),
            recorded_at: "2026-11-23T10:00:00Z".parse().unwrap(),
        }
    }

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 23)
    }

    #[test]
    fn enrolment_needs_given_care_consent() {
        let none = Consents::at_enrolment(vec![], today()).unwrap_err();
        assert_eq!(none.field, "care_consent");
        let refused = vec![
            consent(ConsentKind::Care, ConsentStatus::Refused),
            consent(ConsentKind::Registry, ConsentStatus::Given),
        ];
        assert!(Consents::at_enrolment(refused, today()).is_err());
        let given = vec![consent(ConsentKind::Care, ConsentStatus::Given)];
        let set = Consents::at_enrolment(given, today()).unwrap();
        assert!(set.is_given(ConsentKind::Care));
        assert!(!set.is_given(ConsentKind::Registry));
    }

    #[test]
    fn a_later_consent_replaces_the_earlier_and_future_dates_are_refused() {
        let mut set = Consents::at_enrolment(
            vec![consent(ConsentKind::Care, ConsentStatus::Given)],
            today(),
        )
        .unwrap();
        set.record(
            consent(ConsentKind::Care, ConsentStatus::Withdrawn),
            today(),
        )
        .unwrap();
        assert_eq!(set.iter().count(), 1);
        assert!(!set.is_given(ConsentKind::Care));
        let mut future = consent(ConsentKind::Registry, ConsentStatus::Given);
        future.date = jiff::civil::date(2026, 11, 24);
        assert_eq!(
            set.record(future, today()).unwrap_err().field,
            "consent_date"
        );
    }
}
