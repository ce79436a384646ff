use serde::{Deserialize, Serialize};

use crate::org::InvalidValue;
use crate::record::ClinicalRecord;

/// A section of the record the lead may share with a panel. Identifying
/// fields are never among them: members see the pseudonym, sex, year of
/// birth and country, and only the sections chosen here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedSection {
    Summary,
    Diagnoses,
    Phenotype,
    Genetics,
    Labs,
    Treatments,
    Pedigree,
}

impl SharedSection {
    pub const ALL: [SharedSection; 7] = [
        SharedSection::Summary,
        SharedSection::Diagnoses,
        SharedSection::Phenotype,
        SharedSection::Genetics,
        SharedSection::Labs,
        SharedSection::Treatments,
        SharedSection::Pedigree,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SharedSection::Summary => "summary",
            SharedSection::Diagnoses => "diagnoses",
            SharedSection::Phenotype => "phenotype",
            SharedSection::Genetics => "genetics",
            SharedSection::Labs => "labs",
            SharedSection::Treatments => "treatments",
            SharedSection::Pedigree => "pedigree",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SharedSection::Summary => "Clinical summary",
            SharedSection::Diagnoses => "Diagnoses",
            SharedSection::Phenotype => "Phenotype (HPO)",
            SharedSection::Genetics => "Genetics",
            SharedSection::Labs => "Laboratory results",
            SharedSection::Treatments => "Treatments",
            SharedSection::Pedigree => "Family history (pedigree)",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| InvalidValue::new("sections", "choose sections from the list"))
    }
}

/// The part of `record` a panel sharing `sections` may see; everything
/// else is left empty. The network's case template fields are not a
/// shareable section, so they never leave the record.
pub fn shared_part(record: &ClinicalRecord, sections: &[SharedSection]) -> ClinicalRecord {
    let has = |s: SharedSection| sections.contains(&s);
    ClinicalRecord {
        summary: if has(SharedSection::Summary) {
            record.summary.clone()
        } else {
            String::new()
        },
        diagnoses: keep(has(SharedSection::Diagnoses), &record.diagnoses),
        phenotypes: keep(has(SharedSection::Phenotype), &record.phenotypes),
        genetics: keep(has(SharedSection::Genetics), &record.genetics),
        labs: keep(has(SharedSection::Labs), &record.labs),
        treatments: keep(has(SharedSection::Treatments), &record.treatments),
        pedigree: record
            .pedigree
            .clone()
            .filter(|_| has(SharedSection::Pedigree)),
        fields: Default::default(),
    }
}

fn keep<T: Clone>(shared: bool, entries: &[T]) -> Vec<T> {
    if shared { entries.to_vec() } else { Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{CodedTerm, Phenotype, Presence, RecordChange};

    #[test]
    fn only_shared_sections_are_kept() {
        let mut record = ClinicalRecord::default();
        record
            .apply(&RecordChange::Summary {
                text: "Seen at 3 years.".into(),
            })
            .unwrap();
        let seizure = Phenotype::new(
            CodedTerm {
                code: "HP:0001250".into(),
                name: "Seizure".into(),
            },
            Presence::Observed,
            None,
        )
        .unwrap();
        record
            .apply(&RecordChange::AddPhenotype { phenotype: seizure })
            .unwrap();
        let shared = shared_part(&record, &[SharedSection::Phenotype]);
        assert!(shared.summary.is_empty());
        assert_eq!(shared.phenotypes, record.phenotypes);
        let nothing = shared_part(&record, &[]);
        assert_eq!(nothing, ClinicalRecord::default());
    }
}
