//! Streaming multipart parser: feed chunks, get part headers and body chunks as events.

use super::MultipartError;
use super::content_type::validate_boundary;

/// Bounds on what one request can make the parser hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MultipartLimits {
    /// Largest header block of one part.
    pub max_header_bytes: usize,
    /// Most parts in one body.
    pub max_parts: usize,
}

impl Default for MultipartLimits {
    fn default() -> Self {
        MultipartLimits {
            max_header_bytes: 16 * 1024,
            max_parts: 100_000,
        }
    }
}

/// Transport padding after a boundary is whitespace; more than this is not padding.
const MAX_BOUNDARY_LINE: usize = 1024;

/// The headers of one part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartHeaders {
    /// Header fields in order, names as sent.
    pub fields: Vec<(String, String)>,
}

impl PartHeaders {
    /// First value of the header `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The part's Content-Type, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.get("content-type")
    }
}

/// What the parser found in the bytes fed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A part begins.
    PartStart(PartHeaders),
    /// The next bytes of the current part's body.
    Body(Vec<u8>),
    /// The current part is complete.
    PartEnd,
    /// The closing boundary was seen; later input is epilogue and ignored.
    Finished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Preamble,
    BoundaryLine,
    Headers,
    Body,
    Epilogue,
}

/// A push parser for one multipart body.
#[derive(Debug)]
pub struct MultipartParser {
    delimiter: Vec<u8>,
    state: State,
    buffer: Vec<u8>,
    limits: MultipartLimits,
    parts: usize,
}

impl MultipartParser {
    /// A parser for parts separated by `boundary` (as given in the Content-Type).
    pub fn new(boundary: &str, limits: MultipartLimits) -> Result<Self, MultipartError> {
        validate_boundary(boundary)?;
        Ok(MultipartParser {
            delimiter: [b"\r\n--", boundary.as_bytes()].concat(),
            state: State::Preamble,
            // The first delimiter may open the body without a preceding line break.
            buffer: b"\r\n".to_vec(),
            limits,
            parts: 0,
        })
    }

    /// Consumes the next chunk of the body and returns the events it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<Event>, MultipartError> {
        self.buffer.extend_from_slice(chunk);
        let mut events = Vec::new();
        while self.step(&mut events)? {}
        Ok(events)
    }

    /// Declares the end of input: fails unless the closing boundary was seen.
    pub fn finish(&self) -> Result<(), MultipartError> {
        match self.state {
            State::Epilogue => Ok(()),
            State::Preamble => Err(MultipartError::Truncated("no boundary found")),
            State::BoundaryLine | State::Headers => {
                Err(MultipartError::Truncated("input ends inside a part header"))
            }
            State::Body => Err(MultipartError::Truncated("input ends inside a part body")),
        }
    }

    /// Advances by one state transition; `false` when more input is needed.
    fn step(&mut self, events: &mut Vec<Event>) -> Result<bool, MultipartError> {
        match self.state {
            State::Preamble => match find(&self.buffer, &self.delimiter) {
                Some(at) => {
                    self.buffer.drain(..at + self.delimiter.len());
                    self.state = State::BoundaryLine;
                    Ok(true)
                }
                None => {
                    self.keep_tail();
                    Ok(false)
                }
            },
            State::BoundaryLine => self.boundary_line(events),
            State::Headers => self.headers(events),
            State::Body => match find(&self.buffer, &self.delimiter) {
                Some(at) => {
                    if at > 0 {
                        events.push(Event::Body(self.buffer[..at].to_vec()));
                    }
                    events.push(Event::PartEnd);
                    self.buffer.drain(..at + self.delimiter.len());
                    self.state = State::BoundaryLine;
                    Ok(true)
                }
                None => {
                    // Everything except a possible delimiter prefix at the end is body.
                    let safe = self.buffer.len().saturating_sub(self.delimiter.len() - 1);
                    if safe > 0 {
                        events.push(Event::Body(self.buffer.drain(..safe).collect()));
                    }
                    Ok(false)
                }
            },
            State::Epilogue => {
                self.buffer.clear();
                Ok(false)
            }
        }
    }

    fn keep_tail(&mut self) {
        let keep = self.delimiter.len() - 1;
        if self.buffer.len() > keep {
            self.buffer.drain(..self.buffer.len() - keep);
        }
    }

    fn boundary_line(&mut self, events: &mut Vec<Event>) -> Result<bool, MultipartError> {
        if self.buffer.len() < 2 {
            return Ok(false);
        }
        if self.buffer.starts_with(b"--") {
            self.state = State::Epilogue;
            events.push(Event::Finished);
            return Ok(true);
        }
        let Some(end) = find(&self.buffer, b"\r\n") else {
            if self.buffer.len() > MAX_BOUNDARY_LINE {
                return Err(MultipartError::MalformedBoundaryLine(
                    "no line break after the boundary".into(),
                ));
            }
            return Ok(false);
        };
        if !self.buffer[..end].iter().all(|b| *b == b' ' || *b == b'\t') {
            return Err(MultipartError::MalformedBoundaryLine(format!(
                "unexpected {:?} after the boundary",
                String::from_utf8_lossy(&self.buffer[..end.min(40)])
            )));
        }
        self.buffer.drain(..end + 2);
        self.state = State::Headers;
        Ok(true)
    }

    fn headers(&mut self, events: &mut Vec<Event>) -> Result<bool, MultipartError> {
        let (block_len, consumed) = if self.buffer.starts_with(b"\r\n") {
            (0, 2)
        } else {
            match find(&self.buffer, b"\r\n\r\n") {
                Some(at) => (at, at + 4),
                None if self.buffer.len() > self.limits.max_header_bytes => {
                    return Err(MultipartError::HeaderTooLarge {
                        limit: self.limits.max_header_bytes,
                    });
                }
                None => return Ok(false),
            }
        };
        if block_len > self.limits.max_header_bytes {
            return Err(MultipartError::HeaderTooLarge {
                limit: self.limits.max_header_bytes,
            });
        }
        let headers = parse_headers(&self.buffer[..block_len])?;
        self.buffer.drain(..consumed);
        self.parts += 1;
        if self.parts > self.limits.max_parts {
            return Err(MultipartError::TooManyParts {
                limit: self.limits.max_parts,
            });
        }
        events.push(Event::PartStart(headers));
        self.state = State::Body;
        Ok(true)
    }
}

fn parse_headers(block: &[u8]) -> Result<PartHeaders, MultipartError> {
    let text = std::str::from_utf8(block)
        .map_err(|_| MultipartError::MalformedHeader("header block is not UTF-8".into()))?;
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        // Obsolete line folding: a continuation line extends the previous value.
        if line.starts_with([' ', '\t']) {
            let (_, value) = fields.last_mut().ok_or_else(|| {
                MultipartError::MalformedHeader("continuation line without a header".into())
            })?;
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| MultipartError::MalformedHeader(format!("{line:?} has no colon")))?;
        let name = name.trim();
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(MultipartError::MalformedHeader(format!(
                "invalid header name {name:?}"
            )));
        }
        fields.push((name.to_string(), value.trim().to_string()));
    }
    Ok(PartHeaders { fields })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(offset) = haystack.get(from..)?.iter().position(|b| *b == first) {
        let at = from + offset;
        if haystack.get(at..at + needle.len())? == needle {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// One complete part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Its headers.
    pub headers: PartHeaders,
    /// Its body.
    pub body: Vec<u8>,
}

/// Parses a whole body held in memory.
pub fn parse_all(
    boundary: &str,
    body: &[u8],
    limits: MultipartLimits,
) -> Result<Vec<Part>, MultipartError> {
    let mut parser = MultipartParser::new(boundary, limits)?;
    let mut parts: Vec<Part> = Vec::new();
    for event in parser.feed(body)? {
        match event {
            Event::PartStart(headers) => parts.push(Part {
                headers,
                body: Vec::new(),
            }),
            Event::Body(bytes) => {
                if let Some(part) = parts.last_mut() {
                    part.body.extend_from_slice(&bytes);
                }
            }
            Event::PartEnd | Event::Finished => {}
        }
    }
    parser.finish()?;
    Ok(parts)
}
