use std::fmt;

use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// The role a membership grants within one (ERN, HCP) pair
/// (PRODUCT.md §2). Platform administration is not a membership role; it is
/// a property of the user account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Healthcare professional.
    Hp,
    Coordinator,
    Dispatcher,
    PanelManagerErn,
    PanelManagerHcp,
    Researcher,
    RegistryUser,
    GuestConsult,
    GuestVirtualCentre,
    Assistant,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Hp,
        Role::Coordinator,
        Role::Dispatcher,
        Role::PanelManagerErn,
        Role::PanelManagerHcp,
        Role::Researcher,
        Role::RegistryUser,
        Role::GuestConsult,
        Role::GuestVirtualCentre,
        Role::Assistant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Hp => "hp",
            Role::Coordinator => "coordinator",
            Role::Dispatcher => "dispatcher",
            Role::PanelManagerErn => "panel_manager_ern",
            Role::PanelManagerHcp => "panel_manager_hcp",
            Role::Researcher => "researcher",
            Role::RegistryUser => "registry_user",
            Role::GuestConsult => "guest_consult",
            Role::GuestVirtualCentre => "guest_virtual_centre",
            Role::Assistant => "assistant",
        }
    }

    /// How the role is named to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Hp => "Healthcare professional",
            Role::Coordinator => "Coordinator",
            Role::Dispatcher => "Dispatcher",
            Role::PanelManagerErn => "Panel manager (ERN)",
            Role::PanelManagerHcp => "Panel manager (hospital)",
            Role::Researcher => "Researcher",
            Role::RegistryUser => "Registry user",
            Role::GuestConsult => "Guest",
            Role::GuestVirtualCentre => "Guest (virtual centre)",
            Role::Assistant => "Assistant",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or_else(|| {
                InvalidValue::new(
                    "role",
                    format!(
                        "unknown role '{}'",
                        raw.chars().take(40).collect::<String>()
                    ),
                )
            })
    }

    pub fn is_guest(self) -> bool {
        matches!(self, Role::GuestConsult | Role::GuestVirtualCentre)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("administrator").is_err());
    }
}
