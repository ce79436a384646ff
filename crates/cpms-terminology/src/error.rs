//! Error values for loading terminology files and for parsing user-typed codes.

use std::fmt;

/// Which of the three source files an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFile {
    /// `hp.obo`: the Human Phenotype Ontology.
    HpoObo,
    /// `phenotype.hpoa`: HPO disease annotations (ORPHA and OMIM disease names).
    Hpoa,
    /// The WHO ICD-10 XML file.
    Icd10,
}

impl fmt::Display for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceFile::HpoObo => "hp.obo",
            SourceFile::Hpoa => "phenotype.hpoa",
            SourceFile::Icd10 => "ICD-10 XML",
        })
    }
}

/// Loading failed; nothing is loaded from half-broken input.
#[derive(Debug, thiserror::Error)]
pub enum TerminologyError {
    /// The bytes could not be read or decompressed (includes truncated gzip streams).
    #[error("{file}: cannot read: {source}")]
    Read {
        file: SourceFile,
        #[source]
        source: std::io::Error,
    },
    /// The input is some other kind of file (for example the hpoa file passed as hp.obo).
    #[error("{file}: this is not the expected kind of file: {reason}")]
    WrongKind { file: SourceFile, reason: String },
    /// A specific line of the file is wrong.
    #[error("{file} line {line}: {problem}")]
    Malformed {
        file: SourceFile,
        line: usize,
        problem: Problem,
    },
}

/// What was wrong at a given line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("text is not valid UTF-8")]
    NotUtf8,
    #[error("expected `tag: value`, found {0:?}")]
    NotTagValue(String),
    #[error("stanza header {0:?} is not closed with `]`")]
    UnclosedStanzaHeader(String),
    #[error("{stanza} stanza has no `{tag}:` line (truncated stanza?)")]
    MissingTag { stanza: String, tag: &'static str },
    #[error("`{tag}:` appears twice in one stanza")]
    RepeatedTag { tag: &'static str },
    #[error("bad {what}: {value:?}")]
    BadValue { what: &'static str, value: String },
    #[error("code {0} is defined twice")]
    DuplicateCode(String),
    #[error("{from} refers to {to}, which is not defined in the file")]
    DanglingReference { from: String, to: String },
    #[error("expected {expected} tab-separated columns, found {found}")]
    ColumnCount { expected: usize, found: usize },
    #[error("database {0:?} is not one this system knows (ORPHA, OMIM, DECIPHER)")]
    UnknownDatabase(String),
    #[error(
        "annotation refers to {0}, which hp.obo does not define (files from different releases?)"
    )]
    UnknownHpoTerm(String),
    #[error("{0}")]
    Xml(String),
    #[error("<{element}> has no <{child}>")]
    MissingChild {
        element: &'static str,
        child: &'static str,
    },
    #[error("<{element}> is not allowed inside <{parent}>")]
    UnexpectedElement { element: String, parent: String },
    #[error("item of type {child:?} cannot sit under {parent:?}")]
    BadNesting { child: String, parent: String },
    #[error("item code {code} does not belong under {parent}")]
    CodeOutsideParent { code: String, parent: String },
}

/// A code typed or posted by a user could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("empty code")]
    Empty,
    #[error(
        "{0:?} is a bare number that could be ORPHA or OMIM; write ORPHA:{0} or OMIM:{0} \
         (bare numbers are read as HPO only when they have 7 digits)"
    )]
    AmbiguousNumber(String),
    #[error("{input:?} is not a valid {system} code: {reason}")]
    Invalid {
        input: String,
        system: &'static str,
        reason: &'static str,
    },
    #[error(
        "{0:?} is not a code: expected HP:0001250, ORPHA:558, OMIM:154700 or an ICD-10 code like Q87.4"
    )]
    Unrecognised(String),
}
