//! Patients: who they are to the enrolling hospital (identifying fields,
//! encrypted at rest by the layers below), and who they are to everybody
//! else (a pseudonym, sex, year of birth, country).

mod consent;
mod pseudonym;
mod search;

use serde::{Deserialize, Serialize};

pub use consent::{Consent, ConsentKind, ConsentStatus, Consents};
pub use pseudonym::{Pseudonym, RANDOM_BYTES};
pub use search::{PatientSearch, nickname_key};

use crate::ids::{HcpId, PatientId, UserId};
use crate::org::{CountryCode, ErnCode, InvalidValue};
pub use crate::pedigree::Sex;

const MAX_NAME_CHARS: usize = 200;
const MAX_RECORD_NUMBER_CHARS: usize = 64;
const MAX_NICKNAME_CHARS: usize = 40;

/// The fields that identify a patient. They never leave the enrolling
/// hospital's view and are stored only encrypted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub name: String,
    pub date_of_birth: jiff::civil::Date,
    /// The hospital's own record number (MRN).
    pub record_number: String,
}

/// Identifying data stays out of logs and panic messages.
impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity(…)")
    }
}

impl Identity {
    /// Validates the identifying fields as entered; `today` bounds the date
    /// of birth.
    pub fn new(
        name: &str,
        date_of_birth: jiff::civil::Date,
        record_number: &str,
        today: jiff::civil::Date,
    ) -> Result<Self, InvalidValue> {
        let name = text("name", name, MAX_NAME_CHARS)?;
        let record_number = text("record_number", record_number, MAX_RECORD_NUMBER_CHARS)?;
        if date_of_birth > today {
            return Err(InvalidValue::new(
                "date_of_birth",
                "cannot be in the future",
            ));
        }
        if date_of_birth.year() < 1900 {
            return Err(InvalidValue::new(
                "date_of_birth",
                "must be in 1900 or later",
            ));
        }
        Ok(Self {
            name,
            date_of_birth,
            record_number,
        })
    }
}

/// Required single-line text: trimmed, not empty, bounded, no control
/// characters.
pub(crate) fn text(field: &'static str, raw: &str, max: usize) -> Result<String, InvalidValue> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(InvalidValue::new(field, "is required"));
    }
    bounded(field, value, max)
}

/// Text that may be empty: bounded, no control characters.
pub(crate) fn bounded(field: &'static str, raw: &str, max: usize) -> Result<String, InvalidValue> {
    let value = raw.trim();
    if value.chars().count() > max {
        return Err(InvalidValue::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(InvalidValue::new(field, "contains control characters"));
    }
    Ok(value.to_owned())
}

/// A local nickname: a short handle for the enrolling team, shown in their
/// patient list. Never the patient's name.
pub fn nickname(raw: &str) -> Result<Option<String>, InvalidValue> {
    let value = bounded("nickname", raw, MAX_NICKNAME_CHARS)?;
    if value.contains('\n') {
        return Err(InvalidValue::new("nickname", "must be one line"));
    }
    Ok((!value.is_empty()).then_some(value))
}

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatientStatus {
    Active,
    /// Care consent withdrawn: the record can be read but not changed.
    Locked,
    /// Identifying data destroyed after an erasure request.
    Erased,
}

impl PatientStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Locked => "locked",
            Self::Erased => "erased",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        [Self::Active, Self::Locked, Self::Erased]
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| InvalidValue::new("status", format!("unknown patient status '{raw}'")))
    }
}

/// An enrolled patient. `identity` is `None` once erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patient {
    pub id: PatientId,
    pub pseudonym: Pseudonym,
    pub nickname: Option<String>,
    pub sex: Sex,
    pub birth_year: i16,
    pub country: CountryCode,
    pub ern: ErnCode,
    pub hcp: HcpId,
    pub enrolled_by: UserId,
    pub enrolled_at: jiff::Timestamp,
    pub status: PatientStatus,
    pub identity: Option<Identity>,
    pub consents: Consents,
}

impl Patient {
    /// Whether the record may be changed.
    pub fn is_editable(&self) -> bool {
        self.status == PatientStatus::Active
    }

    /// Age in whole years on `today`, from the year of birth only (what the
    /// pseudonymised view may show).
    pub fn approximate_age(&self, today: jiff::civil::Date) -> i16 {
        today.year() - self.birth_year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 23)
    }

    #[test]
    fn identity_fields_are_checked() {
        let dob = jiff::civil::date(2015, 3, 4);
        let ok = Identity::new("  Anna Rossi ", dob, "MRN-1", today()).unwrap();
        assert_eq!(ok.name, "Anna Rossi");
        assert_eq!(
            format!("{ok:?}"),
            "Identity(…)",
            "no identifying data in Debug"
        );
        assert_eq!(
            Identity::new("", dob, "1", today()).unwrap_err().field,
            "name"
        );
        assert_eq!(
            Identity::new("A", jiff::civil::date(2026, 11, 24), "1", today())
                .unwrap_err()
                .field,
            "date_of_birth"
        );
        assert_eq!(
            Identity::new("A", dob, "x\u{7}", today())
                .unwrap_err()
                .field,
            "record_number"
        );
    }

    #[test]
    fn nicknames_are_short_and_optional() {
        assert_eq!(nickname("  ").unwrap(), None);
        assert_eq!(nickname("bed 4").unwrap().as_deref(), Some("bed 4"));
        assert!(nickname(&"x".repeat(41)).is_err());
    }
}
