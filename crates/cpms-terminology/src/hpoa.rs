//! Parser for `phenotype.hpoa`, the HPO disease annotation file. It is the source of
//! ORPHA and OMIM disease names, and of how often each HPO term is used.

use std::collections::HashMap;
use std::io::Read;

use crate::code::{System, parse_code};
use crate::concept::Concept;
use crate::error::{Problem, SourceFile, TerminologyError};
use crate::input::{Lines, malformed};

const FILE: SourceFile = SourceFile::Hpoa;

/// Columns this parser reads; the header must name them.
const DATABASE_ID: &str = "database_id";
const DISEASE_NAME: &str = "disease_name";
const HPO_ID: &str = "hpo_id";

/// Diseases with their names, and how each HPO term is used.
pub(crate) struct Annotations {
    /// `#version:` metadata line.
    pub version: String,
    pub diseases: Vec<Concept>,
    pub term_uses: HashMap<String, TermUse>,
}

/// How often an HPO term is used, and where first (to report a term hp.obo lacks).
pub(crate) struct TermUse {
    pub rows: u32,
    pub first_line: usize,
}

/// Positions of the columns read, and how many there are.
struct Columns {
    count: usize,
    database_id: usize,
    disease_name: usize,
    hpo_id: usize,
}

/// The fields of one row that this parser reads.
#[derive(Default)]
struct Row<'l> {
    database_id: &'l str,
    disease_name: &'l str,
    hpo_id: &'l str,
}

/// A disease and every name the file gives it, with how many rows use each name.
struct DiseaseNames {
    system: System,
    code: String,
    names: Vec<(String, u32)>,
}

/// Everything gathered from the rows read so far.
#[derive(Default)]
struct Collected {
    diseases: Vec<DiseaseNames>,
    disease_index: HashMap<String, usize>,
    term_uses: HashMap<String, TermUse>,
}

/// Reads the file. HPO terms are checked for form here; whether hp.obo defines them is
/// for the caller to check with [`Annotations::term_uses`].
pub(crate) fn parse(reader: impl Read) -> Result<Annotations, TerminologyError> {
    let mut lines = Lines::new(FILE, reader)?;
    let mut version = None;
    let mut columns = None;
    let mut collected = Collected::default();
    while let Some((number, line)) = lines.next_line()? {
        if let Some(meta) = line.strip_prefix('#') {
            if let Some(value) = meta.strip_prefix("version:") {
                version = Some(value.trim().to_owned());
            }
            continue;
        }
        match &columns {
            None => columns = Some(header(line)?),
            Some(columns) => collected.add(number, columns.split(number, line)?)?,
        }
    }
    if columns.is_none() {
        return Err(no_header("the file ends before any header row"));
    }
    Ok(Annotations {
        version: version.ok_or_else(|| no_header("no `#version:` line"))?,
        diseases: collected.diseases.into_iter().map(into_concept).collect(),
        term_uses: collected.term_uses,
    })
}

impl Columns {
    fn split<'l>(&self, number: usize, line: &'l str) -> Result<Row<'l>, TerminologyError> {
        let mut row = Row::default();
        let mut count = 0;
        for (position, field) in line.split('\t').enumerate() {
            if position == self.database_id {
                row.database_id = field;
            } else if position == self.disease_name {
                row.disease_name = field.trim();
            } else if position == self.hpo_id {
                row.hpo_id = field;
            }
            count += 1;
        }
        if count != self.count {
            let problem = Problem::ColumnCount {
                expected: self.count,
                found: count,
            };
            return Err(malformed(FILE, number, problem));
        }
        Ok(row)
    }
}

impl Collected {
    fn add(&mut self, number: usize, row: Row) -> Result<(), TerminologyError> {
        if !is_canonical_hpo_id(row.hpo_id) {
            return Err(bad_value(number, "hpo_id", row.hpo_id));
        }
        if row.database_id.starts_with("DECIPHER:") {
            return Ok(());
        }
        if row.disease_name.is_empty() {
            return Err(bad_value(number, "disease_name (empty)", row.disease_name));
        }
        match self.term_uses.get_mut(row.hpo_id) {
            Some(known) => known.rows += 1,
            None => {
                let first = TermUse {
                    rows: 1,
                    first_line: number,
                };
                self.term_uses.insert(row.hpo_id.to_owned(), first);
            }
        }
        let at = match self.disease_index.get(row.database_id) {
            Some(&at) => at,
            None => {
                let (system, code) = disease_code(number, row.database_id)?;
                self.diseases.push(DiseaseNames {
                    system,
                    code: code.clone(),
                    names: Vec::new(),
                });
                self.disease_index.insert(code, self.diseases.len() - 1);
                self.diseases.len() - 1
            }
        };
        count_name(&mut self.diseases[at].names, row.disease_name);
        Ok(())
    }
}

/// `HP:` and seven digits, the only form the annotation file uses.
fn is_canonical_hpo_id(value: &str) -> bool {
    value
        .strip_prefix("HP:")
        .is_some_and(|digits| digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn no_header(reason: &str) -> TerminologyError {
    TerminologyError::WrongKind {
        file: FILE,
        reason: reason.to_owned(),
    }
}

fn bad_value(number: usize, what: &'static str, value: &str) -> TerminologyError {
    let value = value.chars().take(60).collect();
    malformed(FILE, number, Problem::BadValue { what, value })
}

/// The first line that is not `#` metadata must be the column header.
fn header(line: &str) -> Result<Columns, TerminologyError> {
    let names: Vec<&str> = line.split('\t').collect();
    let find = |wanted: &str| names.iter().position(|name| *name == wanted);
    match (find(DATABASE_ID), find(DISEASE_NAME), find(HPO_ID)) {
        (Some(database_id), Some(disease_name), Some(hpo_id)) => Ok(Columns {
            count: names.len(),
            database_id,
            disease_name,
            hpo_id,
        }),
        _ => Err(TerminologyError::WrongKind {
            file: FILE,
            reason: format!(
                "expected a tab-separated header with {DATABASE_ID}, {DISEASE_NAME} and {HPO_ID}, found {:?}",
                line.chars().take(60).collect::<String>()
            ),
        }),
    }
}

/// The system and canonical code of an ORPHA or OMIM row.
fn disease_code(number: usize, database_id: &str) -> Result<(System, String), TerminologyError> {
    let (database, _) = database_id.split_once(':').unwrap_or((database_id, ""));
    let system = match database {
        "ORPHA" => System::Orpha,
        "OMIM" => System::Omim,
        _ => {
            let problem = Problem::UnknownDatabase(database.to_owned());
            return Err(malformed(FILE, number, problem));
        }
    };
    match parse_code(database_id) {
        Ok((parsed, code)) if parsed == system && code == database_id => Ok((system, code)),
        _ => Err(bad_value(number, "database_id", database_id)),
    }
}

fn count_name(names: &mut Vec<(String, u32)>, name: &str) {
    match names.iter_mut().find(|(known, _)| known == name) {
        Some((_, rows)) => *rows += 1,
        None => names.push((name.to_owned(), 1)),
    }
}

/// The name used on most rows is the preferred name (the first seen wins a tie); the
/// others become synonyms.
fn into_concept(disease: DiseaseNames) -> Concept {
    let rows = disease.names.iter().map(|(_, rows)| rows).sum();
    let mut names = disease.names;
    // Stable sort keeps first-seen order among equally used names.
    names.sort_by_key(|(_, rows)| std::cmp::Reverse(*rows));
    let mut names = names.into_iter().map(|(name, _)| name);
    let mut concept = Concept::new(
        disease.system,
        disease.code,
        names.next().unwrap_or_default(),
    );
    concept.synonyms = names.collect();
    concept.annotations = rows;
    concept
}
