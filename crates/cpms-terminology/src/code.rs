//! Coding systems and the normalisation of codes as users type them.

use std::fmt;

use crate::error::CodeError;

/// A coding system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum System {
    /// Human Phenotype Ontology (`HP:0001250`).
    Hpo,
    /// Orphanet rare diseases (`ORPHA:558`).
    Orpha,
    /// Online Mendelian Inheritance in Man (`OMIM:154700`).
    Omim,
    /// WHO ICD-10 2019 (`Q87.4`).
    Icd10,
}

impl System {
    /// Every system, in display order.
    pub const ALL: [System; 4] = [System::Hpo, System::Orpha, System::Omim, System::Icd10];

    /// Short human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            System::Hpo => "HPO",
            System::Orpha => "ORPHA",
            System::Omim => "OMIM",
            System::Icd10 => "ICD-10",
        }
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Roman numerals of the 22 ICD-10 chapters.
const CHAPTERS: [&str; 22] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII",
];

/// Prefixes naming a system, longest first so `ORPHANET` wins over `ORPHA`.
const PREFIXES: [(&str, System); 8] = [
    ("ORPHANET", System::Orpha),
    ("ICD-10", System::Icd10),
    ("ORPHA", System::Orpha),
    ("ICD10", System::Icd10),
    ("OMIM", System::Omim),
    ("MIM", System::Omim),
    ("HPO", System::Hpo),
    ("HP", System::Hpo),
];

/// Validates a code as typed or posted by a user and returns its system and canonical
/// form. Accepted forms (case-insensitive, surrounding whitespace ignored):
///
/// | system | accepted | canonical |
/// |---|---|---|
/// | HPO | `HP:0001250`, `HP_0001250`, `hp 1250`, `hp:1250` (short numbers are zero-padded), `0001250` (a bare number only when it has exactly 7 digits) | `HP:0001250` |
/// | ORPHA | `ORPHA:558`, `Orphanet:558`, `Orphanet_558`, `ORPHA 558`, `orpha558` | `ORPHA:558` |
/// | OMIM | `OMIM:154700`, `MIM:154700`, `omim 154700` (exactly 6 digits) | `OMIM:154700` |
/// | ICD-10 | `Q87.4`, `q874`, `Q87`, `B18.00`, blocks `Q80-Q89`, chapters `XVII`, optionally prefixed `ICD10:` / `ICD-10:` | `Q87.4`, `Q80-Q89`, `XVII` |
///
/// A bare number with fewer than 7 digits is rejected as ambiguous (ORPHA and OMIM
/// numbers overlap); type-ahead search instead tries it in every system asked for.
/// This checks the form only: [`crate::Terminology::get`] says whether the code exists.
pub fn parse_code(input: &str) -> Result<(System, String), CodeError> {
    let upper = input.trim().to_ascii_uppercase();
    if upper.is_empty() {
        return Err(CodeError::Empty);
    }
    if let Some((system, rest)) = split_prefix(&upper) {
        return canonical(system, rest, input).map(|code| (system, code));
    }
    if upper.bytes().all(|b| b.is_ascii_digit()) {
        return if upper.len() == 7 {
            canonical(System::Hpo, &upper, input).map(|code| (System::Hpo, code))
        } else {
            Err(CodeError::AmbiguousNumber(upper))
        };
    }
    icd10(&upper)
        .map(|code| (System::Icd10, code))
        .ok_or_else(|| CodeError::Unrecognised(input.trim().to_owned()))
}

/// Codes a type-ahead query could mean: the parsed code, or for a bare number every
/// system whose number format it fits.
pub(crate) fn code_candidates(query: &str) -> Vec<(System, String)> {
    match parse_code(query) {
        Ok(found) => vec![found],
        Err(CodeError::AmbiguousNumber(digits)) => [System::Orpha, System::Omim]
            .into_iter()
            .filter_map(|system| {
                canonical(system, &digits, query)
                    .ok()
                    .map(|code| (system, code))
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Splits a known system prefix and its optional separator (`:`, `_` or a space) off the code.
fn split_prefix(upper: &str) -> Option<(System, &str)> {
    PREFIXES.iter().find_map(|(prefix, system)| {
        let rest = upper.strip_prefix(prefix)?;
        let rest = rest
            .strip_prefix([':', '_', ' '])
            .unwrap_or(rest)
            .trim_start();
        // "HP" must be followed by the number: "HPX" is not an HPO code.
        let starts_right = match system {
            System::Icd10 => !rest.is_empty(),
            _ => rest.bytes().next().is_some_and(|b| b.is_ascii_digit()),
        };
        starts_right.then_some((*system, rest))
    })
}

fn canonical(system: System, rest: &str, input: &str) -> Result<String, CodeError> {
    let invalid = |reason| CodeError::Invalid {
        input: input.trim().to_owned(),
        system: system.label(),
        reason,
    };
    let digits_only = !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    match system {
        System::Hpo if digits_only && rest.len() <= 7 => Ok(format!("HP:{rest:0>7}")),
        System::Hpo => Err(invalid("expected up to 7 digits, as in HP:0001250")),
        System::Orpha if digits_only && rest.len() <= 7 => {
            let number = rest.trim_start_matches('0');
            if number.is_empty() {
                Err(invalid("ORPHA:0 does not exist"))
            } else {
                Ok(format!("ORPHA:{number}"))
            }
        }
        System::Orpha => Err(invalid("expected a number, as in ORPHA:558")),
        System::Omim if digits_only && rest.len() == 6 => Ok(format!("OMIM:{rest}")),
        System::Omim => Err(invalid("expected exactly 6 digits, as in OMIM:154700")),
        System::Icd10 => icd10(rest).ok_or_else(|| invalid("expected a code like Q87.4")),
    }
}

/// Canonical ICD-10 code for an upper-case chapter, block, category or subcategory.
fn icd10(upper: &str) -> Option<String> {
    if CHAPTERS.contains(&upper) {
        return Some(upper.to_owned());
    }
    if let Some((first, last)) = upper.split_once('-') {
        let (first, last) = (icd10_category(first)?, icd10_category(last)?);
        return (first <= last).then(|| format!("{first}-{last}"));
    }
    let category = icd10_category(upper.get(..3)?)?;
    let rest = &upper[3..];
    if rest.is_empty() {
        return Some(category.to_owned());
    }
    let detail = rest.strip_prefix('.').unwrap_or(rest);
    let digits = (1..=2).contains(&detail.len()) && detail.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| format!("{category}.{detail}"))
}

/// A three-character ICD-10 category: one letter and two digits.
fn icd10_category(code: &str) -> Option<&str> {
    let bytes = code.as_bytes();
    let well_formed = bytes.len() == 3
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_digit()
        && bytes[2].is_ascii_digit();
    well_formed.then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> (System, String) {
        match parse_code(input) {
            Ok(parsed) => parsed,
            Err(error) => panic!("{input:?} should parse: {error}"),
        }
    }

    #[test]
    fn hpo_forms_normalise_to_padded_hp_colon() {
        for input in [
            "HP:0001250",
            "hp:0001250",
            "HP_0001250",
            "hp 1250",
            "hp:1250",
            "0001250",
        ] {
            assert_eq!(ok(input), (System::Hpo, "HP:0001250".to_owned()), "{input}");
        }
        assert!(matches!(
            parse_code("HP:00012500"),
            Err(CodeError::Invalid { system: "HPO", .. })
        ));
        assert!(matches!(
            parse_code("HP:12a"),
            Err(CodeError::Invalid { .. })
        ));
    }

    #[test]
    fn orpha_and_omim_forms() {
        for input in [
            "ORPHA:558",
            "Orphanet:558",
            "orphanet_558",
            "ORPHA 558",
            "orpha558",
            "ORPHA:0558",
        ] {
            assert_eq!(
                ok(input),
                (System::Orpha, "ORPHA:558".to_owned()),
                "{input}"
            );
        }
        for input in ["OMIM:154700", "MIM:154700", " omim 154700 "] {
            assert_eq!(
                ok(input),
                (System::Omim, "OMIM:154700".to_owned()),
                "{input}"
            );
        }
        assert!(matches!(
            parse_code("OMIM:15470"),
            Err(CodeError::Invalid { system: "OMIM", .. })
        ));
        assert!(matches!(
            parse_code("ORPHA:0"),
            Err(CodeError::Invalid { .. })
        ));
    }

    #[test]
    fn icd10_forms() {
        for (input, code) in [
            ("Q87.4", "Q87.4"),
            ("q874", "Q87.4"),
            ("ICD10:Q87.4", "Q87.4"),
            ("icd-10 q87", "Q87"),
            ("b1800", "B18.00"),
            ("q80-q89", "Q80-Q89"),
            ("xvii", "XVII"),
        ] {
            assert_eq!(ok(input), (System::Icd10, code.to_owned()), "{input}");
        }
        for bad in ["Q8", "Q87.", "Q87.456", "Q89-Q80", "XXIII", "87.4"] {
            assert!(parse_code(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn bare_short_numbers_are_ambiguous_but_searchable() {
        assert_eq!(
            parse_code("558"),
            Err(CodeError::AmbiguousNumber("558".to_owned()))
        );
        assert_eq!(
            code_candidates("154700"),
            vec![
                (System::Orpha, "ORPHA:154700".to_owned()),
                (System::Omim, "OMIM:154700".to_owned())
            ]
        );
        assert_eq!(
            code_candidates("558"),
            vec![(System::Orpha, "ORPHA:558".to_owned())]
        );
    }

    #[test]
    fn junk_is_unrecognised_and_empty_is_empty() {
        assert_eq!(parse_code("  "), Err(CodeError::Empty));
        assert!(matches!(
            parse_code("seizure"),
            Err(CodeError::Unrecognised(_))
        ));
        assert!(matches!(
            parse_code("HPX:1"),
            Err(CodeError::Unrecognised(_))
        ));
    }
}
