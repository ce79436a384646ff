//! The entries of the record's sections, each validated when built.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;
use crate::patient::{bounded, text};

const MAX_NAME_CHARS: usize = 300;
const MAX_SHORT_CHARS: usize = 80;
const MAX_NOTE_CHARS: usize = 2000;

/// A code from a terminology with the name it had when chosen. The code's
/// existence is checked against the terminology by the application; here
/// only its system prefix is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodedTerm {
    pub code: String,
    pub name: String,
}

impl fmt::Display for CodedTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

/// "Rare disorder without a determined diagnosis after full investigation".
pub const ORPHA_UNDIAGNOSED: &str = "ORPHA:616874";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisStatus {
    Suspected,
    Confirmed,
    Excluded,
}

impl DiagnosisStatus {
    pub const ALL: [DiagnosisStatus; 3] = [Self::Suspected, Self::Confirmed, Self::Excluded];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suspected => "suspected",
            Self::Confirmed => "confirmed",
            Self::Excluded => "excluded",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub term: CodedTerm,
    pub status: DiagnosisStatus,
}

impl Diagnosis {
    /// ORPHA, OMIM or ICD-10 (`ORPHA:558`, `OMIM:154700`, `Q87.4`).
    /// "Undiagnosed" is recorded as confirmed ORPHA:616874, so it cannot be
    /// suspected or excluded.
    pub fn new(term: CodedTerm, status: DiagnosisStatus) -> Result<Self, InvalidValue> {
        let code = term.code.as_str();
        let coded = code.starts_with("ORPHA:") || code.starts_with("OMIM:") || is_icd10(code);
        if !coded {
            return Err(InvalidValue::new(
                "diagnosis",
                format!("'{code}' is not an ORPHA, OMIM or ICD-10 code"),
            ));
        }
        if code == ORPHA_UNDIAGNOSED && status != DiagnosisStatus::Confirmed {
            return Err(InvalidValue::new(
                "diagnosis",
                "ORPHA:616874 (undiagnosed after full investigation) is recorded as confirmed",
            ));
        }
        Ok(Self { term, status })
    }
}

fn is_icd10(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Observed,
    Excluded,
}

impl Presence {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Observed => "observed",
            Self::Excluded => "excluded",
        }
    }
}

/// Onset classes of the HPO's "Onset" branch (HP:0003674).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Onset {
    Antenatal,
    Congenital,
    Neonatal,
    Infantile,
    Childhood,
    Juvenile,
    Adult,
}

impl Onset {
    pub const ALL: [Onset; 7] = [
        Self::Antenatal,
        Self::Congenital,
        Self::Neonatal,
        Self::Infantile,
        Self::Childhood,
        Self::Juvenile,
        Self::Adult,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Antenatal => "Antenatal",
            Self::Congenital => "Congenital",
            Self::Neonatal => "Neonatal (first 28 days)",
            Self::Infantile => "Infantile (to 1 year)",
            Self::Childhood => "Childhood (1–5 years)",
            Self::Juvenile => "Juvenile (5–15 years)",
            Self::Adult => "Adult (16 years or later)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phenotype {
    pub term: CodedTerm,
    pub presence: Presence,
    pub onset: Option<Onset>,
}

impl Phenotype {
    pub fn new(
        term: CodedTerm,
        presence: Presence,
        onset: Option<Onset>,
    ) -> Result<Self, InvalidValue> {
        if !term.code.starts_with("HP:") {
            return Err(InvalidValue::new(
                "phenotype",
                format!("'{}' is not an HPO term", term.code),
            ));
        }
        Ok(Self {
            term,
            presence,
            onset,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zygosity {
    Heterozygous,
    Homozygous,
    Hemizygous,
    CompoundHeterozygous,
    Mosaic,
    Unknown,
}

impl Zygosity {
    pub const ALL: [Zygosity; 6] = [
        Self::Heterozygous,
        Self::Homozygous,
        Self::Hemizygous,
        Self::CompoundHeterozygous,
        Self::Mosaic,
        Self::Unknown,
    ];

    /// The name in forms and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Heterozygous => "heterozygous",
            Self::Homozygous => "homozygous",
            Self::Hemizygous => "hemizygous",
            Self::CompoundHeterozygous => "compound_heterozygous",
            Self::Mosaic => "mosaic",
            Self::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Heterozygous => "heterozygous",
            Self::Homozygous => "homozygous",
            Self::Hemizygous => "hemizygous",
            Self::CompoundHeterozygous => "compound heterozygous",
            Self::Mosaic => "mosaic",
            Self::Unknown => "zygosity unknown",
        }
    }
}

/// ACMG/AMP five-tier classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Pathogenic,
    LikelyPathogenic,
    UncertainSignificance,
    LikelyBenign,
    Benign,
}

impl Classification {
    pub const ALL: [Classification; 5] = [
        Self::Pathogenic,
        Self::LikelyPathogenic,
        Self::UncertainSignificance,
        Self::LikelyBenign,
        Self::Benign,
    ];

    /// The name in forms and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pathogenic => "pathogenic",
            Self::LikelyPathogenic => "likely_pathogenic",
            Self::UncertainSignificance => "uncertain_significance",
            Self::LikelyBenign => "likely_benign",
            Self::Benign => "benign",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pathogenic => "pathogenic",
            Self::LikelyPathogenic => "likely pathogenic",
            Self::UncertainSignificance => "uncertain significance",
            Self::LikelyBenign => "likely benign",
            Self::Benign => "benign",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// HGNC symbol, e.g. `FBN1`.
    pub gene: String,
    /// HGVS description, e.g. `NM_000138.5:c.1585C>T`.
    pub hgvs: String,
    pub zygosity: Zygosity,
    pub classification: Classification,
}

impl Variant {
    pub fn new(
        gene: &str,
        hgvs: &str,
        zygosity: Zygosity,
        classification: Classification,
    ) -> Result<Self, InvalidValue> {
        let gene = text("gene", gene, 20)?;
        if !gene
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '@')
        {
            return Err(InvalidValue::new(
                "gene",
                "must be an HGNC symbol in capitals, e.g. FBN1",
            ));
        }
        let hgvs = text("hgvs", hgvs, 200)?;
        if !is_hgvs(&hgvs) {
            return Err(InvalidValue::new(
                "hgvs",
                "must be an HGVS description such as NM_000138.5:c.1585C>T or c.1585C>T",
            ));
        }
        Ok(Self {
            gene,
            hgvs,
            zygosity,
            classification,
        })
    }
}

/// A reference sequence (optional, ending in `:`) then a coordinate type
/// (`c.`, `g.`, `m.`, `n.`, `p.`, `r.`, `o.`) and a change without spaces.
fn is_hgvs(value: &str) -> bool {
    let description = value.rsplit_once(':').map_or(value, |(_, d)| d);
    let mut parts = description.splitn(2, '.');
    let kind = parts.next().unwrap_or_default();
    let change = parts.next().unwrap_or_default();
    matches!(kind, "c" | "g" | "m" | "n" | "p" | "r" | "o")
        && !change.is_empty()
        && !value.chars().any(char::is_whitespace)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabResult {
    pub name: String,
    /// LOINC code with its check digit, e.g. `2345-7`.
    pub loinc: Option<String>,
    pub value: String,
    pub unit: String,
    pub reference_range: Option<String>,
    pub date: jiff::civil::Date,
}

impl LabResult {
    pub fn new(
        name: &str,
        loinc: &str,
        value: &str,
        unit: &str,
        reference_range: &str,
        date: jiff::civil::Date,
    ) -> Result<Self, InvalidValue> {
        let loinc = bounded("loinc", loinc, 10)?;
        if !loinc.is_empty() && !is_loinc(&loinc) {
            return Err(InvalidValue::new(
                "loinc",
                format!("'{loinc}' is not a LOINC code (digits, a hyphen, a check digit)"),
            ));
        }
        let range = bounded("reference_range", reference_range, MAX_SHORT_CHARS)?;
        Ok(Self {
            name: text("name", name, MAX_NAME_CHARS)?,
            loinc: (!loinc.is_empty()).then_some(loinc),
            value: text("value", value, MAX_SHORT_CHARS)?,
            unit: bounded("unit", unit, MAX_SHORT_CHARS)?,
            reference_range: (!range.is_empty()).then_some(range),
            date,
        })
    }
}

/// LOINC's mod 10 check digit (Luhn over the digits before the hyphen).
fn is_loinc(code: &str) -> bool {
    let Some((body, check)) = code.split_once('-') else {
        return false;
    };
    let digits: Option<Vec<u32>> = body.chars().map(|c| c.to_digit(10)).collect();
    let (Some(digits), Some(check)) = (digits, check.parse::<u32>().ok()) else {
        return false;
    };
    if digits.is_empty() || check > 9 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                (d * 2) / 10 + (d * 2) % 10
            } else {
                *d
            }
        })
        .sum();
    (10 - sum % 10) % 10 == check
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Treatment {
    pub name: String,
    pub started: Option<jiff::civil::Date>,
    pub ended: Option<jiff::civil::Date>,
    pub note: String,
}

impl Treatment {
    pub fn new(
        name: &str,
        started: Option<jiff::civil::Date>,
        ended: Option<jiff::civil::Date>,
        note: &str,
    ) -> Result<Self, InvalidValue> {
        if let (Some(s), Some(e)) = (started, ended)
            && e < s
        {
            return Err(InvalidValue::new("ended", "cannot be before the start"));
        }
        Ok(Self {
            name: text("name", name, MAX_NAME_CHARS)?,
            started,
            ended,
            note: bounded("note", note, MAX_NOTE_CHARS)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(code: &str) -> CodedTerm {
        CodedTerm {
            code: code.into(),
            name: "x".into(),
        }
    }

    #[test]
    fn diagnoses_take_disease_codes_and_undiagnosed_is_confirmed() {
        for code in ["ORPHA:558", "OMIM:154700", "Q87.4"] {
            assert!(
                Diagnosis::new(term(code), DiagnosisStatus::Suspected).is_ok(),
                "{code}"
            );
        }
        assert!(Diagnosis::new(term("HP:0001250"), DiagnosisStatus::Confirmed).is_err());
        assert!(Diagnosis::new(term(ORPHA_UNDIAGNOSED), DiagnosisStatus::Confirmed).is_ok());
        assert!(Diagnosis::new(term(ORPHA_UNDIAGNOSED), DiagnosisStatus::Excluded).is_err());
    }

    #[test]
    fn phenotypes_are_hpo_terms() {
        assert!(
            Phenotype::new(
                term("HP:0001250"),
                Presence::Observed,
                Some(Onset::Infantile)
            )
            .is_ok()
        );
        assert!(Phenotype::new(term("ORPHA:558"), Presence::Observed, None).is_err());
    }

    #[test]
    fn names_in_forms_are_the_serialised_names() {
        let serialised = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        for z in Zygosity::ALL {
            assert_eq!(z.as_str(), serialised(serde_json::to_value(z).unwrap()));
        }
        for c in Classification::ALL {
            assert_eq!(c.as_str(), serialised(serde_json::to_value(c).unwrap()));
        }
    }

    #[test]
    fn variants_need_a_gene_symbol_and_hgvs() {
        let ok = Variant::new(
            "FBN1",
            "NM_000138.5:c.1585C>T",
            Zygosity::Heterozygous,
            Classification::Pathogenic,
        );
        assert!(ok.is_ok());
        let h = Zygosity::Heterozygous;
        let p = Classification::Pathogenic;
        assert_eq!(
            Variant::new("fbn1", "c.1A>G", h, p).unwrap_err().field,
            "gene"
        );
        assert_eq!(
            Variant::new("FBN1", "1585C>T", h, p).unwrap_err().field,
            "hgvs"
        );
        assert_eq!(
            Variant::new("FBN1", "c.1585 C>T", h, p).unwrap_err().field,
            "hgvs"
        );
        assert!(Variant::new("FBN1", "p.Arg529Ter", h, p).is_ok());
    }

    #[test]
    fn loinc_codes_carry_a_check_digit() {
        let day = jiff::civil::date(2026, 1, 5);
        assert!(LabResult::new("Glucose", "2345-7", "5.4", "mmol/L", "3.9–5.5", day).is_ok());
        assert_eq!(
            LabResult::new("Glucose", "2345-6", "5.4", "mmol/L", "", day)
                .unwrap_err()
                .field,
            "loinc"
        );
        let without = LabResult::new("CK", "", "800", "U/L", "", day).unwrap();
        assert_eq!(without.loinc, None);
        assert_eq!(without.reference_range, None);
        assert_eq!(
            LabResult::new("CK", "", " ", "U/L", "", day)
                .unwrap_err()
                .field,
            "value"
        );
    }

    #[test]
    fn treatments_do_not_end_before_they_start() {
        let a = jiff::civil::date(2026, 1, 5);
        let b = jiff::civil::date(2025, 1, 5);
        assert!(Treatment::new("Losartan", Some(b), Some(a), "").is_ok());
        assert_eq!(
            Treatment::new("Losartan", Some(a), Some(b), "")
                .unwrap_err()
                .field,
            "ended"
        );
    }
}
