//! Left-to-right order within each generation. Partners form units that
//! stay side by side (a person with two partners sits between them); units
//! and the members of a unit are sorted by the mean position of their
//! parents and, going back up, of their children, a few sweeps each way.
//! Siblings share the same parental position, so sibships stay together and
//! someone who married into another family ends up on that family's side.

use std::collections::HashMap;

use cpms_domain::pedigree::{IndividualId, Pedigree};

/// One generation: units of partners, left to right.
#[derive(Clone, Debug)]
pub(super) struct Row {
    pub(super) units: Vec<Vec<IndividualId>>,
}

impl Row {
    pub(super) fn members(&self) -> impl Iterator<Item = IndividualId> + '_ {
        self.units.iter().flatten().copied()
    }
}

const SWEEPS: usize = 6;

pub(super) fn arrange(
    pedigree: &Pedigree,
    generation_of: &HashMap<IndividualId, usize>,
) -> Vec<Row> {
    let count = generation_of.values().copied().max().map_or(0, |g| g + 1);
    let mut rows: Vec<Row> = (0..count)
        .map(|g| Row {
            units: partner_units(pedigree, generation_of, g),
        })
        .collect();

    let parents_of = |id: IndividualId| -> Vec<IndividualId> {
        pedigree
            .get(id)
            .map(|i| i.parents().collect())
            .unwrap_or_default()
    };
    let children_of = |id: IndividualId| -> Vec<IndividualId> {
        pedigree.children_of(id).map(|c| c.id).collect()
    };

    for sweep in 0..SWEEPS {
        for g in 1..count {
            let above = positions(&rows[g - 1]);
            sort_row(&mut rows[g], &above, &parents_of);
        }
        // The last sweep goes only downwards, which keeps sibships together.
        if sweep + 1 == SWEEPS {
            break;
        }
        for g in (0..count.saturating_sub(1)).rev() {
            let below = positions(&rows[g + 1]);
            sort_row(&mut rows[g], &below, &children_of);
        }
    }
    rows
}

/// Partners within generation `g` grouped into units; each unit is ordered
/// as a chain when the partnerships allow it.
fn partner_units(
    pedigree: &Pedigree,
    generation_of: &HashMap<IndividualId, usize>,
    g: usize,
) -> Vec<Vec<IndividualId>> {
    let in_row = |id: &IndividualId| generation_of.get(id) == Some(&g);
    let partners = |id: IndividualId| -> Vec<IndividualId> {
        pedigree.partners_of(id).filter(in_row).collect()
    };
    let mut placed: Vec<IndividualId> = Vec::new();
    let mut units = Vec::new();
    for individual in pedigree.individuals().iter().filter(|i| in_row(&i.id)) {
        if placed.contains(&individual.id) {
            continue;
        }
        // Walk to one end of the chain, then collect along it.
        let mut component = vec![individual.id];
        let mut next = 0;
        while next < component.len() {
            for p in partners(component[next]) {
                if !component.contains(&p) {
                    component.push(p);
                }
            }
            next += 1;
        }
        let start = component
            .iter()
            .copied()
            .find(|&id| partners(id).len() <= 1)
            .unwrap_or(individual.id);
        let mut chain = vec![start];
        while let Some(next) = chain
            .last()
            .and_then(|&last| partners(last).into_iter().find(|p| !chain.contains(p)))
        {
            chain.push(next);
        }
        // Anyone not on the chain (a partner web rather than a line) follows it.
        chain.extend(
            component
                .iter()
                .filter(|id| !chain.contains(id))
                .copied()
                .collect::<Vec<_>>(),
        );
        placed.extend(&chain);
        units.push(chain);
    }
    units
}

fn positions(row: &Row) -> HashMap<IndividualId, f32> {
    row.members()
        .enumerate()
        .map(|(i, id)| (id, i as f32))
        .collect()
}

/// Sorts the units of `row` (and the members within each unit) by the mean
/// position of their relatives in the neighbouring row; those without such
/// relatives keep their place.
fn sort_row(
    row: &mut Row,
    neighbour: &HashMap<IndividualId, f32>,
    relatives: &impl Fn(IndividualId) -> Vec<IndividualId>,
) {
    let key = |id: IndividualId| {
        mean(
            relatives(id)
                .iter()
                .filter_map(|r| neighbour.get(r).copied()),
        )
    };
    let mut current = 0.0;
    let mut keyed: Vec<(f32, Vec<IndividualId>)> = Vec::new();
    for unit in row.units.drain(..) {
        let member_keys: Vec<Option<f32>> = unit.iter().map(|&id| key(id)).collect();
        let unit_key = mean(member_keys.iter().flatten().copied()).unwrap_or(current);
        current = unit_key;
        keyed.push((unit_key, orient(unit, &member_keys)));
    }
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    row.units = keyed.into_iter().map(|(_, unit)| unit).collect();
}

/// Reverses a chain of partners when its far end belongs further left.
fn orient(mut unit: Vec<IndividualId>, keys: &[Option<f32>]) -> Vec<IndividualId> {
    let first = keys.iter().flatten().next();
    let last = keys.iter().rev().flatten().next();
    let first_at = keys.iter().position(Option::is_some);
    let last_at = keys.iter().rposition(Option::is_some);
    if let (Some(f), Some(l), Some(fa), Some(la)) = (first, last, first_at, last_at)
        && fa != la
        && f > l
    {
        unit.reverse();
    }
    unit
}

fn mean(values: impl Iterator<Item = f32>) -> Option<f32> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f32)
}
