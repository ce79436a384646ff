use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;

/// The terminologies a conclusion may be coded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermSystem {
    Orpha,
    Omim,
    Icd10,
    Hpo,
}

impl TermSystem {
    pub fn label(self) -> &'static str {
        match self {
            TermSystem::Orpha => "ORPHA",
            TermSystem::Omim => "OMIM",
            TermSystem::Icd10 => "ICD-10",
            TermSystem::Hpo => "HPO",
        }
    }
}

/// A well-formed code of one of the [`TermSystem`]s, in canonical form:
/// `ORPHA:558`, `OMIM:154700`, `E75.2`, `HP:0001250`. Whether the code
/// exists is for the terminology (the application checks it); here only
/// its shape is.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TermCode(String);

impl TermCode {
    /// Reads a code as typed: surrounding spaces and letter case are
    /// forgiven (`orpha:95` is `ORPHA:95`).
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let code = raw.trim().to_ascii_uppercase();
        if system_of(&code).is_some() {
            Ok(Self(code))
        } else {
            let shown: String = raw.trim().chars().take(30).collect();
            Err(InvalidValue::new(
                "code",
                format!(
                    "'{shown}' is not a code like ORPHA:558, OMIM:154700, ICD-10 E75.2 or HP:0001250"
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn system(&self) -> TermSystem {
        // Only well-formed codes are ever built; ICD-10 is the one without
        // a prefix, so it is the fallback.
        system_of(&self.0).unwrap_or(TermSystem::Icd10)
    }
}

crate::org::code_conversions!(TermCode);

/// Which system an upper-case code belongs to, if it is well formed.
fn system_of(code: &str) -> Option<TermSystem> {
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if let Some(n) = code.strip_prefix("ORPHA:") {
        // Orphacodes are unsigned integers without leading zeros.
        return (digits(n, 1, 7) && !n.starts_with('0')).then_some(TermSystem::Orpha);
    }
    if let Some(n) = code.strip_prefix("OMIM:") {
        return digits(n, 6, 6).then_some(TermSystem::Omim);
    }
    if let Some(n) = code.strip_prefix("HP:") {
        return digits(n, 7, 7).then_some(TermSystem::Hpo);
    }
    is_icd10(code).then_some(TermSystem::Icd10)
}

/// A letter, two digits, then optionally a dot and one to four digits or
/// letters (WHO ICD-10 uses one digit; national modifications use more):
/// `G11`, `E75.2`, `G11.10`.
fn is_icd10(code: &str) -> bool {
    let b = code.as_bytes();
    let head =
        b.len() >= 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_digit();
    head && match &b[3..] {
        [] => true,
        [b'.', rest @ ..] => {
            (1..=4).contains(&rest.len()) && rest.iter().all(u8::is_ascii_alphanumeric)
        }
        _ => false,
    }
}
