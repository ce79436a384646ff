//! The rules every pedigree satisfies. Edits are applied to a copy and
//! checked here before they replace the original, so the rules live in one
//! place rather than being re-implemented by each operation.

use std::collections::{HashMap, HashSet};

use super::edit::MAX_LABEL_CHARS;
use super::{Individual, IndividualId, Pedigree, PedigreeError, Sex};

/// Birth years outside this range are typing mistakes, not family history.
const BIRTH_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

impl Pedigree {
    /// Checks every rule, reporting the first one broken.
    pub fn validate(&self) -> Result<(), PedigreeError> {
        self.check_ids()?;
        self.check_single_proband()?;
        for individual in &self.individuals {
            check_attributes(individual)?;
            self.check_parents(individual)?;
        }
        self.check_partnerships()?;
        self.check_acyclic()?;
        self.check_connected()
    }

    fn check_ids(&self) -> Result<(), PedigreeError> {
        let mut previous = None;
        for individual in &self.individuals {
            let id = individual.id;
            if id.0 == 0 || id.0 >= self.next_id {
                return Err(PedigreeError::IdNotIssued {
                    id,
                    next: self.next_id,
                });
            }
            // Individuals are sorted by id, so a repeat sits next to its twin.
            if previous == Some(id) {
                return Err(PedigreeError::DuplicateId(id));
            }
            previous = Some(id);
        }
        Ok(())
    }

    fn check_single_proband(&self) -> Result<(), PedigreeError> {
        let mut probands = self.individuals.iter().filter(|i| i.proband).map(|i| i.id);
        match (probands.next(), probands.next()) {
            (None, _) => Err(PedigreeError::NoProband),
            (Some(first), Some(second)) => Err(PedigreeError::SeveralProbands(first, second)),
            (Some(_), None) => Ok(()),
        }
    }

    fn require(&self, id: IndividualId) -> Result<&Individual, PedigreeError> {
        self.get(id).ok_or(PedigreeError::UnknownIndividual(id))
    }

    fn check_parents(&self, individual: &Individual) -> Result<(), PedigreeError> {
        let child = individual.id;
        if let Some(mother) = individual.mother
            && self.require(mother)?.sex == Sex::Male
        {
            return Err(PedigreeError::MaleMother { child, mother });
        }
        if let Some(father) = individual.father
            && self.require(father)?.sex == Sex::Female
        {
            return Err(PedigreeError::FemaleFather { child, father });
        }
        if let (Some(mother), Some(father)) = (individual.mother, individual.father) {
            if mother == father {
                return Err(PedigreeError::SameParentTwice {
                    child,
                    parent: mother,
                });
            }
            if self.partnership(mother, father).is_none() {
                return Err(PedigreeError::ParentsNotPartners {
                    child,
                    mother,
                    father,
                });
            }
        }
        Ok(())
    }

    fn check_partnerships(&self) -> Result<(), PedigreeError> {
        let mut seen = HashSet::new();
        for p in &self.partnerships {
            self.require(p.a)?;
            self.require(p.b)?;
            if p.a == p.b {
                return Err(PedigreeError::SelfPartnership(p.a));
            }
            if !seen.insert((p.a.min(p.b), p.a.max(p.b))) {
                return Err(PedigreeError::DuplicatePartnership(p.a, p.b));
            }
        }
        Ok(())
    }

    /// Depth-first search over parent links; meeting an individual that is
    /// still on the current path means they are their own ancestor.
    fn check_acyclic(&self) -> Result<(), PedigreeError> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            OnPath,
            Done,
        }
        let mut marks: HashMap<IndividualId, Mark> = HashMap::new();
        for start in &self.individuals {
            if marks.contains_key(&start.id) {
                continue;
            }
            // Each stack entry is an individual and how many of its parents
            // have been explored so far.
            let mut stack = vec![(start, 0usize)];
            marks.insert(start.id, Mark::OnPath);
            while let Some((individual, explored)) = stack.pop() {
                let Some(parent) = individual.parents().nth(explored) else {
                    marks.insert(individual.id, Mark::Done);
                    continue;
                };
                stack.push((individual, explored + 1));
                match marks.get(&parent) {
                    Some(Mark::OnPath) => return Err(PedigreeError::Cycle(parent)),
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(parent, Mark::OnPath);
                        stack.push((self.require(parent)?, 0));
                    }
                }
            }
        }
        Ok(())
    }

    fn check_connected(&self) -> Result<(), PedigreeError> {
        let reached = self.connected_to_proband();
        match self.individuals.iter().find(|i| !reached.contains(&i.id)) {
            Some(stray) => Err(PedigreeError::Disconnected(stray.id)),
            None => Ok(()),
        }
    }

    /// Everyone reachable from the proband through parent, child and partner
    /// links.
    pub(super) fn connected_to_proband(&self) -> HashSet<IndividualId> {
        let mut neighbours: HashMap<IndividualId, Vec<IndividualId>> = HashMap::new();
        let mut link = |x: IndividualId, y: IndividualId| {
            neighbours.entry(x).or_default().push(y);
            neighbours.entry(y).or_default().push(x);
        };
        for individual in &self.individuals {
            for parent in individual.parents() {
                link(individual.id, parent);
            }
        }
        for p in &self.partnerships {
            link(p.a, p.b);
        }
        let mut reached = HashSet::new();
        let mut queue: Vec<IndividualId> = self.proband().map(|p| p.id).into_iter().collect();
        while let Some(id) = queue.pop() {
            if reached.insert(id) {
                queue.extend(neighbours.get(&id).into_iter().flatten().copied());
            }
        }
        reached
    }
}

fn check_attributes(individual: &Individual) -> Result<(), PedigreeError> {
    if let Some(year) = individual.birth_year
        && !BIRTH_YEARS.contains(&year)
    {
        return Err(PedigreeError::BirthYearOutOfRange(year));
    }
    if let Some(label) = &individual.label {
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(PedigreeError::LabelTooLong(individual.id));
        }
        if label.chars().any(char::is_control) {
            return Err(PedigreeError::LabelControlCharacters(individual.id));
        }
    }
    Ok(())
}
