//! What an erased patient's record keeps when the configuration says the
//! clinical data are anonymised rather than deleted: the coded entries that
//! registries and research need, without the free text, where a clinician
//! may have written a name, a place or a date that identifies someone.

use super::ClinicalRecord;
use crate::pedigree::IndividualEdit;

impl ClinicalRecord {
    pub fn anonymised(&self) -> Self {
        let mut kept = self.clone();
        kept.summary.clear();
        for treatment in &mut kept.treatments {
            treatment.note.clear();
        }
        if let Some(pedigree) = &mut kept.pedigree {
            let labelled: Vec<_> = pedigree
                .individuals()
                .iter()
                .filter(|i| i.label.is_some())
                .map(|i| (i.id, IndividualEdit::from(i)))
                .collect();
            for (id, mut edit) in labelled {
                edit.label = None;
                if pedigree.edit(id, edit).is_err() {
                    // A drawing that cannot be cleaned is not kept.
                    kept.pedigree = None;
                    break;
                }
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pedigree::{Pedigree, Sex};
    use crate::record::Treatment;

    #[test]
    fn free_text_goes_and_coded_entries_stay() {
        let mut pedigree = Pedigree::new(Sex::Female);
        let proband = pedigree.individuals()[0].id;
        let mut edit = IndividualEdit::from(&pedigree.individuals()[0]);
        edit.label = Some("Anna Rossi".into());
        pedigree.edit(proband, edit).unwrap();
        let record = ClinicalRecord {
            summary: "Anna Rossi, seen in Pavia".into(),
            treatments: vec![Treatment::new("Valproate", None, None, "asked by Anna").unwrap()],
            pedigree: Some(pedigree),
            ..ClinicalRecord::default()
        };
        let kept = record.anonymised();
        assert_eq!(kept.summary, "");
        assert_eq!(kept.treatments[0].name, "Valproate");
        assert_eq!(kept.treatments[0].note, "");
        let kept_pedigree = kept.pedigree.unwrap();
        assert_eq!(kept_pedigree.individuals().len(), 1);
        assert_eq!(kept_pedigree.individuals()[0].label, None);
    }
}
