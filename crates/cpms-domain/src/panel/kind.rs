use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;

/// What the lead asks the panel for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelType {
    Diagnosis,
    Treatment,
    FollowUp,
}

impl PanelType {
    pub const ALL: [PanelType; 3] = [
        PanelType::Diagnosis,
        PanelType::Treatment,
        PanelType::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PanelType::Diagnosis => "diagnosis",
            PanelType::Treatment => "treatment",
            PanelType::FollowUp => "follow_up",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PanelType::Diagnosis => "Diagnosis",
            PanelType::Treatment => "Treatment",
            PanelType::FollowUp => "Follow-up",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == raw)
            .ok_or_else(|| {
                InvalidValue::new("panel_type", "choose diagnosis, treatment or follow-up")
            })
    }
}

/// How soon the lead needs an answer; urgent panels are flagged in every
/// notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Routine,
    Urgent,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match raw {
            "routine" => Ok(Urgency::Routine),
            "urgent" => Ok(Urgency::Urgent),
            _ => Err(InvalidValue::new("urgency", "choose routine or urgent")),
        }
    }
}
