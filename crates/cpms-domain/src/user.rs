//! People who can sign in.

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::org::InvalidValue;

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    /// Suspended by an administrator: no sign-in, sessions ended.
    Suspended,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match raw {
            "active" => Ok(Self::Active),
            "suspended" => Ok(Self::Suspended),
            other => Err(InvalidValue::new(
                "status",
                format!("unknown account status '{other}'"),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub status: AccountStatus,
    pub administrator: bool,
    /// A training-environment account (created by `serve --training`).
    pub training: bool,
}

/// A user name: what people type to sign in.
pub fn parse_username(raw: &str) -> Result<String, InvalidValue> {
    let name = raw.trim().to_lowercase();
    let ok = (3..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(name)
    } else {
        Err(InvalidValue::new(
            "username",
            "a user name has 3 to 64 characters: letters, digits, '-', '_', '.' or '@'",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_trimmed_lower_case_and_restricted() {
        assert_eq!(
            parse_username("  BOND-Coordinator ").unwrap(),
            "bond-coordinator"
        );
        assert!(parse_username("ab").is_err());
        assert!(parse_username("robert'); drop").is_err());
    }
}
