//! Generation numbers. A child is always drawn below its parents; partners
//! and siblings share a generation where the family allows it (someone who
//! married in is drawn beside their partner, and parents with a shallow
//! ancestry move down to their partner's level, taking their siblings along).

use std::collections::HashMap;

use cpms_domain::pedigree::{IndividualId, Pedigree};

/// Generation of every individual, 0 being the topmost, with no empty
/// generations in between.
pub(super) fn assign(pedigree: &Pedigree) -> HashMap<IndividualId, usize> {
    let people = pedigree.individuals();
    let mut level: HashMap<IndividualId, usize> = people.iter().map(|i| (i.id, 0)).collect();
    // Levels only ever grow and are bounded while the family is consistent;
    // a family that cannot satisfy every wish (someone partnered with their
    // own grandchild) stops after a fixed number of rounds.
    for _ in 0..people.len() * 2 + 2 {
        let before = level.clone();
        push_children_below_parents(pedigree, &mut level);
        align_partners(pedigree, &mut level);
        align_siblings(pedigree, &mut level);
        pull_parents_towards_children(pedigree, &mut level);
        if level == before {
            break;
        }
    }
    // The one rule that must hold, whatever the partners wished.
    push_children_below_parents(pedigree, &mut level);
    compact(level)
}

/// Moves children down until each is below all of their parents. Parent
/// links form no cycles, so a pass per individual is enough.
fn push_children_below_parents(pedigree: &Pedigree, level: &mut HashMap<IndividualId, usize>) {
    for _ in 0..pedigree.individuals().len() {
        let mut changed = false;
        for child in pedigree.individuals() {
            let needed = child
                .parents()
                .filter_map(|p| level.get(&p))
                .map(|l| l + 1)
                .max();
            let current = level.get(&child.id).copied().unwrap_or(0);
            if let Some(needed) = needed.filter(|n| *n > current) {
                level.insert(child.id, needed);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

fn align_partners(pedigree: &Pedigree, level: &mut HashMap<IndividualId, usize>) {
    for p in pedigree.partnerships() {
        let lower = level
            .get(&p.a)
            .copied()
            .max(level.get(&p.b).copied())
            .unwrap_or(0);
        level.insert(p.a, lower);
        level.insert(p.b, lower);
    }
}

/// Children of the same parents move down to the lowest among them.
fn align_siblings(pedigree: &Pedigree, level: &mut HashMap<IndividualId, usize>) {
    let mut sibships: HashMap<(Option<IndividualId>, Option<IndividualId>), usize> = HashMap::new();
    let with_parents = pedigree
        .individuals()
        .iter()
        .filter(|i| i.parents().next().is_some());
    for child in with_parents.clone() {
        let lowest = sibships.entry((child.mother, child.father)).or_default();
        *lowest = (*lowest).max(level.get(&child.id).copied().unwrap_or(0));
    }
    for child in with_parents {
        if let Some(&lowest) = sibships.get(&(child.mother, child.father)) {
            level.insert(child.id, lowest);
        }
    }
}

/// Parents sitting more than one generation above all their children move
/// down to just above the nearest child.
fn pull_parents_towards_children(pedigree: &Pedigree, level: &mut HashMap<IndividualId, usize>) {
    for parent in pedigree.individuals() {
        let nearest_child = pedigree
            .children_of(parent.id)
            .filter_map(|c| level.get(&c.id))
            .min()
            .copied();
        let current = level.get(&parent.id).copied().unwrap_or(0);
        if let Some(nearest) = nearest_child.filter(|n| *n > current + 1) {
            level.insert(parent.id, nearest - 1);
        }
    }
}

/// Renumbers levels 0, 1, 2, … in order, dropping unused ones.
fn compact(level: HashMap<IndividualId, usize>) -> HashMap<IndividualId, usize> {
    let mut used: Vec<usize> = level.values().copied().collect();
    used.sort_unstable();
    used.dedup();
    level
        .into_iter()
        .map(|(id, l)| (id, used.binary_search(&l).unwrap_or(0)))
        .collect()
}
