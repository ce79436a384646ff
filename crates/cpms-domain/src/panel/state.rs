use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;

/// Where a panel is in its life (PRODUCT.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelState {
    /// The lead is writing the consultation request.
    Draft,
    /// The request is sent; the lead invites experts or asks the ERN for help.
    Submitted,
    /// In the ERN's queue: a coordinator or dispatcher finds experts.
    Triage,
    /// Experts discuss the case.
    Open,
    /// The lead writes the outcome document.
    OutcomeDrafting,
    /// Members sign the outcome off or comment on it.
    SignOff,
    /// The outcome is frozen and returned to the treating clinician.
    Closed,
    /// Kept read-only for the record.
    Archived,
    /// Withdrawn before closing.
    Cancelled,
}

impl PanelState {
    pub const ALL: [PanelState; 9] = [
        PanelState::Draft,
        PanelState::Submitted,
        PanelState::Triage,
        PanelState::Open,
        PanelState::OutcomeDrafting,
        PanelState::SignOff,
        PanelState::Closed,
        PanelState::Archived,
        PanelState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PanelState::Draft => "draft",
            PanelState::Submitted => "submitted",
            PanelState::Triage => "triage",
            PanelState::Open => "open",
            PanelState::OutcomeDrafting => "outcome_drafting",
            PanelState::SignOff => "sign_off",
            PanelState::Closed => "closed",
            PanelState::Archived => "archived",
            PanelState::Cancelled => "cancelled",
        }
    }

    /// How the state is named to users.
    pub fn label(self) -> &'static str {
        match self {
            PanelState::Draft => "Draft",
            PanelState::Submitted => "Submitted",
            PanelState::Triage => "Waiting for ERN triage",
            PanelState::Open => "Open",
            PanelState::OutcomeDrafting => "Outcome being drafted",
            PanelState::SignOff => "Outcome out for sign-off",
            PanelState::Closed => "Closed",
            PanelState::Archived => "Archived",
            PanelState::Cancelled => "Cancelled",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| InvalidValue::new("state", "unknown panel state"))
    }

    /// Whether the panel still takes work (as opposed to being read-only).
    pub fn is_active(self) -> bool {
        !matches!(
            self,
            PanelState::Closed | PanelState::Archived | PanelState::Cancelled
        )
    }
}
