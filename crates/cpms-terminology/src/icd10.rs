//! Parser for the WHO ICD-10 XML file: nested `<item type="…">` elements (chapter, block,
//! category, subcategory), each with a `<name>` (the code) and a `<description>`.

use std::collections::HashSet;
use std::io::Read;

use roxmltree::{Document, Node};

use crate::code::{System, parse_code};
use crate::concept::Concept;
use crate::error::{Problem, SourceFile, TerminologyError};
use crate::input::{malformed, read_to_string};

const FILE: SourceFile = SourceFile::Icd10;
const ROOT_PREFIX: &str = "icd_10";

/// The classification as read from the file.
pub(crate) struct Classification {
    /// From the root element name: `icd_10_v2019` → `2019`.
    pub version: String,
    pub codes: Vec<Concept>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Chapter,
    Block,
    Category,
    Subcategory,
}

impl Level {
    fn from_attribute(value: &str) -> Option<Level> {
        Some(match value {
            "chapter" => Level::Chapter,
            "block" => Level::Block,
            "category" => Level::Category,
            "subcategory" => Level::Subcategory,
            _ => return None,
        })
    }

    fn label(self) -> &'static str {
        match self {
            Level::Chapter => "chapter",
            Level::Block => "block",
            Level::Category => "category",
            Level::Subcategory => "subcategory",
        }
    }

    /// Whether the code has the shape of this level (`XVII`, `Q80-Q89`, `Q87`, `Q87.4`).
    fn fits(self, code: &str) -> bool {
        let has_digit = code.bytes().any(|b| b.is_ascii_digit());
        match self {
            Level::Chapter => !has_digit,
            Level::Block => code.contains('-'),
            Level::Category => code.len() == 3,
            Level::Subcategory => code.contains('.'),
        }
    }

    /// Which levels may sit directly under this one.
    fn may_contain(self, child: Level) -> bool {
        matches!(
            (self, child),
            (Level::Chapter, Level::Block)
                | (Level::Block, Level::Block | Level::Category)
                | (Level::Category | Level::Subcategory, Level::Subcategory)
        )
    }
}

/// The item a child is being read under.
struct Parent<'a> {
    level: Level,
    code: &'a str,
}

impl Parent<'_> {
    /// Whether `code` lies in the range or under the code of this parent.
    fn contains(&self, code: &str) -> bool {
        match self.level {
            Level::Chapter => true,
            Level::Block => {
                let (first, last) = category_range(self.code);
                let (child_first, child_last) = category_range(code);
                child_first >= first && child_last <= last
            }
            Level::Category | Level::Subcategory => code
                .strip_prefix(self.code)
                .is_some_and(|rest| !rest.is_empty()),
        }
    }
}

/// First and last category a code covers: `Q80-Q89` → (`Q80`, `Q89`), `Q87.4` → (`Q87`, `Q87`).
/// Codes reaching here have been validated, so they are ASCII and at least 3 bytes long.
fn category_range(code: &str) -> (&str, &str) {
    match code.split_once('-') {
        Some((first, last)) => (first, last),
        None => (&code[..3], &code[..3]),
    }
}

struct Reader<'a, 'input> {
    document: &'a Document<'input>,
    codes: Vec<Concept>,
    seen: HashSet<String>,
}

pub(crate) fn parse(reader: impl Read) -> Result<Classification, TerminologyError> {
    let text = read_to_string(FILE, reader)?;
    let document = Document::parse(&text).map_err(|error| {
        let line = error.pos().row as usize;
        let wrong_start = line == 1 && !text.trim_start().starts_with('<');
        if wrong_start {
            TerminologyError::WrongKind {
                file: FILE,
                reason: "the file is not XML".to_owned(),
            }
        } else {
            malformed(FILE, line, Problem::Xml(error.to_string()))
        }
    })?;
    let root = document.root_element();
    let root_name = root.tag_name().name();
    if !root_name.starts_with(ROOT_PREFIX) {
        return Err(TerminologyError::WrongKind {
            file: FILE,
            reason: format!("the root element is <{root_name}>, expected <{ROOT_PREFIX}_v…>"),
        });
    }
    let version = root_name
        .rsplit_once("_v")
        .map_or(root_name, |(_, v)| v)
        .to_owned();
    let mut reader = Reader {
        document: &document,
        codes: Vec::new(),
        seen: HashSet::new(),
    };
    reader.items(root, None)?;
    if reader.codes.is_empty() {
        return Err(TerminologyError::WrongKind {
            file: FILE,
            reason: format!("<{root_name}> contains no items"),
        });
    }
    Ok(Classification {
        version,
        codes: reader.codes,
    })
}

impl<'input> Reader<'_, 'input> {
    fn line(&self, node: Node) -> usize {
        self.document.text_pos_at(node.range().start).row as usize
    }

    fn fail(&self, node: Node, problem: Problem) -> TerminologyError {
        malformed(FILE, self.line(node), problem)
    }

    /// Reads the `<item>` children of `node`; `parent` is `None` at the root.
    fn items(
        &mut self,
        node: Node<'_, 'input>,
        parent: Option<&Parent>,
    ) -> Result<(), TerminologyError> {
        for child in node.children().filter(Node::is_element) {
            let element = child.tag_name().name();
            match element {
                "item" => self.item(child, parent)?,
                "name" | "description" if parent.is_some() => {}
                _ => {
                    let problem = Problem::UnexpectedElement {
                        element: element.to_owned(),
                        parent: node.tag_name().name().to_owned(),
                    };
                    return Err(self.fail(child, problem));
                }
            }
        }
        Ok(())
    }

    fn item(
        &mut self,
        node: Node<'_, 'input>,
        parent: Option<&Parent>,
    ) -> Result<(), TerminologyError> {
        let kind = node.attribute("type").unwrap_or_default();
        let level = Level::from_attribute(kind).ok_or_else(|| {
            let value = kind.to_owned();
            self.fail(
                node,
                Problem::BadValue {
                    what: "item type",
                    value,
                },
            )
        })?;
        let parent_level = parent.map(|p| p.level);
        let allowed = match parent_level {
            None => level == Level::Chapter,
            Some(above) => above.may_contain(level),
        };
        if !allowed {
            let problem = Problem::BadNesting {
                child: level.label().to_owned(),
                parent: parent_level.map_or("the root", Level::label).to_owned(),
            };
            return Err(self.fail(node, problem));
        }
        let code = self.code(node, level)?;
        if let Some(parent) = parent.filter(|p| !p.contains(&code)) {
            let problem = Problem::CodeOutsideParent {
                code,
                parent: parent.code.to_owned(),
            };
            return Err(self.fail(node, problem));
        }
        let name = self.text_of(node, "description")?;
        let mut concept = Concept::new(System::Icd10, code, name.to_owned());
        concept.parents = parent.map(|p| p.code.to_owned()).into_iter().collect();
        let code = concept.code.clone();
        self.codes.push(concept);
        self.items(node, Some(&Parent { level, code: &code }))
    }

    /// The item's `<name>`, which must be a canonical ICD-10 code of the item's level,
    /// not seen before.
    fn code(&mut self, node: Node, level: Level) -> Result<String, TerminologyError> {
        let raw = self.text_of(node, "name")?;
        let code = match parse_code(raw) {
            Ok((System::Icd10, code)) if code == raw && level.fits(&code) => code,
            _ => {
                let what = level.label();
                let value = raw.to_owned();
                return Err(self.fail(node, Problem::BadValue { what, value }));
            }
        };
        if !self.seen.insert(code.clone()) {
            return Err(self.fail(node, Problem::DuplicateCode(code)));
        }
        Ok(code)
    }

    /// Trimmed text of the single child element `child`, which must be present and non-empty.
    fn text_of<'n>(
        &self,
        node: Node<'n, 'input>,
        child: &'static str,
    ) -> Result<&'n str, TerminologyError> {
        let text = node
            .children()
            .find(|c| c.has_tag_name(child))
            .and_then(|c| c.text())
            .map(str::trim)
            .filter(|t| !t.is_empty());
        text.ok_or_else(|| {
            self.fail(
                node,
                Problem::MissingChild {
                    element: "item",
                    child,
                },
            )
        })
    }
}
