//! A small typesetter for A4 documents: headings, wrapped paragraphs, lists,
//! tables that break across pages, boxed notices and sign-off tables, with a
//! running header, "page n of N" footer and an embedded Unicode typeface.
//!
//! ```
//! use cpms_reports::pdf::{render, Block, Document, HeadingLevel, Metadata};
//!
//! let document = Document {
//!     title: "Panel outcome".into(),
//!     subtitle: None,
//!     metadata: Metadata {
//!         author: "ERN-CPMS".into(),
//!         subject: "Outcome".into(),
//!         created: jiff::Timestamp::UNIX_EPOCH,
//!         language: "en".into(),
//!     },
//!     blocks: vec![
//!         Block::Heading { level: HeadingLevel::One, text: "Summary".into() },
//!         Block::Paragraph("Ναι, так, tak — Ōsaka, Łódź.".into()),
//!     ],
//!     footer: "Non-binding advice".into(),
//! };
//! let bytes = render(&document).unwrap();
//! assert!(bytes.starts_with(b"%PDF-"));
//! ```

mod font;
mod grid;
mod layout;
mod style;
mod text;
mod write;

use serde::{Deserialize, Serialize};

/// A document to typeset. All text is plain Unicode; line breaks inside a
/// paragraph or cell are kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub title: String,
    pub subtitle: Option<String>,
    pub metadata: Metadata,
    pub blocks: Vec<Block>,
    /// Printed at the foot of every page, left of the page number.
    pub footer: String,
}

/// The PDF's document information.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub author: String,
    pub subject: String,
    pub created: jiff::Timestamp,
    /// BCP 47 language tag of the text, for screen readers (e.g. "en").
    pub language: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HeadingLevel {
    One,
    Two,
    Three,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Block {
    Heading {
        level: HeadingLevel,
        text: String,
    },
    Paragraph(String),
    Bullets(Vec<String>),
    /// Label–value pairs, labels in bold on the left.
    KeyValue(Vec<(String, String)>),
    Table(Table),
    /// A boxed, highlighted note such as a disclaimer.
    Notice {
        title: String,
        text: String,
    },
    /// Who signed the document; unsigned rows leave room for a signature.
    Signatures(Vec<Signature>),
    PageBreak,
}

/// A table with a header row (repeated on every page the table spans).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub title: String,
    /// Relative width: columns share the text width in proportion.
    pub width: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    pub role: String,
    /// How and when it was signed, or `None` if still to be signed.
    pub signed: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("font error: {0}")]
    Font(String),
    #[error("block {block}: a table needs at least one column")]
    NoColumns { block: usize },
    #[error("block {block}: column {column} has width {width}; widths must be positive numbers")]
    ColumnWidth {
        block: usize,
        column: usize,
        width: f32,
    },
    #[error("block {block}: row {row} has {found} cells but the table has {expected} columns")]
    RowLength {
        block: usize,
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("language tag {0:?} is not a BCP 47 tag")]
    Language(String),
}

/// Typesets `document` into the bytes of a PDF file.
pub fn render(document: &Document) -> Result<Vec<u8>, PdfError> {
    check(document)?;
    let mut typesetter = layout::Typesetter::new(font::Fonts::load()?);
    typesetter.title(&document.title, document.subtitle.as_deref());
    for (index, block) in document.blocks.iter().enumerate() {
        typesetter.block(block, document.blocks.get(index + 1));
    }
    let (fonts, pages) = typesetter.finish_with(|typesetter, index, total| {
        write::running_header_and_footer(typesetter, document, index, total);
    });
    write::assemble(document, fonts, pages)
}

/// Rejects malformed tables and metadata before any typesetting.
fn check(document: &Document) -> Result<(), PdfError> {
    let tag = &document.metadata.language;
    let tag_ok = !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if !tag_ok {
        return Err(PdfError::Language(tag.clone()));
    }
    for (block, content) in document.blocks.iter().enumerate() {
        let Block::Table(table) = content else {
            continue;
        };
        if table.columns.is_empty() {
            return Err(PdfError::NoColumns { block });
        }
        for (column, c) in table.columns.iter().enumerate() {
            if !(c.width.is_finite() && c.width > 0.0) {
                return Err(PdfError::ColumnWidth {
                    block,
                    column,
                    width: c.width,
                });
            }
        }
        for (row, cells) in table.rows.iter().enumerate() {
            if cells.len() != table.columns.len() {
                return Err(PdfError::RowLength {
                    block,
                    row,
                    expected: table.columns.len(),
                    found: cells.len(),
                });
            }
        }
    }
    Ok(())
}

/// Hands out consecutive PDF object references.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> pdf_writer::Ref {
        self.0 += 1;
        pdf_writer::Ref::new(self.0)
    }

    fn take<const N: usize>(&mut self) -> [pdf_writer::Ref; N] {
        std::array::from_fn(|_| self.next())
    }
}

/// zlib-compresses a stream body for the FlateDecode filter.
fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
pub(crate) mod tests;
