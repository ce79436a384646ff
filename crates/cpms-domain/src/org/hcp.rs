use serde::{Deserialize, Serialize};

use super::{CountryCode, ErnCode, InvalidValue};
use crate::ids::HcpId;

/// The code of a healthcare provider: ISO country plus a number (`IT08`),
/// `<country>0000` for a country's guest-access entry, or `GVC-<ERN>` for an
/// ERN's Guest Virtual Centre.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HcpCode(String);

impl HcpCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let ok = (3..=32).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidValue::new(
                "hcp",
                format!(
                    "'{}' is not a hospital code (upper-case letters, digits and '-', like IT08)",
                    raw.chars().take(40).collect::<String>()
                ),
            ))
        }
    }

    pub fn guest_access(country: CountryCode) -> Self {
        Self(format!("{country}0000"))
    }

    pub fn virtual_centre(ern: &ErnCode) -> Self {
        Self(format!("GVC-{}", ern.as_str().to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::code_conversions!(HcpCode);

/// What kind of place an HCP entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HcpKind {
    /// A member hospital.
    Hospital,
    /// The `0000 Guest Access` pseudo-HCP of a country, where guest
    /// clinicians from non-member hospitals are attached.
    GuestAccess,
    /// An ERN's Guest Virtual Centre, holding patients enrolled by guests.
    VirtualCentre,
}

impl HcpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hospital => "hospital",
            Self::GuestAccess => "guest_access",
            Self::VirtualCentre => "virtual_centre",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match raw {
            "hospital" => Ok(Self::Hospital),
            "guest_access" => Ok(Self::GuestAccess),
            "virtual_centre" => Ok(Self::VirtualCentre),
            other => Err(InvalidValue::new(
                "hcp_kind",
                format!("unknown kind '{other}'"),
            )),
        }
    }
}

/// A healthcare provider entry and the ERNs it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hcp {
    pub id: HcpId,
    pub code: HcpCode,
    pub name: String,
    pub city: String,
    /// `None` only for virtual centres, which belong to no country.
    pub country: Option<CountryCode>,
    pub kind: HcpKind,
    /// Made up for the training environment; never a real hospital.
    pub synthetic: bool,
    pub erns: Vec<ErnCode>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_codes_are_valid_codes() {
        let it = CountryCode::parse("IT").unwrap();
        assert_eq!(HcpCode::guest_access(it).as_str(), "IT0000");
        let ern = ErnCode::parse("Endo-ERN").unwrap();
        let gvc = HcpCode::virtual_centre(&ern);
        assert_eq!(gvc.as_str(), "GVC-ENDO-ERN");
        assert_eq!(HcpCode::parse(gvc.as_str()).unwrap(), gvc);
    }

    #[test]
    fn rejects_lower_case_and_spaces() {
        assert!(HcpCode::parse("it08").is_err());
        assert!(HcpCode::parse("IT 08").is_err());
        assert!(HcpCode::parse("I").is_err());
    }
}
