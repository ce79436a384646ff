//! The organisation model: ERNs, countries, healthcare providers, roles and
//! memberships (PRODUCT.md §1–2).

mod country;
mod ern;
mod hcp;
mod membership;
mod role;

pub use country::{Country, CountryCode, CountryUse};
pub use ern::{Ern, ErnCode, ThematicArea};
pub use hcp::{Hcp, HcpCode, HcpKind};
pub use membership::{Membership, MembershipStatus};
pub use role::Role;

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
