use serde::{Deserialize, Serialize};

use super::InvalidValue;
use crate::ids::ThematicAreaId;

/// The short code of a European Reference Network, such as `ERN-RND` or
/// `Endo-ERN`. Codes keep the networks' own spelling and case.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ErnCode(String);

impl ErnCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let ok_len = (2..=24).contains(&raw.len());
        let ok_chars = raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if ok_len && ok_chars && raw.starts_with(|c: char| c.is_ascii_alphabetic()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidValue::new(
                "ern",
                format!(
                    "'{}' is not an ERN code (letters, digits and '-', 2 to 24 characters)",
                    truncate(raw)
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lower-case form used in user names and URLs of the training set.
    pub fn slug(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

fn truncate(raw: &str) -> String {
    raw.chars().take(40).collect()
}

super::code_conversions!(ErnCode);

/// A European Reference Network: the tenant of the system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ern {
    pub code: ErnCode,
    /// What users see, e.g. "Neurological Diseases".
    pub label: String,
    pub full_name: String,
}

/// A thematic area (no parent) or sub-area (with parent) of one ERN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThematicArea {
    pub id: ThematicAreaId,
    pub ern: ErnCode,
    pub parent: Option<ThematicAreaId>,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_network_spellings() {
        for code in ["BOND", "Endo-ERN", "ERN-RND", "eUROGEN", "TransplantChild"] {
            assert_eq!(ErnCode::parse(code).unwrap().as_str(), code);
        }
        assert_eq!(ErnCode::parse("Endo-ERN").unwrap().slug(), "endo-ern");
    }

    #[test]
    fn rejects_what_cannot_be_a_code() {
        for bad in [
            "",
            "X",
            "ERN RND",
            "-ERN",
            "ERN/RND",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        ] {
            let err = ErnCode::parse(bad).unwrap_err();
            assert_eq!(err.field, "ern", "{bad}");
        }
    }
}
