//! The organisation model: ERNs, countries, healthcare providers, roles and
//! memberships (PRODUCT.md §1–2).

pub use country::{Country, CountryCode, CountryUse};
pub use ern::{Ern, ErnCode, ThematicArea};
pub use hcp::{Hcp, HcpCode, HcpKind};
pub use membership::{Membership, MembershipStatus};
pub use role::Role;

/// The conversions every validated code type shares: from a `String`
/// through its `parse`, back into a `String`, and display as the bare code.
/// The type must have `parse(&str) -> Result<Self, InvalidValue>` and
/// `as_str(&self) -> &str`.
macro_rules! code_conversions {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = $crate::org::InvalidValue;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> Self {
                code.as_str().to_owned()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.as_str())
            }
        }
    };
}
pub(crate) use code_conversions;

mod country;
mod ern;
mod hcp;
mod membership;
mod role;

/// A value that failed validation, with the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidValue {
    pub field: &'static str,
    pub message: String,
}

impl InvalidValue {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}
