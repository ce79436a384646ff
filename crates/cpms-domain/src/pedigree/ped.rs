//! Export in the 6-column PED (LINKAGE) format read by linkage and
//! segregation tools: family, individual, father, mother, sex, phenotype.

use std::fmt::Write;

use super::{Affection, IndividualId, Pedigree, PedigreeError, Sex};

/// PED columns are whitespace separated, so a family id with spaces would
/// shift every column after it.
const MAX_FAMILY_ID_CHARS: usize = 64;

impl Pedigree {
    /// One tab-separated line per individual, in id order, with the
    /// pedigree's own ids; `0` stands for an unknown parent.
    pub fn to_ped(&self, family_id: &str) -> Result<String, PedigreeError> {
        let valid_family = !family_id.is_empty()
            && family_id.chars().count() <= MAX_FAMILY_ID_CHARS
            && family_id
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control());
        if !valid_family {
            return Err(PedigreeError::InvalidFamilyId(family_id.to_owned()));
        }
        let mut out = String::new();
        for i in &self.individuals {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "{family_id}\t{}\t{}\t{}\t{}\t{}",
                i.id,
                ped_parent(i.father),
                ped_parent(i.mother),
                ped_sex(i.sex),
                ped_phenotype(i.affection),
            );
        }
        Ok(out)
    }
}

fn ped_parent(parent: Option<IndividualId>) -> u32 {
    parent.map_or(0, IndividualId::get)
}

fn ped_sex(sex: Sex) -> u8 {
    match sex {
        Sex::Male => 1,
        Sex::Female => 2,
        Sex::Unknown => 0,
    }
}

fn ped_phenotype(affection: Affection) -> u8 {
    match affection {
        Affection::Affected => 2,
        Affection::Unaffected => 1,
        Affection::Unknown => 0,
    }
}
