//! Reading source files that may be gzip-compressed or plain text, line by line with
//! line numbers, so every parser reports positions the same way.

use std::io::{BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;

use crate::error::{Problem, SourceFile, TerminologyError};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const BOM: &str = "\u{feff}";

/// Wraps `reader` so that gzip input is decompressed transparently (detected by the
/// magic bytes, not by a file name).
pub(crate) fn decompressed<'r>(
    file: SourceFile,
    reader: impl Read + 'r,
) -> Result<Box<dyn BufRead + 'r>, TerminologyError> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head = buffered
        .fill_buf()
        .map_err(|source| TerminologyError::Read { file, source })?;
    Ok(if head.starts_with(&GZIP_MAGIC) {
        Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    })
}

/// Reads a whole source file into a string (for the XML file, parsed as a tree).
pub(crate) fn read_to_string(
    file: SourceFile,
    reader: impl Read,
) -> Result<String, TerminologyError> {
    let mut bytes = Vec::new();
    decompressed(file, reader)?
        .read_to_end(&mut bytes)
        .map_err(|source| TerminologyError::Read { file, source })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix(BOM).map(str::to_owned).unwrap_or(text)),
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            Err(malformed(file, line, Problem::NotUtf8))
        }
    }
}

pub(crate) fn malformed(file: SourceFile, line: usize, problem: Problem) -> TerminologyError {
    TerminologyError::Malformed {
        file,
        line,
        problem,
    }
}

/// Iterates the lines of a source file as `(line number, text)` without line endings.
pub(crate) struct Lines<'r> {
    file: SourceFile,
    reader: Box<dyn BufRead + 'r>,
    buffer: Vec<u8>,
    number: usize,
}

impl<'r> Lines<'r> {
    pub(crate) fn new(file: SourceFile, reader: impl Read + 'r) -> Result<Self, TerminologyError> {
        Ok(Lines {
            file,
            reader: decompressed(file, reader)?,
            buffer: Vec::with_capacity(256),
            number: 0,
        })
    }

    /// The next line, or `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> Result<Option<(usize, &str)>, TerminologyError> {
        self.buffer.clear();
        let read = self
            .reader
            .read_until(b'\n', &mut self.buffer)
            .map_err(|source| TerminologyError::Read {
                file: self.file,
                source,
            })?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        let text = std::str::from_utf8(&self.buffer)
            .map_err(|_| malformed(self.file, self.number, Problem::NotUtf8))?;
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let text = if self.number == 1 {
            text.strip_prefix(BOM).unwrap_or(text)
        } else {
            text
        };
        Ok(Some((self.number, text)))
    }
}
