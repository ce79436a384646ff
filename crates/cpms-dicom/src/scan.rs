//! A bounds-checking walk over raw DICOM element headers.
//!
//! dicom-object trusts length fields when it allocates, so untrusted input is walked here first:
//! every defined length must fit inside the bytes that enclose it, undefined lengths are only
//! accepted where the standard allows them, and sequence nesting is bounded. After this pass the
//! parser can only allocate what the input actually holds.

use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry, VirtualVr};
use dicom_core::{Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;

use crate::{DicomError, Limits};

const ITEM: (u16, u16) = (0xFFFE, 0xE000);
const ITEM_DELIMITER: (u16, u16) = (0xFFFE, 0xE00D);
const SEQUENCE_DELIMITER: (u16, u16) = (0xFFFE, 0xE0DD);
const PIXEL_DATA: (u16, u16) = (0x7FE0, 0x0010);
const UNDEFINED: u32 = 0xFFFF_FFFF;

/// How the data set's element headers are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Encoding {
    pub explicit_vr: bool,
    pub little_endian: bool,
}

impl Encoding {
    pub const EXPLICIT_LE: Encoding = Encoding {
        explicit_vr: true,
        little_endian: true,
    };
}

/// Where a nested data set stops.
#[derive(Clone, Copy)]
enum End {
    /// At this absolute offset (defined-length item or top level).
    At(usize),
    /// At an item delimiter (undefined-length item).
    ItemDelimiter,
}

struct Header {
    group: u16,
    element: u16,
    vr: Option<VR>,
    length: u32,
    offset: usize,
}

impl Header {
    fn tag(&self) -> (u16, u16) {
        (self.group, self.element)
    }
    fn describe(&self) -> String {
        format!(
            "element ({:04X},{:04X}) at byte {}",
            self.group, self.element, self.offset
        )
    }
}

struct Walker<'a> {
    bytes: &'a [u8],
    pos: usize,
    encoding: Encoding,
    max_depth: u32,
}

/// Checks the structure of a data set (everything after the file meta group).
pub(crate) fn validate_dataset(
    bytes: &[u8],
    encoding: Encoding,
    limits: &Limits,
) -> Result<(), DicomError> {
    let mut walker = Walker {
        bytes,
        pos: 0,
        encoding,
        max_depth: limits.max_sequence_depth,
    };
    walker.dataset(End::At(bytes.len()), 0)
}

/// Walks the file meta group (explicit VR little endian, group 0002) at the start of `bytes`.
/// Returns the transfer syntax UID and the length of the meta group in bytes.
pub(crate) fn read_meta(bytes: &[u8]) -> Result<(String, usize), DicomError> {
    let mut walker = Walker {
        bytes,
        pos: 0,
        encoding: Encoding::EXPLICIT_LE,
        max_depth: 0,
    };
    let mut transfer_syntax = None;
    // (declared group length, offset where the counted elements start)
    let mut group_length = None;
    while walker.pos + 2 <= bytes.len() && walker.peek_group()? == 0x0002 {
        let header = walker.header()?;
        walker.check_value_size(&header)?;
        let value = walker.defined_value(&header, bytes.len())?;
        if header.tag() == (0x0002, 0x0000)
            && let Ok(raw) = <[u8; 4]>::try_from(value)
        {
            let start = header.offset + 12;
            group_length = Some((u32::from_le_bytes(raw) as usize, start));
        }
        if header.tag() == (0x0002, 0x0010) {
            let uid = String::from_utf8_lossy(value)
                .trim_end_matches(['\0', ' '])
                .to_string();
            transfer_syntax = Some(uid);
        }
    }
    // dicom-object trusts the declared length to find the data set, so it must be exact.
    if let Some((declared, start)) = group_length
        && declared != walker.pos - start
    {
        return Err(DicomError::Malformed(format!(
            "file meta group length says {declared} bytes, the group holds {}",
            walker.pos - start
        )));
    }
    match transfer_syntax {
        Some(uid) if !uid.is_empty() => Ok((uid, walker.pos)),
        _ => Err(DicomError::NotDicom(
            "the file meta group has no Transfer Syntax UID (0002,0010)".into(),
        )),
    }
}

impl Walker<'_> {
    fn u16_at(&self, at: usize) -> Result<u16, DicomError> {
        let raw: [u8; 2] = self
            .bytes
            .get(at..at + 2)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| {
                DicomError::Truncated(format!("input ends inside a header at byte {at}"))
            })?;
        Ok(if self.encoding.little_endian {
            u16::from_le_bytes(raw)
        } else {
            u16::from_be_bytes(raw)
        })
    }

    fn u32_at(&self, at: usize) -> Result<u32, DicomError> {
        let raw: [u8; 4] = self
            .bytes
            .get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| {
                DicomError::Truncated(format!("input ends inside a header at byte {at}"))
            })?;
        Ok(if self.encoding.little_endian {
            u32::from_le_bytes(raw)
        } else {
            u32::from_be_bytes(raw)
        })
    }

    fn peek_group(&self) -> Result<u16, DicomError> {
        self.u16_at(self.pos)
    }

    /// Reads one element or item header and advances past it.
    fn header(&mut self) -> Result<Header, DicomError> {
        let offset = self.pos;
        let group = self.u16_at(offset)?;
        let element = self.u16_at(offset + 2)?;
        // Item and delimiter tags never carry a VR, whatever the transfer syntax.
        if group == 0xFFFE || !self.encoding.explicit_vr {
            let length = self.u32_at(offset + 4)?;
            self.pos = offset + 8;
            return Ok(Header {
                group,
                element,
                vr: None,
                length,
                offset,
            });
        }
        let code = self.bytes.get(offset + 4..offset + 6).ok_or_else(|| {
            DicomError::Truncated(format!("input ends inside a header at byte {offset}"))
        })?;
        let vr = VR::from_binary([code[0], code[1]]).ok_or_else(|| {
            DicomError::Malformed(format!(
                "element ({group:04X},{element:04X}) at byte {offset} has an invalid VR {:?}",
                String::from_utf8_lossy(code)
            ))
        })?;
        let (length, header_len) = if has_long_length(vr) {
            (self.u32_at(offset + 8)?, 12)
        } else {
            (u32::from(self.u16_at(offset + 6)?), 8)
        };
        self.pos = offset + header_len;
        Ok(Header {
            group,
            element,
            vr: Some(vr),
            length,
            offset,
        })
    }

    /// Skips a defined-length value, checking it fits before `limit`.
    fn defined_value(&mut self, header: &Header, limit: usize) -> Result<&[u8], DicomError> {
        if header.length == UNDEFINED {
            return Err(DicomError::Malformed(format!(
                "{} has an undefined length where only a defined length is allowed",
                header.describe()
            )));
        }
        let end = self.pos.saturating_add(header.length as usize);
        if end > self.bytes.len() {
            return Err(DicomError::Truncated(format!(
                "{} declares {} bytes but only {} remain",
                header.describe(),
                header.length,
                self.bytes.len() - self.pos
            )));
        }
        if end > limit {
            return Err(DicomError::Malformed(format!(
                "{} declares {} bytes, overrunning its enclosing item",
                header.describe(),
                header.length
            )));
        }
        let value = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(value)
    }

    fn dataset(&mut self, end: End, depth: u32) -> Result<(), DicomError> {
        loop {
            let limit = match end {
                End::At(at) if self.pos >= at => return Ok(()),
                End::At(at) => at,
                End::ItemDelimiter => self.bytes.len(),
            };
            if matches!(end, End::ItemDelimiter) && self.pos >= self.bytes.len() {
                return Err(DicomError::Truncated(
                    "input ends inside an undefined-length item".into(),
                ));
            }
            let header = self.header()?;
            match header.tag() {
                ITEM_DELIMITER if matches!(end, End::ItemDelimiter) => return Ok(()),
                (0xFFFE, _) => {
                    return Err(DicomError::Malformed(format!(
                        "unexpected item or delimiter tag at byte {} outside a sequence",
                        header.offset
                    )));
                }
                _ => {}
            }
            if self.is_sequence(&header) {
                self.sequence(&header, limit, depth + 1)?;
            } else if header.length == UNDEFINED && header.tag() == PIXEL_DATA {
                self.encapsulated_pixels()?;
            } else {
                self.check_value_size(&header)?;
                self.defined_value(&header, limit)?;
            }
        }
    }

    /// dicom-object reads binary numbers in whole units and would silently lose its place
    /// in the stream on a length that is not a multiple of the unit, so such lengths are
    /// rejected here.
    fn check_value_size(&self, header: &Header) -> Result<(), DicomError> {
        let unit = match header.vr {
            Some(vr) => unit_size(vr),
            None => dictionary_unit_size(header.group, header.element),
        };
        if header.length != UNDEFINED && !header.length.is_multiple_of(unit) {
            return Err(DicomError::Malformed(format!(
                "{} has length {}, not a multiple of its {unit}-byte value size",
                header.describe(),
                header.length
            )));
        }
        Ok(())
    }

    fn is_sequence(&self, header: &Header) -> bool {
        match header.vr {
            Some(VR::SQ) => true,
            // An undefined-length UN value is a sequence in implicit VR (PS3.5 6.2.2).
            Some(VR::UN) => header.length == UNDEFINED,
            Some(_) => false,
            None => {
                header.length == UNDEFINED && header.tag() != PIXEL_DATA
                    || dictionary_says_sequence(header.group, header.element)
            }
        }
    }

    fn sequence(&mut self, header: &Header, limit: usize, depth: u32) -> Result<(), DicomError> {
        Limits::check(
            "sequence nesting depth",
            u64::from(self.max_depth),
            u64::from(depth),
        )?;
        let end = if header.length == UNDEFINED {
            None
        } else {
            let start = self.pos;
            self.defined_value(header, limit)?;
            let end = self.pos;
            self.pos = start;
            Some(end)
        };
        loop {
            if let Some(end) = end
                && self.pos >= end
            {
                return Ok(());
            }
            let item = self.header()?;
            match item.tag() {
                SEQUENCE_DELIMITER if end.is_none() => return Ok(()),
                ITEM if item.length == UNDEFINED => self.dataset(End::ItemDelimiter, depth)?,
                ITEM => {
                    let start = self.pos;
                    self.defined_value(&item, end.unwrap_or(self.bytes.len()))?;
                    let item_end = self.pos;
                    self.pos = start;
                    self.dataset(End::At(item_end), depth)?;
                }
                _ => {
                    return Err(DicomError::Malformed(format!(
                        "expected an item in the sequence of {}, found {}",
                        header.describe(),
                        item.describe()
                    )));
                }
            }
        }
    }

    fn encapsulated_pixels(&mut self) -> Result<(), DicomError> {
        loop {
            let fragment = self.header()?;
            match fragment.tag() {
                SEQUENCE_DELIMITER => return Ok(()),
                ITEM => {
                    self.defined_value(&fragment, self.bytes.len())?;
                }
                _ => {
                    return Err(DicomError::Malformed(format!(
                        "expected a pixel data fragment, found {}",
                        fragment.describe()
                    )));
                }
            }
        }
    }
}

fn has_long_length(vr: VR) -> bool {
    matches!(
        vr,
        VR::OB
            | VR::OD
            | VR::OF
            | VR::OL
            | VR::OV
            | VR::OW
            | VR::SQ
            | VR::SV
            | VR::UC
            | VR::UN
            | VR::UR
            | VR::UT
            | VR::UV
    )
}

fn dictionary_says_sequence(group: u16, element: u16) -> bool {
    StandardDataDictionary
        .by_tag(Tag(group, element))
        .is_some_and(|entry| matches!(entry.vr(), VirtualVr::Exact(VR::SQ)))
}

/// Size in bytes of one value of a binary VR (1 for text and byte VRs).
fn unit_size(vr: VR) -> u32 {
    match vr {
        VR::US | VR::SS | VR::OW => 2,
        VR::UL | VR::SL | VR::FL | VR::AT | VR::OF | VR::OL => 4,
        VR::FD | VR::OD | VR::SV | VR::UV | VR::OV => 8,
        _ => 1,
    }
}

/// Value size in implicit VR, where the dictionary decides the VR. Ambiguous entries
/// (US or SS, OB or OW, lookup table data) are all read in 2-byte units.
fn dictionary_unit_size(group: u16, element: u16) -> u32 {
    match StandardDataDictionary
        .by_tag(Tag(group, element))
        .map(|e| e.vr())
    {
        Some(VirtualVr::Exact(vr)) => unit_size(vr),
        Some(VirtualVr::Xs | VirtualVr::Ox | VirtualVr::Px | VirtualVr::Lt) => 2,
        _ => 1,
    }
}
