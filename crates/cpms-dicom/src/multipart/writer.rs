//! Writing multipart/related bodies for WADO-RS responses.

use std::io::Write;

use sha2::{Digest, Sha256};

use super::MultipartError;
use super::content_type::validate_boundary;

/// Writes parts separated by one boundary. Call [`MultipartWriter::part_start`] before each
/// body (bodies may be streamed in any number of writes) and [`MultipartWriter::finish`] last.
#[derive(Debug, Clone)]
pub struct MultipartWriter {
    boundary: String,
    started: bool,
}

impl MultipartWriter {
    /// A writer using `boundary`.
    pub fn new(boundary: &str) -> Result<Self, MultipartError> {
        validate_boundary(boundary)?;
        Ok(MultipartWriter {
            boundary: boundary.to_string(),
            started: false,
        })
    }

    /// A writer whose boundary is derived from `seed` (e.g. a request ID): 64 hex digits, so
    /// it cannot plausibly occur inside DICOM or image bodies.
    pub fn from_seed(seed: &[u8]) -> Self {
        let digest = Sha256::digest(seed);
        MultipartWriter {
            boundary: digest.iter().map(|b| format!("{b:02x}")).collect(),
            started: false,
        }
    }

    /// The boundary.
    pub fn boundary(&self) -> &str {
        &self.boundary
    }

    /// The response Content-Type, e.g. for `part_type` = `application/dicom`.
    pub fn content_type(&self, part_type: &str) -> String {
        format!(
            "multipart/related; type=\"{part_type}\"; boundary={}",
            self.boundary
        )
    }

    /// Bytes that open the next part with the given headers.
    pub fn part_start(&mut self, headers: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        if self.started {
            out.extend_from_slice(b"\r\n");
        }
        self.started = true;
        out.extend_from_slice(b"--");
        out.extend_from_slice(self.boundary.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (name, value) in headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out
    }

    /// Bytes that close the body.
    pub fn finish(&mut self) -> Vec<u8> {
        let lead: &[u8] = if self.started { b"\r\n" } else { b"" };
        [lead, b"--", self.boundary.as_bytes(), b"--\r\n"].concat()
    }

    /// Writes one whole part, refusing a body that contains the delimiter.
    pub fn write_part(
        &mut self,
        sink: &mut impl Write,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<(), MultipartError> {
        let delimiter = [b"\r\n--", self.boundary.as_bytes()].concat();
        if body
            .windows(delimiter.len())
            .any(|w| w == delimiter.as_slice())
        {
            return Err(MultipartError::BoundaryInBody);
        }
        let io = |e: std::io::Error| MultipartError::Io(e.to_string());
        sink.write_all(&self.part_start(headers)).map_err(io)?;
        sink.write_all(body).map_err(io)
    }
}
