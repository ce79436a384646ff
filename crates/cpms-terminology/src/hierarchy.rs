//! Where a concept sits: paths up to its top-level term and the concepts directly below it.

use crate::concept::Concept;
use crate::terminology::Terminology;

/// HPO's technical root "All"; paths stop below it, at "Phenotypic abnormality",
/// "Mode of inheritance" and the other top-level terms.
const HPO_ROOT: &str = "HP:0000001";

impl Terminology {
    /// Every path from a top-level concept down to a direct parent of `code` (HPO terms
    /// have several parents, so several paths; ICD-10 codes have one, ending at the
    /// chapter). Each path starts at the top and ends at the parent; a top-level concept
    /// has no paths. `None` if the code is unknown.
    pub fn ancestors(&self, code: &str) -> Option<Vec<Vec<&Concept>>> {
        let concept = self.get(code)?;
        let mut paths = Vec::new();
        self.collect_paths(concept, &mut Vec::new(), &mut paths);
        Some(paths)
    }

    /// The concepts directly below `code`, ordered by name. `None` if the code is unknown.
    pub fn children(&self, code: &str) -> Option<Vec<&Concept>> {
        let position = self.locate(code)?;
        let children = &self.children[position as usize];
        Some(
            children
                .iter()
                .map(|&c| &self.concepts[c as usize])
                .collect(),
        )
    }

    /// Depth-first walk upwards; `below` holds the concepts between `concept` and the
    /// term asked about, nearest first.
    fn collect_paths<'a>(
        &'a self,
        concept: &'a Concept,
        below: &mut Vec<&'a Concept>,
        paths: &mut Vec<Vec<&'a Concept>>,
    ) {
        let parents: Vec<&Concept> = concept
            .parents
            .iter()
            .filter(|code| code.as_str() != HPO_ROOT)
            .filter_map(|code| self.position_of(code))
            .map(|position| &self.concepts[position as usize])
            .collect();
        if parents.is_empty() {
            if !below.is_empty() {
                paths.push(below.iter().rev().copied().collect());
            }
            return;
        }
        for parent in parents {
            below.push(parent);
            self.collect_paths(parent, below, paths);
            below.pop();
        }
    }
}
