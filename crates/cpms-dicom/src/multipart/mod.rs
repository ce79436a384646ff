//! multipart/related (RFC 2387) for DICOMweb: a streaming parser for STOW-RS request bodies
//! and a writer for WADO-RS responses.

mod content_type;
mod parser;
mod writer;

pub use content_type::{ContentType, parse_content_type};
pub use parser::{Event, MultipartLimits, MultipartParser, Part, PartHeaders, parse_all};
pub use writer::MultipartWriter;

/// Why a multipart body or its Content-Type was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MultipartError {
    /// The Content-Type header is not a multipart type or cannot be parsed.
    #[error("invalid multipart Content-Type: {0}")]
    InvalidContentType(String),
    /// The boundary is missing, empty, too long or uses characters RFC 2046 forbids.
    #[error("invalid multipart boundary: {0}")]
    InvalidBoundary(String),
    /// A part's header block is larger than the limit.
    #[error("part header block exceeds {limit} bytes")]
    HeaderTooLarge {
        /// The configured limit.
        limit: usize,
    },
    /// A header line is not `Name: value`.
    #[error("malformed part header: {0}")]
    MalformedHeader(String),
    /// The line after a boundary holds something other than transport padding.
    #[error("malformed boundary line: {0}")]
    MalformedBoundaryLine(String),
    /// More parts than allowed.
    #[error("more than {limit} parts")]
    TooManyParts {
        /// The configured limit.
        limit: usize,
    },
    /// The body ended before the closing boundary.
    #[error("multipart body is truncated: {0}")]
    Truncated(&'static str),
    /// A part body contains the boundary delimiter (writer side).
    #[error("part body contains the boundary delimiter")]
    BoundaryInBody,
    /// Writing to the sink failed.
    #[error("I/O error: {0}")]
    Io(String),
}
