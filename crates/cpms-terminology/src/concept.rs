//! One coded term of any system.

use crate::code::System;

/// A term (HPO), a disease (ORPHA, OMIM) or an ICD-10 chapter, block, category or subcategory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    pub system: System,
    /// Canonical code, as produced by [`crate::parse_code`]: `HP:0001250`, `ORPHA:558`,
    /// `OMIM:154700`, `Q87.4`, `Q80-Q89`, `XVII`.
    pub code: String,
    /// Preferred name as the source file gives it.
    pub name: String,
    /// Other names: HPO synonyms, other disease names used in the annotation file.
    pub synonyms: Vec<String>,
    /// HPO terms withdrawn from the ontology (kept so old records still resolve).
    pub obsolete: bool,
    /// For an obsolete HPO term, the term(s) to use instead, when the ontology names any
    /// (a term split in two names both).
    pub replaced_by: Vec<String>,
    /// Codes directly above: HPO `is_a` targets; for ICD-10 the category, block or chapter
    /// that contains the code. Empty for diseases and for roots.
    pub parents: Vec<String>,
    /// Rows of the disease annotation file this concept takes part in (for an HPO term the
    /// disease annotations using it, for a disease its phenotype annotations; 0 for ICD-10).
    /// Search uses it as its measure of how common a concept is.
    pub annotations: u32,
}

impl Concept {
    pub(crate) fn new(system: System, code: String, name: String) -> Self {
        Concept {
            system,
            code,
            name,
            synonyms: Vec::new(),
            obsolete: false,
            replaced_by: Vec::new(),
            parents: Vec::new(),
            annotations: 0,
        }
    }
}
