//! Coded terms for rare-disease records: HPO phenotypes, ORPHA and OMIM diseases and WHO
//! ICD-10 codes, loaded from the standard release files, with code validation, hierarchy
//! and ranked type-ahead search that works offline.
//!
//! ```
//! use cpms_terminology::{Rank, System, Terminology};
//!
//! let terminology = Terminology::shipped()?;
//! let hits = terminology.search("seiz", &[System::Hpo], 5);
//! assert_eq!(hits[0].concept.name, "Seizure");
//! assert_eq!(hits[0].rank, Rank::NamePrefix);
//! assert_eq!(terminology.get("q874").map(|c| c.name.as_str()), Some("Marfan syndrome"));
//! # Ok::<(), cpms_terminology::TerminologyError>(())
//! ```

mod code;
mod concept;
mod error;
mod fold;
mod hierarchy;
mod hpoa;
mod icd10;
mod index;
mod input;
mod obo;
mod query;
mod search;
mod terminology;

pub use code::{System, parse_code};
pub use concept::Concept;
pub use error::{CodeError, Problem, SourceFile, TerminologyError};
pub use fold::fold;
pub use search::{Hit, Matched, Rank, SearchOptions};
pub use terminology::{ORPHA_UNDIAGNOSED, Terminology, Versions};
