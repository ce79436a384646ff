use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;

/// The part a person plays on one panel (PRODUCT.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelRole {
    /// Owns the panel, usually the enrolling clinician.
    Lead,
    /// An invited expert who accepted.
    Member,
    /// A panel manager attached to the panel: invites, schedules, chases.
    Manager,
    /// Invited, not yet answered.
    Invited,
}

impl PanelRole {
    pub const ALL: [PanelRole; 4] = [
        PanelRole::Lead,
        PanelRole::Member,
        PanelRole::Manager,
        PanelRole::Invited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PanelRole::Lead => "lead",
            PanelRole::Member => "member",
            PanelRole::Manager => "manager",
            PanelRole::Invited => "invited",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PanelRole::Lead => "Lead",
            PanelRole::Member => "Member",
            PanelRole::Manager => "Panel manager",
            PanelRole::Invited => "Invited",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or_else(|| InvalidValue::new("panel_role", "unknown panel role"))
    }
}
