//! Coded terms for rare-disease records: HPO phenotypes, ORPHA and OMIM diseases and WHO
//! ICD-10 codes, loaded from the standard release files, with code validation, hierarchy
//! and ranked type-ahead search that works offline.
//!
//! - Loading: [`Terminology::shipped`] reads the releases compiled into the binary
//!   (`data/terminology/`); [`Terminology::from_sources`] reads newer ones, gzip or plain.
//!   Broken input fails the whole load with a [`TerminologyError`] naming the file, the
//!   line and the [`Problem`].
//! - Codes: [`parse_code`] validates and normalises what users type (`hp:1250`, `q874`,
//!   `Orphanet:558`…); the accepted forms are listed there. [`Terminology::get`] looks a
//!   code up in any of those forms.
//! - Search: [`Terminology::search`] matches codes, names and synonyms ignoring case and
//!   accents and ranks hits as [`Rank`] describes; obsolete HPO terms are left out unless
//!   [`SearchOptions::include_obsolete`] is set.
//! - Hierarchy: [`Terminology::ancestors`] and [`Terminology::children`], for HPO (`is_a`)
//!   and ICD-10 (chapter, block, category, subcategory).
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
mod source_dir;
mod terminology;

pub use code::{System, parse_code};
pub use concept::Concept;
pub use error::{CodeError, Problem, SourceFile, TerminologyError};
pub use fold::fold;
pub use search::{Hit, Matched, Rank, SearchOptions};
pub use source_dir::{SourceDirError, SourceFiles};
pub use terminology::{ORPHA_UNDIAGNOSED, Terminology, Versions};
