//! Family history as structured data: who is related to whom, with the
//! clinical attributes a pedigree drawing shows.
//!
//! A [`Pedigree`] can only be changed through its edit operations, each of
//! which either applies completely and leaves a valid pedigree or returns a
//! [`PedigreeError`] and changes nothing. Deserialisation runs the same
//! validation, so a stored pedigree that breaks a rule is rejected on load.

mod edit;
mod error;
mod ped;
mod validate;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use edit::IndividualEdit;
pub use error::PedigreeError;

/// Identifies an individual within one pedigree. Ids are small numbers handed
/// out in order and never reused, so they stay stable across edits and can be
/// written as they are into PED files and drawings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndividualId(u32);

impl IndividualId {
    pub fn get(self) -> u32 {
        self.0
    }
}

/// For ids that arrive from outside (a form field, an API path); an id that
/// is not in the pedigree is refused by the operation that receives it.
impl From<u32> for IndividualId {
    fn from(id: u32) -> Self {
        IndividualId(id)
    }
}

impl fmt::Display for IndividualId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
    Unknown,
}

/// Affection status for the phenotype under study, as PED records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Affection {
    Affected,
    Unaffected,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Individual {
    pub id: IndividualId,
    /// Free text shown under the symbol (initials, a role such as "maternal
    /// aunt"). Never a real name: the record is pseudonymised.
    pub label: Option<String>,
    pub sex: Sex,
    pub affection: Affection,
    /// Heterozygous carrier of a recessive variant (drawn as a central dot).
    pub carrier: bool,
    pub deceased: bool,
    pub proband: bool,
    pub birth_year: Option<i32>,
    pub mother: Option<IndividualId>,
    pub father: Option<IndividualId>,
}

impl Individual {
    /// The known parents, mother first.
    pub fn parents(&self) -> impl Iterator<Item = IndividualId> {
        self.mother.into_iter().chain(self.father)
    }
}

/// Two individuals who are (or were) a couple. Every pair of parents of a
/// child is a partnership, so consanguinity is recorded in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partnership {
    pub a: IndividualId,
    pub b: IndividualId,
    pub consanguineous: bool,
}

impl Partnership {
    pub fn involves(&self, id: IndividualId) -> bool {
        self.a == id || self.b == id
    }

    pub fn joins(&self, x: IndividualId, y: IndividualId) -> bool {
        (self.a == x && self.b == y) || (self.a == y && self.b == x)
    }

    /// The other member of the couple, if `id` is one of them.
    pub fn partner_of(&self, id: IndividualId) -> Option<IndividualId> {
        if self.a == id {
            Some(self.b)
        } else if self.b == id {
            Some(self.a)
        } else {
            None
        }
    }
}

/// A validated family tree. Individuals are kept in id order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PedigreeData", into = "PedigreeData")]
pub struct Pedigree {
    individuals: Vec<Individual>,
    partnerships: Vec<Partnership>,
    next_id: u32,
}

/// The stored shape of a pedigree, before validation.
#[derive(Serialize, Deserialize)]
struct PedigreeData {
    individuals: Vec<Individual>,
    partnerships: Vec<Partnership>,
    next_id: u32,
}

impl TryFrom<PedigreeData> for Pedigree {
    type Error = PedigreeError;

    fn try_from(data: PedigreeData) -> Result<Self, Self::Error> {
        let mut pedigree = Pedigree {
            individuals: data.individuals,
            partnerships: data.partnerships,
            next_id: data.next_id,
        };
        pedigree.individuals.sort_by_key(|i| i.id);
        pedigree.validate()?;
        Ok(pedigree)
    }
}

impl From<Pedigree> for PedigreeData {
    fn from(p: Pedigree) -> Self {
        PedigreeData {
            individuals: p.individuals,
            partnerships: p.partnerships,
            next_id: p.next_id,
        }
    }
}

impl Pedigree {
    /// A pedigree holding only the proband, whose id is 1.
    pub fn new(proband_sex: Sex) -> Self {
        let mut pedigree = Pedigree {
            individuals: Vec::new(),
            partnerships: Vec::new(),
            next_id: 1,
        };
        pedigree.push_individual(proband_sex);
        if let Some(proband) = pedigree.individuals.last_mut() {
            proband.proband = true;
        }
        pedigree
    }

    pub fn individuals(&self) -> &[Individual] {
        &self.individuals
    }

    pub fn partnerships(&self) -> &[Partnership] {
        &self.partnerships
    }

    pub fn get(&self, id: IndividualId) -> Option<&Individual> {
        self.individuals
            .binary_search_by_key(&id, |i| i.id)
            .ok()
            .map(|at| &self.individuals[at])
    }

    pub fn proband(&self) -> Option<&Individual> {
        self.individuals.iter().find(|i| i.proband)
    }

    /// Children of `id`, in id order.
    pub fn children_of(&self, id: IndividualId) -> impl Iterator<Item = &Individual> {
        self.individuals
            .iter()
            .filter(move |i| i.mother == Some(id) || i.father == Some(id))
    }

    /// Partners of `id`, in the order the partnerships were recorded.
    pub fn partners_of(&self, id: IndividualId) -> impl Iterator<Item = IndividualId> + '_ {
        self.partnerships
            .iter()
            .filter_map(move |p| p.partner_of(id))
    }

    pub fn partnership(&self, x: IndividualId, y: IndividualId) -> Option<&Partnership> {
        self.partnerships.iter().find(|p| p.joins(x, y))
    }

    /// Appends a fresh individual with default attributes and returns its id.
    fn push_individual(&mut self, sex: Sex) -> IndividualId {
        let id = IndividualId(self.next_id);
        self.next_id += 1;
        self.individuals.push(Individual {
            id,
            label: None,
            sex,
            affection: Affection::Unknown,
            carrier: false,
            deceased: false,
            proband: false,
            birth_year: None,
            mother: None,
            father: None,
        });
        id
    }
}

#[cfg(test)]
mod tests;
