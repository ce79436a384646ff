//! The loaded terminology: every concept, looked up by code, with the search index.

use std::collections::HashMap;
use std::io::Read;

use crate::code::{System, parse_code};
use crate::concept::Concept;
use crate::error::{Problem, SourceFile, TerminologyError};
use crate::index::SearchIndex;
use crate::input::malformed;
use crate::{hpoa, icd10, obo};

/// The Orphanet code for "undiagnosed after full investigation"; records need it whatever
/// the annotation file contains.
pub const ORPHA_UNDIAGNOSED: &str = "ORPHA:616874";
const ORPHA_UNDIAGNOSED_NAME: &str =
    "Rare disorder without a determined diagnosis after full investigation";

const SHIPPED_HPO: &[u8] = include_bytes!("../../../data/terminology/hp.obo.gz");
const SHIPPED_HPOA: &[u8] = include_bytes!("../../../data/terminology/phenotype.hpoa.gz");
const SHIPPED_ICD10: &[u8] = include_bytes!("../../../data/terminology/icd10-2019.xml.gz");

/// Release of each loaded source file, for the about page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    /// `data-version` of hp.obo, e.g. `2025-01-16`.
    pub hpo: String,
    /// `#version` of phenotype.hpoa (the ORPHA and OMIM names), e.g. `2025-01-16`.
    pub hpo_annotations: String,
    /// ICD-10 revision year, e.g. `2019`.
    pub icd10: String,
}

/// HPO, ORPHA, OMIM and ICD-10 concepts with lookup, hierarchy and type-ahead search.
pub struct Terminology {
    pub(crate) concepts: Vec<Concept>,
    /// Canonical codes, and alternative HPO ids, to positions in `concepts`.
    by_code: HashMap<String, u32>,
    /// Positions of each concept's children, ordered by name.
    pub(crate) children: Vec<Vec<u32>>,
    pub(crate) index: SearchIndex,
    versions: Versions,
}

impl Terminology {
    /// The releases shipped inside the binary (see `data/terminology/README.md`).
    pub fn shipped() -> Result<Terminology, TerminologyError> {
        Terminology::from_sources(SHIPPED_HPO, SHIPPED_HPOA, SHIPPED_ICD10)
    }

    /// Loads hp.obo, phenotype.hpoa and the ICD-10 XML, each gzip-compressed or plain.
    /// Any error in any file fails the whole load. The three files are read in parallel.
    pub fn from_sources(
        hp_obo: impl Read + Send,
        hpoa: impl Read + Send,
        icd10: impl Read + Send,
    ) -> Result<Terminology, TerminologyError> {
        let (ontology, annotations, classification) = std::thread::scope(|scope| {
            let annotations = scope.spawn(|| hpoa::parse(hpoa));
            let classification = scope.spawn(|| icd10::parse(icd10));
            let ontology = obo::parse(hp_obo);
            (ontology, joined(annotations), joined(classification))
        });
        let obo::Ontology {
            version: hpo_version,
            mut terms,
            alt_ids,
        } = ontology?;
        let (annotations, classification) = (annotations?, classification?);
        let alt_to_primary: HashMap<&str, &str> = alt_ids
            .iter()
            .map(|(alt, primary)| (alt.as_str(), primary.as_str()))
            .collect();
        count_term_uses(&mut terms, &alt_to_primary, &annotations.term_uses)?;
        let mut concepts = terms;
        concepts.extend(annotations.diseases);
        add_undiagnosed(&mut concepts);
        concepts.extend(classification.codes);
        let by_code = code_table(&concepts, &alt_ids);
        let children = children_of(&concepts, &by_code);
        let index = SearchIndex::build(&concepts);
        Ok(Terminology {
            concepts,
            by_code,
            children,
            index,
            versions: Versions {
                hpo: hpo_version,
                hpo_annotations: annotations.version,
                icd10: classification.version,
            },
        })
    }

    /// The concept a code names, in any form [`parse_code`] accepts. An alternative HPO id
    /// gives the term it was merged into. `None` for malformed or unknown codes.
    pub fn get(&self, code: &str) -> Option<&Concept> {
        self.locate(code)
            .map(|position| &self.concepts[position as usize])
    }

    /// Position of the concept a code in any accepted form names.
    pub(crate) fn locate(&self, code: &str) -> Option<u32> {
        let (_, canonical) = parse_code(code).ok()?;
        self.position_of(&canonical)
    }

    pub(crate) fn position_of(&self, canonical: &str) -> Option<u32> {
        self.by_code.get(canonical).copied()
    }

    /// Every concept: HPO terms in file order, then ORPHA and OMIM diseases in the order
    /// the annotation file first names them, then ICD-10 codes in classification order.
    pub fn concepts(&self) -> impl Iterator<Item = &Concept> {
        self.concepts.iter()
    }

    pub fn versions(&self) -> &Versions {
        &self.versions
    }
}

fn add_undiagnosed(concepts: &mut Vec<Concept>) {
    if !concepts.iter().any(|c| c.code == ORPHA_UNDIAGNOSED) {
        concepts.push(Concept::new(
            System::Orpha,
            ORPHA_UNDIAGNOSED.to_owned(),
            ORPHA_UNDIAGNOSED_NAME.to_owned(),
        ));
    }
}

/// Positions by canonical code, plus the alternative HPO ids. An alternative id that is
/// also the id of an obsolete term keeps naming that term, whose record says what
/// replaced it.
fn code_table(concepts: &[Concept], alt_ids: &[(String, String)]) -> HashMap<String, u32> {
    let mut by_code: HashMap<String, u32> = concepts
        .iter()
        .enumerate()
        .map(|(position, c)| (c.code.clone(), position as u32))
        .collect();
    for (alt, primary) in alt_ids {
        if let Some(&position) = by_code.get(primary) {
            by_code.entry(alt.clone()).or_insert(position);
        }
    }
    by_code
}

/// The result of a parsing thread; a panic there continues in the caller.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Sets each term's annotation count; every term the annotations use must be defined
/// (directly or as an alternative id), or the files come from different releases.
fn count_term_uses(
    terms: &mut [Concept],
    alt_to_primary: &HashMap<&str, &str>,
    uses: &HashMap<String, hpoa::TermUse>,
) -> Result<(), TerminologyError> {
    let positions: HashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .map(|(position, term)| (term.code.as_str(), position))
        .collect();
    let mut rows = vec![0u32; terms.len()];
    let mut undefined: Option<(&str, usize)> = None;
    for (code, term_use) in uses {
        let primary = alt_to_primary.get(code.as_str()).copied().unwrap_or(code);
        match positions.get(primary) {
            Some(&position) => rows[position] = rows[position].saturating_add(term_use.rows),
            None if undefined.is_none_or(|(_, line)| term_use.first_line < line) => {
                undefined = Some((code, term_use.first_line));
            }
            None => {}
        }
    }
    if let Some((code, line)) = undefined {
        let problem = Problem::UnknownHpoTerm(code.to_owned());
        return Err(malformed(SourceFile::Hpoa, line, problem));
    }
    for (term, rows) in terms.iter_mut().zip(rows) {
        term.annotations = rows;
    }
    Ok(())
}

/// Counts and versions only: the concepts are too many to print.
impl std::fmt::Debug for Terminology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terminology")
            .field("concepts", &self.concepts.len())
            .field("versions", &self.versions)
            .finish_non_exhaustive()
    }
}

/// For each concept, the positions of the concepts naming it as a parent, ordered by name.
fn children_of(concepts: &[Concept], by_code: &HashMap<String, u32>) -> Vec<Vec<u32>> {
    let mut children = vec![Vec::new(); concepts.len()];
    for (position, concept) in concepts.iter().enumerate() {
        for parent in &concept.parents {
            if let Some(&above) = by_code.get(parent) {
                children[above as usize].push(position as u32);
            }
        }
    }
    for list in &mut children {
        list.sort_by(|&a, &b| concepts[a as usize].name.cmp(&concepts[b as usize].name));
    }
    children
}
