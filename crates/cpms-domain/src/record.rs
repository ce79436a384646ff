//! The clinical record: structured, validated sections. Every change is a
//! [`RecordChange`] applied to the current content, which the layers below
//! store as a new version; two versions are compared with [`diff`].

mod anonymise;
mod entries;

use serde::{Deserialize, Serialize};

pub use entries::{
    Classification, CodedTerm, Diagnosis, DiagnosisStatus, LabResult, ORPHA_UNDIAGNOSED, Onset,
    Phenotype, Presence, Treatment, Variant, Zygosity,
};

use crate::case_template::TemplateEntry;
use crate::org::InvalidValue;
use crate::patient::{ConsentKind, ConsentStatus, bounded};
use crate::pedigree::{Individual, Pedigree};

const MAX_SUMMARY_CHARS: usize = 20_000;

/// One version's content. Every section is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClinicalRecord {
    pub summary: String,
    pub diagnoses: Vec<Diagnosis>,
    pub phenotypes: Vec<Phenotype>,
    pub genetics: Vec<Variant>,
    pub labs: Vec<LabResult>,
    pub treatments: Vec<Treatment>,
    pub pedigree: Option<Pedigree>,
    /// Values of the ERN's case template fields, by field key.
    pub fields: std::collections::BTreeMap<String, TemplateEntry>,
}

/// A section of the record, for removals and for naming what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Summary,
    Diagnoses,
    Phenotypes,
    Genetics,
    Labs,
    Treatments,
    Pedigree,
    NetworkFields,
}

impl Section {
    pub fn label(self) -> &'static str {
        match self {
            Self::Summary => "Clinical summary",
            Self::Diagnoses => "Diagnoses",
            Self::Phenotypes => "Phenotype",
            Self::Genetics => "Genetics",
            Self::Labs => "Laboratory results",
            Self::Treatments => "Treatments",
            Self::Pedigree => "Family history",
            Self::NetworkFields => "Network fields",
        }
    }
}

/// What one version changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum RecordChange {
    Enrolled,
    Summary {
        text: String,
    },
    AddDiagnosis {
        diagnosis: Diagnosis,
    },
    AddPhenotype {
        phenotype: Phenotype,
    },
    AddVariant {
        variant: Variant,
    },
    AddLab {
        lab: LabResult,
    },
    AddTreatment {
        treatment: Treatment,
    },
    /// Removes the entry at `index` of a list section.
    Remove {
        section: Section,
        index: usize,
    },
    Pedigree {
        pedigree: Pedigree,
    },
    /// Sets a field of the ERN's case template (see [`crate::case_template`]).
    SetField {
        key: String,
        entry: TemplateEntry,
    },
    /// A consent recorded after enrolment. The consents live with the
    /// patient, not in the record's content; the version keeps who recorded
    /// it, when and on whose behalf, in the history.
    Consent {
        kind: ConsentKind,
        status: ConsentStatus,
        date: jiff::civil::Date,
    },
    /// The patient was erased: the earlier versions are gone and this one
    /// holds what the configuration keeps (nothing, or the anonymised
    /// record).
    Erased {
        anonymised: bool,
    },
}

impl RecordChange {
    /// A one-line description for the history.
    pub fn describe(&self) -> String {
        match self {
            Self::Enrolled => "Enrolled".into(),
            Self::Summary { .. } => "Clinical summary edited".into(),
            Self::AddDiagnosis { diagnosis } => format!("Diagnosis added: {}", diagnosis.term),
            Self::AddPhenotype { phenotype } => format!("Phenotype added: {}", phenotype.term),
            Self::AddVariant { variant } => {
                format!("Variant added: {} {}", variant.gene, variant.hgvs)
            }
            Self::AddLab { lab } => format!("Laboratory result added: {}", lab.name),
            Self::AddTreatment { treatment } => format!("Treatment added: {}", treatment.name),
            Self::Remove { section, index } => {
                format!("{} entry {} removed", section.label(), index + 1)
            }
            Self::Pedigree { .. } => "Family history edited".into(),
            Self::SetField { entry, .. } => format!("{} set: {}", entry.label, entry.value),
            Self::Consent { kind, status, date } => {
                format!("Consent {}: {} on {date}", kind.as_str(), status.as_str())
            }
            Self::Erased { anonymised: true } => {
                "Patient erased; clinical data kept anonymised".into()
            }
            Self::Erased { anonymised: false } => "Patient erased; clinical data deleted".into(),
        }
    }
}

impl ClinicalRecord {
    /// Applies a change, or refuses it and leaves the record as it was.
    pub fn apply(&mut self, change: &RecordChange) -> Result<(), InvalidValue> {
        match change {
            RecordChange::Enrolled | RecordChange::Consent { .. } => {}
            RecordChange::Summary { text } => {
                self.summary = bounded("summary", text, MAX_SUMMARY_CHARS)?;
            }
            RecordChange::AddDiagnosis { diagnosis } => {
                let term = &diagnosis.term;
                if self.diagnoses.iter().any(|d| d.term.code == term.code) {
                    return Err(duplicate("diagnosis", &term.code));
                }
                self.diagnoses.push(diagnosis.clone());
            }
            RecordChange::AddPhenotype { phenotype } => {
                let term = &phenotype.term;
                if self.phenotypes.iter().any(|p| p.term.code == term.code) {
                    return Err(duplicate("phenotype", &term.code));
                }
                self.phenotypes.push(phenotype.clone());
            }
            RecordChange::AddVariant { variant } => self.genetics.push(variant.clone()),
            RecordChange::AddLab { lab } => self.labs.push(lab.clone()),
            RecordChange::AddTreatment { treatment } => self.treatments.push(treatment.clone()),
            RecordChange::Remove { section, index } => self.remove(*section, *index)?,
            RecordChange::Pedigree { pedigree } => self.pedigree = Some(pedigree.clone()),
            RecordChange::SetField { key, entry } => {
                self.fields.insert(key.clone(), entry.clone());
            }
            RecordChange::Erased { anonymised: true } => *self = self.anonymised(),
            RecordChange::Erased { anonymised: false } => *self = Self::default(),
        }
        Ok(())
    }

    fn remove(&mut self, section: Section, index: usize) -> Result<(), InvalidValue> {
        let len = match section {
            Section::Diagnoses => self.diagnoses.len(),
            Section::Phenotypes => self.phenotypes.len(),
            Section::Genetics => self.genetics.len(),
            Section::Labs => self.labs.len(),
            Section::Treatments => self.treatments.len(),
            Section::Summary | Section::Pedigree | Section::NetworkFields => {
                return Err(InvalidValue::new("section", "has no entries to remove"));
            }
        };
        if index >= len {
            return Err(InvalidValue::new("index", "no such entry"));
        }
        match section {
            Section::Diagnoses => drop(self.diagnoses.remove(index)),
            Section::Phenotypes => drop(self.phenotypes.remove(index)),
            Section::Genetics => drop(self.genetics.remove(index)),
            Section::Labs => drop(self.labs.remove(index)),
            Section::Treatments => drop(self.treatments.remove(index)),
            Section::Summary | Section::Pedigree | Section::NetworkFields => {}
        }
        Ok(())
    }

    /// Every entry as one line of text, by section: what a diff compares.
    pub fn lines(&self) -> Vec<(Section, String)> {
        let mut lines = Vec::new();
        for line in self.summary.lines().filter(|l| !l.trim().is_empty()) {
            lines.push((Section::Summary, line.to_owned()));
        }
        for d in &self.diagnoses {
            lines.push((
                Section::Diagnoses,
                format!("{} ({})", d.term, d.status.as_str()),
            ));
        }
        for p in &self.phenotypes {
            let onset = p
                .onset
                .map(|o| format!(", onset {}", o.label()))
                .unwrap_or_default();
            lines.push((
                Section::Phenotypes,
                format!("{} ({}{onset})", p.term, p.presence.as_str()),
            ));
        }
        for v in &self.genetics {
            lines.push((
                Section::Genetics,
                format!(
                    "{} {} ({}, {})",
                    v.gene,
                    v.hgvs,
                    v.zygosity.label(),
                    v.classification.label()
                ),
            ));
        }
        for l in &self.labs {
            let range = l
                .reference_range
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            let loinc = l
                .loinc
                .as_deref()
                .map(|c| format!(" LOINC {c}"))
                .unwrap_or_default();
            lines.push((
                Section::Labs,
                format!(
                    "{} {}{loinc}: {} {}{range}",
                    l.date, l.name, l.value, l.unit
                ),
            ));
        }
        for t in &self.treatments {
            lines.push((Section::Treatments, t.name.clone()));
        }
        if let Some(pedigree) = &self.pedigree {
            for i in pedigree.individuals() {
                lines.push((Section::Pedigree, describe_individual(i)));
            }
        }
        for entry in self.fields.values() {
            lines.push((
                Section::NetworkFields,
                format!("{}: {}", entry.label, entry.value),
            ));
        }
        lines
    }
}

fn describe_individual(i: &Individual) -> String {
    let mut words = vec![format!("{}", i.id), format!("{:?}", i.sex).to_lowercase()];
    words.push(format!("{:?}", i.affection).to_lowercase());
    for (flag, word) in [
        (i.carrier, "carrier"),
        (i.deceased, "deceased"),
        (i.proband, "proband"),
    ] {
        if flag {
            words.push(word.to_owned());
        }
    }
    let parents: Vec<String> = i.parents().map(|p| p.to_string()).collect();
    if !parents.is_empty() {
        words.push(format!("child of {}", parents.join(" and ")));
    }
    if let Some(label) = &i.label {
        words.push(format!("“{label}”"));
    }
    words.join(", ")
}

fn duplicate(field: &'static str, code: &str) -> InvalidValue {
    InvalidValue::new(field, format!("{code} is already in the record"))
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub section: Section,
    pub text: String,
    pub added: bool,
}

/// What `newer` has that `older` has not (added) and the reverse
/// (removed), by section in record order.
pub fn diff(older: &ClinicalRecord, newer: &ClinicalRecord) -> Vec<DiffLine> {
    let before = older.lines();
    let after = newer.lines();
    let removed = before
        .iter()
        .filter(|l| !after.contains(l))
        .map(|(section, text)| DiffLine {
            section: *section,
            text: text.clone(),
            added: false,
        });
    let added = after
        .iter()
        .filter(|l| !before.contains(l))
        .map(|(section, text)| DiffLine {
            section: *section,
            text: text.clone(),
            added: true,
        });
    let mut lines: Vec<DiffLine> = removed.chain(added).collect();
    lines.sort_by_key(|l| l.section as u8);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hpo(code: &str, name: &str) -> Phenotype {
        Phenotype::new(
            CodedTerm {
                code: code.into(),
                name: name.into(),
            },
            Presence::Observed,
            None,
        )
        .unwrap()
    }

    #[test]
    fn changes_apply_and_duplicates_are_refused() {
        let mut record = ClinicalRecord::default();
        let seizure = RecordChange::AddPhenotype {
            phenotype: hpo("HP:0001250", "Seizure"),
        };
        record.apply(&seizure).unwrap();
        let err = record.apply(&seizure).unwrap_err();
        assert!(err.message.contains("already"), "{err}");
        assert_eq!(record.phenotypes.len(), 1);
        let removal = RecordChange::Remove {
            section: Section::Phenotypes,
            index: 3,
        };
        assert!(record.apply(&removal).is_err());
        record
            .apply(&RecordChange::Remove {
                section: Section::Phenotypes,
                index: 0,
            })
            .unwrap();
        assert!(record.phenotypes.is_empty());
    }

    #[test]
    fn a_diff_shows_what_was_added_and_removed() {
        let mut older = ClinicalRecord::default();
        older
            .apply(&RecordChange::AddPhenotype {
                phenotype: hpo("HP:0001250", "Seizure"),
            })
            .unwrap();
        let mut newer = older.clone();
        newer
            .apply(&RecordChange::Remove {
                section: Section::Phenotypes,
                index: 0,
            })
            .unwrap();
        newer
            .apply(&RecordChange::AddPhenotype {
                phenotype: hpo("HP:0001252", "Hypotonia"),
            })
            .unwrap();
        newer
            .apply(&RecordChange::Summary {
                text: "Referred at 2 years.".into(),
            })
            .unwrap();
        let lines = diff(&older, &newer);
        let shown: Vec<(bool, &str)> = lines.iter().map(|l| (l.added, l.text.as_str())).collect();
        assert_eq!(
            shown,
            [
                (true, "Referred at 2 years."),
                (false, "HP:0001250 Seizure (observed)"),
                (true, "HP:0001252 Hypotonia (observed)"),
            ]
        );
    }

    #[test]
    fn history_descriptions_name_the_entry() {
        let change = RecordChange::AddPhenotype {
            phenotype: hpo("HP:0001250", "Seizure"),
        };
        assert_eq!(change.describe(), "Phenotype added: HP:0001250 Seizure");
    }
}
