//! Horizontal positions. Each row is placed in its fixed order with a
//! minimum distance between neighbours, as close as possible to where each
//! symbol wants to be: under its parents (going down) or over its children
//! (going up). "As close as possible" is a least-squares fit under ordering
//! constraints, solved exactly by pooling adjacent violators.

use std::collections::HashMap;

use cpms_domain::pedigree::{IndividualId, Pedigree};

use super::order::Row;
use super::{LEFT, SPACING, same_set};

/// Extra room between units, so separate families read as separate.
const UNIT_GAP: f32 = SPACING * 1.2;
const ROUNDS: usize = 12;

pub(super) fn place(pedigree: &Pedigree, rows: &[Row]) -> HashMap<IndividualId, f32> {
    let mut x: HashMap<IndividualId, f32> = HashMap::new();
    for row in rows {
        let gaps = gaps(row);
        let mut at = 0.0;
        for (i, id) in row.members().enumerate() {
            at += if i == 0 { 0.0 } else { gaps[i - 1] };
            x.insert(id, at);
        }
    }
    for _ in 0..ROUNDS {
        for row in rows.iter().skip(1) {
            let shifts = shifts_towards_parents(pedigree, row, &x);
            settle(row, &shifts, &mut x);
        }
        for row in rows.iter().rev().skip(1) {
            let shifts = shifts_towards_children(pedigree, row, &x);
            settle(row, &shifts, &mut x);
        }
    }
    let min = x.values().copied().fold(f32::INFINITY, f32::min);
    for value in x.values_mut() {
        *value += LEFT - min;
    }
    x
}

/// Minimum distances between neighbours in a row.
fn gaps(row: &Row) -> Vec<f32> {
    let mut gaps = Vec::new();
    for (u, unit) in row.units.iter().enumerate() {
        if u > 0 {
            gaps.push(UNIT_GAP);
        }
        gaps.extend(std::iter::repeat_n(SPACING, unit.len().saturating_sub(1)));
    }
    gaps
}

/// How far each child would move for its sibship to be centred under its
/// parents (the sibship moves as a block).
fn shifts_towards_parents(
    pedigree: &Pedigree,
    row: &Row,
    x: &HashMap<IndividualId, f32>,
) -> HashMap<IndividualId, f32> {
    let mut shifts = HashMap::new();
    for id in row.members() {
        let Some(individual) = pedigree.get(id) else {
            continue;
        };
        let parents: Vec<IndividualId> = individual.parents().collect();
        let Some(parent_centre) = centre(parents.iter().filter_map(|p| x.get(p).copied())) else {
            continue;
        };
        let siblings = row.members().filter(|s| {
            pedigree
                .get(*s)
                .is_some_and(|i| same_set(&i.parents().collect::<Vec<_>>(), &parents))
        });
        let Some(sibship_centre) = centre(siblings.filter_map(|s| x.get(&s).copied())) else {
            continue;
        };
        shifts.insert(id, parent_centre - sibship_centre);
    }
    shifts
}

/// How far each parent would move for each couple to be centred over its
/// children (averaged over a parent's several families).
fn shifts_towards_children(
    pedigree: &Pedigree,
    row: &Row,
    x: &HashMap<IndividualId, f32>,
) -> HashMap<IndividualId, f32> {
    let mut shifts = HashMap::new();
    for id in row.members() {
        let mut family_shifts = Vec::new();
        let children: Vec<_> = pedigree.children_of(id).collect();
        let mut co_parents: Vec<Option<IndividualId>> = children
            .iter()
            .map(|c| c.parents().find(|p| *p != id))
            .collect();
        co_parents.sort();
        co_parents.dedup();
        for co_parent in co_parents {
            let family = children
                .iter()
                .filter(|c| c.parents().find(|p| *p != id) == co_parent)
                .filter_map(|c| x.get(&c.id).copied());
            let Some(children_centre) = centre(family) else {
                continue;
            };
            let couple = std::iter::once(id)
                .chain(co_parent)
                .filter_map(|p| x.get(&p).copied());
            if let Some(couple_centre) = centre(couple) {
                family_shifts.push(children_centre - couple_centre);
            }
        }
        if !family_shifts.is_empty() {
            shifts.insert(
                id,
                family_shifts.iter().sum::<f32>() / family_shifts.len() as f32,
            );
        }
    }
    shifts
}

/// Moves the row towards the wanted shifts. Members without a wish of their
/// own move with the nearest member of their unit that has one, so couples
/// stay together.
fn settle(row: &Row, shifts: &HashMap<IndividualId, f32>, x: &mut HashMap<IndividualId, f32>) {
    let mut desired = Vec::new();
    for unit in &row.units {
        for (i, id) in unit.iter().enumerate() {
            let nearest = (0..unit.len())
                .filter_map(|j| shifts.get(&unit[j]).map(|s| (i.abs_diff(j), *s)))
                .min_by_key(|(distance, _)| *distance)
                .map_or(0.0, |(_, s)| s);
            let own = shifts.get(id).copied().unwrap_or(nearest);
            desired.push(x.get(id).copied().unwrap_or(0.0) + own);
        }
    }
    let placed = fit_in_order(&desired, &gaps(row));
    for (id, value) in row.members().zip(placed) {
        x.insert(id, value);
    }
}

/// Positions closest (least squares) to `desired`, in the same order, with
/// `gaps[i]` at least between positions `i` and `i + 1`.
pub(super) fn fit_in_order(desired: &[f32], gaps: &[f32]) -> Vec<f32> {
    // Subtracting the cumulative minimum gaps turns the problem into an
    // isotonic regression (a non-decreasing fit), solved by pooling
    // adjacent blocks that violate the order.
    let mut offsets = Vec::with_capacity(desired.len());
    let mut total = 0.0;
    for i in 0..desired.len() {
        if i > 0 {
            total += gaps.get(i - 1).copied().unwrap_or(0.0);
        }
        offsets.push(total);
    }
    // Each block: (sum of targets, count).
    let mut blocks: Vec<(f32, usize)> = Vec::new();
    for (d, o) in desired.iter().zip(&offsets) {
        blocks.push((d - o, 1));
        while blocks.len() > 1 {
            let (s2, n2) = blocks[blocks.len() - 1];
            let (s1, n1) = blocks[blocks.len() - 2];
            if s1 / n1 as f32 <= s2 / n2 as f32 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (s1 + s2, n1 + n2);
            }
        }
    }
    blocks
        .iter()
        .flat_map(|&(s, n)| std::iter::repeat_n(s / n as f32, n))
        .zip(&offsets)
        .map(|(y, o)| y + o)
        .collect()
}

/// Midpoint of the extremes of a set of positions.
fn centre(values: impl Iterator<Item = f32>) -> Option<f32> {
    let (min, max) = values.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    (min <= max).then(|| (min + max) / 2.0)
}
