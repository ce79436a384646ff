//! The edits the record page offers. Each one works on a copy of the
//! pedigree and only replaces the original once the copy validates, so a
//! refused edit leaves nothing half done.

use serde::{Deserialize, Serialize};

use super::{Affection, Individual, IndividualId, Partnership, Pedigree, PedigreeError, Sex};

/// Labels are short captions under a symbol, not notes.
pub(super) const MAX_LABEL_CHARS: usize = 80;

/// The attributes of an individual that can be edited directly. Start from
/// [`IndividualEdit::from`] an existing individual to change only some.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndividualEdit {
    pub label: Option<String>,
    pub sex: Sex,
    pub affection: Affection,
    pub carrier: bool,
    pub deceased: bool,
    pub birth_year: Option<i32>,
}

impl From<&Individual> for IndividualEdit {
    fn from(i: &Individual) -> Self {
        IndividualEdit {
            label: i.label.clone(),
            sex: i.sex,
            affection: i.affection,
            carrier: i.carrier,
            deceased: i.deceased,
            birth_year: i.birth_year,
        }
    }
}

impl Pedigree {
    /// Adds a mother and a father (as a couple) to someone who has no parents
    /// recorded yet. Returns `(mother, father)`.
    pub fn add_parents(
        &mut self,
        child: IndividualId,
    ) -> Result<(IndividualId, IndividualId), PedigreeError> {
        self.apply(|p| {
            if p.individual_mut(child)?.parents().next().is_some() {
                return Err(PedigreeError::AlreadyHasParents(child));
            }
            let mother = p.push_individual(Sex::Female);
            let father = p.push_individual(Sex::Male);
            p.link_couple(mother, father);
            let c = p.individual_mut(child)?;
            c.mother = Some(mother);
            c.father = Some(father);
            Ok((mother, father))
        })
    }

    /// Records an individual already in the pedigree as a parent of `child`
    /// (for example the shared father of half-siblings). The parent fills
    /// the mother or father place according to their sex; when the child
    /// then has two parents they become partners if they were not already.
    pub fn link_parent(
        &mut self,
        child: IndividualId,
        parent: IndividualId,
    ) -> Result<(), PedigreeError> {
        self.apply(|p| {
            let c = p.individual_mut(child)?;
            let existing: Vec<IndividualId> = c.parents().collect();
            if existing.contains(&parent) {
                return Err(PedigreeError::SameParentTwice { child, parent });
            }
            if existing.len() == 2 {
                return Err(PedigreeError::TooManyParents(child));
            }
            p.assign_parent_roles(child, existing.first().copied(), parent)
        })
    }

    /// Adds a full sibling of `of`. Siblings are implied by shared parents, so
    /// if `of` has no parents recorded, a mother and a father are added first.
    pub fn add_sibling(
        &mut self,
        of: IndividualId,
        sex: Sex,
    ) -> Result<IndividualId, PedigreeError> {
        self.apply(|p| {
            let (mut mother, mut father) = {
                let i = p.individual_mut(of)?;
                (i.mother, i.father)
            };
            if mother.is_none() && father.is_none() {
                let (m, f) = p.add_parents(of)?;
                (mother, father) = (Some(m), Some(f));
            }
            let sibling = p.push_individual(sex);
            let s = p.individual_mut(sibling)?;
            s.mother = mother;
            s.father = father;
            Ok(sibling)
        })
    }

    /// Adds a child of `parent`, with `partner` as the other parent when
    /// known. The two become partners if they were not already.
    pub fn add_child(
        &mut self,
        parent: IndividualId,
        partner: Option<IndividualId>,
        sex: Sex,
    ) -> Result<IndividualId, PedigreeError> {
        self.apply(|p| {
            let child = p.push_individual(sex);
            p.link_parent(child, parent)?;
            if let Some(partner) = partner {
                p.link_parent(child, partner)?;
            }
            Ok(child)
        })
    }

    /// Adds a new individual as a partner of `of`.
    pub fn add_partner(
        &mut self,
        of: IndividualId,
        sex: Sex,
    ) -> Result<IndividualId, PedigreeError> {
        self.apply(|p| {
            p.individual_mut(of)?;
            let partner = p.push_individual(sex);
            p.link_couple(of, partner);
            Ok(partner)
        })
    }

    /// Records two individuals already in the pedigree as partners.
    pub fn link_partners(&mut self, x: IndividualId, y: IndividualId) -> Result<(), PedigreeError> {
        self.apply(|p| {
            if p.partnership(x, y).is_some() {
                return Err(PedigreeError::DuplicatePartnership(x, y));
            }
            p.partnerships.push(Partnership {
                a: x,
                b: y,
                consanguineous: false,
            });
            Ok(())
        })
    }

    /// Marks a couple as related by blood (drawn as a double partner line).
    pub fn set_consanguineous(
        &mut self,
        x: IndividualId,
        y: IndividualId,
        consanguineous: bool,
    ) -> Result<(), PedigreeError> {
        let couple = self
            .partnerships
            .iter_mut()
            .find(|p| p.joins(x, y))
            .ok_or(PedigreeError::NotPartners(x, y))?;
        couple.consanguineous = consanguineous;
        Ok(())
    }

    /// Replaces the editable attributes of an individual. A change of sex
    /// that contradicts their place as someone's mother or father is refused.
    pub fn edit(&mut self, id: IndividualId, edit: IndividualEdit) -> Result<(), PedigreeError> {
        self.apply(|p| {
            let i = p.individual_mut(id)?;
            i.label = edit.label;
            i.sex = edit.sex;
            i.affection = edit.affection;
            i.carrier = edit.carrier;
            i.deceased = edit.deceased;
            i.birth_year = edit.birth_year;
            // A parent whose sex becomes known may have to swap places with
            // the other parent (an unknown-sex parent sits in either place).
            let children: Vec<Individual> = p.children_of(id).cloned().collect();
            for c in children {
                let mut parents = c.parents();
                if let (Some(first), Some(second)) = (parents.next(), parents.next()) {
                    p.assign_parent_roles(c.id, Some(first), second)?;
                } else {
                    p.assign_parent_roles(c.id, None, id)?;
                }
            }
            Ok(())
        })
    }

    /// Makes `id` the proband (there is always exactly one).
    pub fn set_proband(&mut self, id: IndividualId) -> Result<(), PedigreeError> {
        self.apply(|p| {
            p.individual_mut(id)?;
            for i in &mut p.individuals {
                i.proband = i.id == id;
            }
            Ok(())
        })
    }

    /// Removes an individual, their partnerships and their parent links, and
    /// then everyone who is no longer connected to the proband (a partner
    /// who married in, ancestors reached only through the removed person).
    /// Returns every removed id, the requested one first.
    pub fn remove(&mut self, id: IndividualId) -> Result<Vec<IndividualId>, PedigreeError> {
        self.apply(|p| {
            if p.individual_mut(id)?.proband {
                return Err(PedigreeError::CannotRemoveProband(id));
            }
            p.detach(id);
            let reached = p.connected_to_proband();
            let mut removed = vec![id];
            removed.extend(
                p.individuals
                    .iter()
                    .map(|i| i.id)
                    .filter(|i| *i != id && !reached.contains(i)),
            );
            for gone in &removed[1..] {
                p.detach(*gone);
            }
            p.individuals.retain(|i| reached.contains(&i.id));
            Ok(removed)
        })
    }

    /// Runs `change` on a copy and keeps the copy only if it succeeds and
    /// the result validates.
    fn apply<T>(
        &mut self,
        change: impl FnOnce(&mut Pedigree) -> Result<T, PedigreeError>,
    ) -> Result<T, PedigreeError> {
        let mut draft = self.clone();
        let outcome = change(&mut draft)?;
        draft.validate()?;
        *self = draft;
        Ok(outcome)
    }

    fn individual_mut(&mut self, id: IndividualId) -> Result<&mut Individual, PedigreeError> {
        match self.individuals.binary_search_by_key(&id, |i| i.id) {
            Ok(at) => Ok(&mut self.individuals[at]),
            Err(_) => Err(PedigreeError::UnknownIndividual(id)),
        }
    }

    /// Sets the parents of `child` to `added` and, if given, `existing`,
    /// choosing who is mother and who is father from their sexes; an
    /// existing arrangement is kept when the sexes allow either. Two parents
    /// become partners.
    fn assign_parent_roles(
        &mut self,
        child: IndividualId,
        existing: Option<IndividualId>,
        added: IndividualId,
    ) -> Result<(), PedigreeError> {
        let sex_of = |p: &Pedigree, id| {
            p.get(id)
                .map(|i| i.sex)
                .ok_or(PedigreeError::UnknownIndividual(id))
        };
        let added_sex = sex_of(self, added)?;
        let (mother, father) = match existing {
            None if added_sex == Sex::Male => (None, Some(added)),
            None => (Some(added), None),
            Some(existing) => {
                let existing_sex = sex_of(self, existing)?;
                let existing_was_mother = self.individual_mut(child)?.mother == Some(existing);
                let can_be =
                    |mother: Sex, father: Sex| mother != Sex::Male && father != Sex::Female;
                let keep = can_be(existing_sex, added_sex);
                let swap = can_be(added_sex, existing_sex);
                let existing_as_mother = match (keep, swap) {
                    (true, true) => existing_was_mother,
                    (true, false) => true,
                    (false, true) => false,
                    (false, false) => return Err(PedigreeError::IncompatibleParentSexes(child)),
                };
                self.link_couple(existing, added);
                if existing_as_mother {
                    (Some(existing), Some(added))
                } else {
                    (Some(added), Some(existing))
                }
            }
        };
        let c = self.individual_mut(child)?;
        c.mother = mother;
        c.father = father;
        Ok(())
    }

    /// Records a partnership unless the two already are partners.
    fn link_couple(&mut self, x: IndividualId, y: IndividualId) {
        if self.partnership(x, y).is_none() {
            self.partnerships.push(Partnership {
                a: x,
                b: y,
                consanguineous: false,
            });
        }
    }

    /// Cuts every link to `id`, leaving the individual itself in place.
    fn detach(&mut self, id: IndividualId) {
        self.partnerships.retain(|p| !p.involves(id));
        for i in &mut self.individuals {
            if i.mother == Some(id) {
                i.mother = None;
            }
            if i.father == Some(id) {
                i.father = None;
            }
        }
    }
}
