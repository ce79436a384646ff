//! Pedigree drawings with the standard symbols (square male, circle female,
//! diamond unknown; filled affected, central dot carrier, slash deceased,
//! arrow proband; single or double partner lines, sibship lines with drops),
//! generations numbered I, II, III and individuals numbered within them.
//!
//! Layout works in three steps: generations from the family links
//! (`generations`), an order within each generation that keeps couples
//! together and sibships contiguous (`order`), and horizontal positions
//! that centre parents over their children without overlap (`position`).

mod draw;
mod generations;
mod order;
mod position;

use cpms_domain::pedigree::{IndividualId, Pedigree};

pub use draw::render_svg;

/// Distance between the centres of neighbouring symbols.
pub const SPACING: f32 = 90.0;
/// Width and height of a symbol.
pub const SYMBOL: f32 = 36.0;
/// Vertical distance between generations.
pub const GENERATION_HEIGHT: f32 = 130.0;
/// Left of the first symbol: room for the generation numerals.
const LEFT: f32 = 70.0;
const TOP: f32 = 50.0;

/// Where everything goes, in SVG user units (y grows downwards).
#[derive(Clone, Debug, PartialEq)]
pub struct PedigreeLayout {
    pub nodes: Vec<Node>,
    pub couples: Vec<CoupleLine>,
    pub sibships: Vec<Sibship>,
    pub generations: usize,
    pub width: f32,
    pub height: f32,
}

/// One individual's symbol, centred on (`x`, `y`).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: IndividualId,
    /// 0 for the top generation (drawn as "I").
    pub generation: usize,
    /// 1-based position in the generation, left to right.
    pub number: usize,
    pub x: f32,
    pub y: f32,
}

impl Node {
    /// The standard reference, e.g. "II-3".
    pub fn reference(&self) -> String {
        format!("{}-{}", roman(self.generation + 1), self.number)
    }
}

/// A horizontal partner line between two symbols' facing edges.
#[derive(Clone, Debug, PartialEq)]
pub struct CoupleLine {
    pub left: IndividualId,
    pub right: IndividualId,
    pub x1: f32,
    pub x2: f32,
    pub y: f32,
    pub consanguineous: bool,
}

/// The children of one couple (or of one recorded parent): a vertical line
/// from the parents down to a horizontal sibship line, and a drop to each
/// child.
#[derive(Clone, Debug, PartialEq)]
pub struct Sibship {
    pub parents: Vec<IndividualId>,
    /// Where the line of descent leaves the parents.
    pub from: (f32, f32),
    /// Height of the horizontal sibship line.
    pub y: f32,
    pub children: Vec<IndividualId>,
}

/// Lays the pedigree out for drawing.
pub fn layout(pedigree: &Pedigree) -> PedigreeLayout {
    let generation_of = generations::assign(pedigree);
    let rows = order::arrange(pedigree, &generation_of);
    let xs = position::place(pedigree, &rows);
    build(pedigree, &rows, &xs)
}

fn build(
    pedigree: &Pedigree,
    rows: &[order::Row],
    xs: &std::collections::HashMap<IndividualId, f32>,
) -> PedigreeLayout {
    let y_of = |generation: usize| TOP + SYMBOL / 2.0 + generation as f32 * GENERATION_HEIGHT;
    let mut nodes = Vec::new();
    for (generation, row) in rows.iter().enumerate() {
        for (index, id) in row.members().enumerate() {
            nodes.push(Node {
                id,
                generation,
                number: index + 1,
                x: xs.get(&id).copied().unwrap_or(LEFT),
                y: y_of(generation),
            });
        }
    }
    let node = |id: IndividualId| nodes.iter().find(|n| n.id == id);

    let mut couples = Vec::new();
    for p in pedigree.partnerships() {
        let (Some(a), Some(b)) = (node(p.a), node(p.b)) else {
            continue;
        };
        let (left, right) = if a.x <= b.x { (a, b) } else { (b, a) };
        couples.push(CoupleLine {
            left: left.id,
            right: right.id,
            x1: left.x + SYMBOL / 2.0,
            x2: right.x - SYMBOL / 2.0,
            y: (left.y + right.y) / 2.0,
            consanguineous: p.consanguineous,
        });
    }

    let mut sibships: Vec<Sibship> = Vec::new();
    for individual in pedigree.individuals() {
        let parents: Vec<IndividualId> = individual.parents().collect();
        let Some(child) = node(individual.id) else {
            continue;
        };
        if parents.is_empty() {
            continue;
        }
        if let Some(existing) = sibships.iter_mut().find(|s| same_set(&s.parents, &parents)) {
            existing.children.push(child.id);
            continue;
        }
        let parent_nodes: Vec<&Node> = parents.iter().filter_map(|&p| node(p)).collect();
        let from = match parent_nodes.as_slice() {
            [a, b] => ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0),
            [single] => (single.x, single.y + SYMBOL / 2.0),
            _ => continue,
        };
        sibships.push(Sibship {
            parents,
            from,
            y: child.y - SYMBOL / 2.0 - 24.0,
            children: vec![child.id],
        });
    }
    // Siblings can sit in different generations (one drawn lower to stand
    // beside a partner); the sibship line runs above the highest.
    for sibship in &mut sibships {
        let children: Vec<&Node> = sibship.children.iter().filter_map(|&c| node(c)).collect();
        let top = children.iter().map(|n| n.y).fold(f32::INFINITY, f32::min);
        sibship.y = top - SYMBOL / 2.0 - 24.0;
        let mut by_x: Vec<(f32, IndividualId)> = children.iter().map(|n| (n.x, n.id)).collect();
        by_x.sort_by(|a, b| a.0.total_cmp(&b.0));
        sibship.children = by_x.into_iter().map(|(_, id)| id).collect();
    }

    let right = nodes.iter().map(|n| n.x).fold(LEFT, f32::max);
    PedigreeLayout {
        generations: rows.len(),
        width: right + SPACING,
        height: y_of(rows.len().saturating_sub(1)) + SYMBOL / 2.0 + 70.0,
        nodes,
        couples,
        sibships,
    }
}

fn same_set(a: &[IndividualId], b: &[IndividualId]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Roman numeral for generation labels (pedigrees never get near 40).
pub(crate) fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 6] = [
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests;
