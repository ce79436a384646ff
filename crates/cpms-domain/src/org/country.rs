use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// ISO 3166-1 alpha-2 country code, upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match raw.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Ok(Self([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => Err(InvalidValue::new(
                "country",
                format!(
                    "'{}' is not a two-letter ISO country code",
                    raw.chars().take(20).collect::<String>()
                ),
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

super::code_conversions!(CountryCode);

/// What a country may be used for. Member hospitals are in EU/EEA
/// countries; Ukraine takes part for patients and guest clinicians only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryUse {
    /// EU-27, Norway, Iceland, Liechtenstein: hospitals, guests and patients.
    Member,
    /// Patients and guest clinicians only.
    PatientsAndGuests,
}

impl CountryUse {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::PatientsAndGuests => "patients_and_guests",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match raw {
            "member" => Ok(Self::Member),
            "patients_and_guests" => Ok(Self::PatientsAndGuests),
            other => Err(InvalidValue::new(
                "country_use",
                format!("unknown country use '{other}'"),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    pub code: CountryCode,
    pub name: String,
    pub usage: CountryUse,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_rejects_other_shapes() {
        assert_eq!(CountryCode::parse("it").unwrap().as_str(), "IT");
        for bad in ["", "I", "ITA", "1T", "é"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
    }
}
