use serde::{Deserialize, Serialize};

use crate::ids::{ThematicAreaId, UserId};
use crate::org::{CountryCode, InvalidValue};

/// Longest "specialist in" text, in characters.
pub const SPECIALIST_IN_MAX: usize = 2000;

/// What kind of person signs up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Clinician,
    /// Works for named clinicians of the same hospital.
    Assistant,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clinician => "clinician",
            Self::Assistant => "assistant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Clinician => "Clinician",
            Self::Assistant => "Assistant",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match raw {
            "clinician" => Ok(Self::Clinician),
            "assistant" => Ok(Self::Assistant),
            _ => Err(InvalidValue::new(
                "category",
                "choose whether you are a clinician or an assistant",
            )),
        }
    }
}

/// Which patients a clinician cares for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaresFor {
    Adult,
    Paediatric,
    Both,
}

impl CaresFor {
    pub const ALL: [CaresFor; 3] = [Self::Adult, Self::Paediatric, Self::Both];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Adult => "adult",
            Self::Paediatric => "paediatric",
            Self::Both => "both",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Adult => "Adults",
            Self::Paediatric => "Children",
            Self::Both => "Adults and children",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw)
            .ok_or_else(|| InvalidValue::new("cares_for", "choose adults, children or both"))
    }
}

/// A user's clinical focus: what the expert directory searches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertProfile {
    pub user: UserId,
    pub category: Category,
    pub cares_for: CaresFor,
    /// A profession code of the reference list.
    pub profession: String,
    /// "What can you give expert advice on?"
    pub specialist_in: String,
    pub areas: Vec<ThematicAreaId>,
    /// Guests only: their own hospital and the country they work in.
    pub guest_hospital: Option<String>,
    pub working_country: Option<CountryCode>,
}

impl ExpertProfile {
    /// Checks the free text; the codes are checked against reference data
    /// where they are stored.
    pub fn validate(&self) -> Result<(), InvalidValue> {
        let text = self.specialist_in.trim();
        if text.is_empty() {
            return Err(InvalidValue::new(
                "specialist_in",
                "say what you can give expert advice on",
            ));
        }
        if text.chars().count() > SPECIALIST_IN_MAX {
            return Err(InvalidValue::new(
                "specialist_in",
                format!("keep the focus text under {SPECIALIST_IN_MAX} characters"),
            ));
        }
        if self.profession.trim().is_empty() {
            return Err(InvalidValue::new("profession", "choose your profession"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(text: &str) -> ExpertProfile {
        ExpertProfile {
            user: UserId::new(),
            category: Category::Clinician,
            cares_for: CaresFor::Both,
            profession: "neurologist".into(),
            specialist_in: text.into(),
            areas: vec![],
            guest_hospital: None,
            working_country: None,
        }
    }

    #[test]
    fn the_focus_text_is_required_and_bounded() {
        assert!(profile("Hereditary ataxias").validate().is_ok());
        assert_eq!(
            profile("   ").validate().unwrap_err().field,
            "specialist_in"
        );
        let long = "x".repeat(SPECIALIST_IN_MAX + 1);
        assert_eq!(
            profile(&long).validate().unwrap_err().field,
            "specialist_in"
        );
    }

    #[test]
    fn codes_round_trip() {
        for c in CaresFor::ALL {
            assert_eq!(CaresFor::parse(c.as_str()), Ok(c));
        }
        assert_eq!(Category::parse("assistant"), Ok(Category::Assistant));
        assert!(Category::parse("nurse").is_err());
    }
}
