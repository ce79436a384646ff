//! Parser for `hp.obo` (OBO 1.2 flat file format) keeping what the product needs:
//! id, name, synonyms, `is_a`, `alt_id`, obsolescence and `replaced_by`.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use crate::code::{System, parse_code};
use crate::concept::Concept;
use crate::error::{Problem, SourceFile, TerminologyError};
use crate::fold::fold;
use crate::input::{Lines, malformed};

const FILE: SourceFile = SourceFile::HpoObo;

/// The ontology as read from the file.
pub(crate) struct Ontology {
    /// `data-version` header, without the `hp/releases/` prefix.
    pub version: String,
    pub terms: Vec<Concept>,
    /// Alternative (merged) ids and the term they now belong to.
    pub alt_ids: Vec<(String, String)>,
}

/// A code mentioned in the file, with the line that mentions it.
struct Mention {
    line: usize,
    code: String,
}

/// A `[Term]` (or other) stanza being read.
struct Stanza {
    kind: String,
    line: usize,
    id: Option<Mention>,
    name: Option<String>,
    synonyms: Vec<String>,
    parents: Vec<Mention>,
    alt_ids: Vec<Mention>,
    obsolete: bool,
    replaced_by: Vec<Mention>,
}

pub(crate) fn parse(reader: impl Read) -> Result<Ontology, TerminologyError> {
    let mut lines = Lines::new(FILE, reader)?;
    let mut version = None;
    let mut stanzas = Vec::new();
    let mut current: Option<Stanza> = None;
    while let Some((number, line)) = lines.next_line()? {
        let line = line.trim_end();
        if number == 1 && !line.starts_with("format-version:") {
            return Err(wrong_kind(format!(
                "an OBO file starts with `format-version:`, not {:?}",
                truncate(line)
            )));
        }
        if line.starts_with('[') {
            stanzas.extend(current.take());
            current = Some(stanza_header(number, line)?);
        } else if line.is_empty() || line.starts_with('!') {
            continue;
        } else if let Some(stanza) = current.as_mut() {
            read_tag(stanza, number, line)?;
        } else if let Some(value) = line.strip_prefix("data-version:") {
            let value = value.trim();
            version = Some(
                value
                    .strip_prefix("hp/releases/")
                    .unwrap_or(value)
                    .to_owned(),
            );
        }
    }
    stanzas.extend(current);
    let version =
        version.ok_or_else(|| wrong_kind("the header has no `data-version:` line".to_owned()))?;
    build(version, stanzas)
}

fn wrong_kind(reason: String) -> TerminologyError {
    TerminologyError::WrongKind { file: FILE, reason }
}

fn truncate(line: &str) -> String {
    line.chars().take(60).collect()
}

fn stanza_header(number: usize, line: &str) -> Result<Stanza, TerminologyError> {
    let kind = line
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .ok_or_else(|| malformed(FILE, number, Problem::UnclosedStanzaHeader(line.to_owned())))?;
    Ok(Stanza {
        kind: kind.to_owned(),
        line: number,
        id: None,
        name: None,
        synonyms: Vec::new(),
        parents: Vec::new(),
        alt_ids: Vec::new(),
        obsolete: false,
        replaced_by: Vec::new(),
    })
}

fn read_tag(stanza: &mut Stanza, number: usize, line: &str) -> Result<(), TerminologyError> {
    let (tag, value) = line
        .split_once(':')
        .filter(|(tag, _)| !tag.is_empty() && !tag.contains(char::is_whitespace))
        .ok_or_else(|| malformed(FILE, number, Problem::NotTagValue(truncate(line))))?;
    if stanza.kind != "Term" {
        return Ok(());
    }
    let value = value.trim();
    let mention = || -> Result<Mention, TerminologyError> {
        Ok(Mention {
            line: number,
            code: hpo_id(number, value)?,
        })
    };
    match tag {
        "id" => set_once(&mut stanza.id, mention()?, "id", number),
        "name" => set_once(&mut stanza.name, value.to_owned(), "name", number),
        "synonym" => {
            stanza.synonyms.push(quoted(number, value)?);
            Ok(())
        }
        "is_a" => {
            stanza.parents.push(mention()?);
            Ok(())
        }
        "alt_id" => {
            stanza.alt_ids.push(mention()?);
            Ok(())
        }
        "replaced_by" => {
            stanza.replaced_by.push(mention()?);
            Ok(())
        }
        "is_obsolete" => {
            stanza.obsolete = match value {
                "true" => true,
                "false" => false,
                _ => return Err(bad_value(number, "is_obsolete flag", value)),
            };
            Ok(())
        }
        _ => Ok(()),
    }
}

fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    tag: &'static str,
    number: usize,
) -> Result<(), TerminologyError> {
    if slot.is_some() {
        return Err(malformed(FILE, number, Problem::RepeatedTag { tag }));
    }
    *slot = Some(value);
    Ok(())
}

fn bad_value(number: usize, what: &'static str, value: &str) -> TerminologyError {
    malformed(
        FILE,
        number,
        Problem::BadValue {
            what,
            value: truncate(value),
        },
    )
}

/// The HPO id at the start of a value (`HP:0001507 ! Growth abnormality` → `HP:0001507`),
/// which must already be in canonical form.
fn hpo_id(number: usize, value: &str) -> Result<String, TerminologyError> {
    let token = value.split_whitespace().next().unwrap_or_default();
    match parse_code(token) {
        Ok((System::Hpo, code)) if code == token => Ok(code),
        _ => Err(bad_value(number, "HPO id", value)),
    }
}

/// The text of a quoted OBO value (`"Febrile seizure" EXACT []`), with escapes resolved.
fn quoted(number: usize, value: &str) -> Result<String, TerminologyError> {
    let unterminated = || bad_value(number, "quoted text", value);
    let mut chars = value.strip_prefix('"').ok_or_else(unterminated)?.chars();
    let mut text = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Ok(text),
            '\\' => match chars.next().ok_or_else(unterminated)? {
                'n' => text.push('\n'),
                't' => text.push('\t'),
                other => text.push(other),
            },
            _ => text.push(c),
        }
    }
    Err(unterminated())
}

/// Turns stanzas into concepts and checks that every id mentioned is defined exactly once.
fn build(version: String, stanzas: Vec<Stanza>) -> Result<Ontology, TerminologyError> {
    let mut terms = Vec::with_capacity(stanzas.len());
    let mut ids = Vec::with_capacity(stanzas.len());
    let mut alt_ids = Vec::new();
    let mut references = Vec::new();
    for stanza in stanzas.into_iter().filter(|s| s.kind == "Term") {
        let missing = |tag| {
            let described = format!("[{}] at line {}", stanza.kind, stanza.line);
            let problem = Problem::MissingTag {
                stanza: described,
                tag,
            };
            malformed(FILE, stanza.line, problem)
        };
        let id = stanza.id.ok_or_else(|| missing("id"))?;
        let name = stanza.name.ok_or_else(|| missing("name"))?;
        let mut term = Concept::new(System::Hpo, id.code.clone(), name);
        term.synonyms = distinct_synonyms(&term.name, stanza.synonyms);
        term.obsolete = stanza.obsolete;
        term.parents = stanza.parents.iter().map(|m| m.code.clone()).collect();
        term.replaced_by = stanza.replaced_by.iter().map(|m| m.code.clone()).collect();
        let owner = &term.code;
        alt_ids.extend(stanza.alt_ids.into_iter().map(|m| (m, owner.clone())));
        let mentioned = stanza.parents.into_iter().chain(stanza.replaced_by);
        references.extend(mentioned.map(|m| (owner.clone(), m)));
        ids.push(id);
        terms.push(term);
    }
    if terms.is_empty() {
        return Err(wrong_kind("the file has no [Term] stanzas".to_owned()));
    }
    check_ids(&terms, &ids, &alt_ids)?;
    check_references(&terms, &references)?;
    let alt_ids = alt_ids
        .into_iter()
        .map(|(m, owner)| (m.code, owner))
        .collect();
    Ok(Ontology {
        version,
        terms,
        alt_ids,
    })
}

/// Primary ids are unique, and so are alternative ids. An alternative id may repeat the
/// id of an obsolete term (HPO keeps the withdrawn term's record when merging it into
/// another), but never the id of a current term.
fn check_ids(
    terms: &[Concept],
    ids: &[Mention],
    alt_ids: &[(Mention, String)],
) -> Result<(), TerminologyError> {
    let mut primary = HashMap::with_capacity(terms.len());
    for (term, id) in terms.iter().zip(ids) {
        if primary.insert(term.code.as_str(), term.obsolete).is_some() {
            return Err(duplicate(id));
        }
    }
    let mut alternative = HashSet::with_capacity(alt_ids.len());
    for (alt, _) in alt_ids {
        let clashes_with_current = primary.get(alt.code.as_str()) == Some(&false);
        if clashes_with_current || !alternative.insert(alt.code.as_str()) {
            return Err(duplicate(alt));
        }
    }
    Ok(())
}

fn duplicate(mention: &Mention) -> TerminologyError {
    malformed(
        FILE,
        mention.line,
        Problem::DuplicateCode(mention.code.clone()),
    )
}

/// Synonyms without repeats and without restatements of the name (the file lists some
/// layperson synonyms identical to the name).
fn distinct_synonyms(name: &str, synonyms: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::from([fold(name)]);
    synonyms
        .into_iter()
        .filter(|s| seen.insert(fold(s)))
        .collect()
}

/// `is_a` and `replaced_by` must point at primary ids of terms in the file.
fn check_references(
    terms: &[Concept],
    references: &[(String, Mention)],
) -> Result<(), TerminologyError> {
    let primary: HashSet<&str> = terms.iter().map(|t| t.code.as_str()).collect();
    match references
        .iter()
        .find(|(_, to)| !primary.contains(to.code.as_str()))
    {
        Some((from, to)) => Err(malformed(
            FILE,
            to.line,
            Problem::DanglingReference {
                from: from.clone(),
                to: to.code.clone(),
            },
        )),
        None => Ok(()),
    }
}
