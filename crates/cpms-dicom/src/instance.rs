//! Parsing and validating a DICOM Part 10 instance from untrusted bytes.

use std::io::Read;

use dicom_dictionary_std::tags;
use dicom_object::file::ReadPreamble;
use dicom_object::meta::FileMetaTable;
use dicom_object::{DefaultDicomObject, InMemDicomObject, OpenFileOptions};

use crate::scan::{self, Encoding};
use crate::{DicomError, Limits, attrs};

/// Transfer syntax UIDs this crate reads (the data set; pixel codecs are checked when rendering).
pub mod syntax {
    /// Implicit VR Little Endian.
    pub const IMPLICIT_VR_LE: &str = "1.2.840.10008.1.2";
    /// Explicit VR Little Endian.
    pub const EXPLICIT_VR_LE: &str = "1.2.840.10008.1.2.1";
    /// Deflated Explicit VR Little Endian.
    pub const DEFLATED_EXPLICIT_VR_LE: &str = "1.2.840.10008.1.2.1.99";
    /// Explicit VR Big Endian (retired, still found in archives).
    pub const EXPLICIT_VR_BE: &str = "1.2.840.10008.1.2.2";
    /// JPEG Baseline (Process 1).
    pub const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";
    /// JPEG Extended (Process 2 & 4).
    pub const JPEG_EXTENDED: &str = "1.2.840.10008.1.2.4.51";
    /// JPEG Lossless, Non-Hierarchical (Process 14).
    pub const JPEG_LOSSLESS: &str = "1.2.840.10008.1.2.4.57";
    /// JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1).
    pub const JPEG_LOSSLESS_SV1: &str = "1.2.840.10008.1.2.4.70";
    /// JPEG-LS Lossless.
    pub const JPEG_LS_LOSSLESS: &str = "1.2.840.10008.1.2.4.80";
    /// JPEG-LS Lossy (Near-Lossless).
    pub const JPEG_LS_NEAR_LOSSLESS: &str = "1.2.840.10008.1.2.4.81";
    /// JPEG 2000 (Lossless Only).
    pub const JPEG_2000_LOSSLESS: &str = "1.2.840.10008.1.2.4.90";
    /// JPEG 2000 (lossless or lossy).
    pub const JPEG_2000: &str = "1.2.840.10008.1.2.4.91";
    /// RLE Lossless.
    pub const RLE_LOSSLESS: &str = "1.2.840.10008.1.2.5";
}

/// A parsed, structurally validated DICOM instance.
#[derive(Debug, Clone)]
pub struct DicomFile {
    object: DefaultDicomObject,
}

/// Image geometry of an instance that has pixel data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageGeometry {
    /// Rows (height).
    pub rows: u32,
    /// Columns (width).
    pub columns: u32,
    /// Number of Frames (1 when absent).
    pub frames: u32,
    /// Samples per Pixel.
    pub samples_per_pixel: u16,
    /// Bits Allocated.
    pub bits_allocated: u16,
}

impl ImageGeometry {
    /// Decoded size of all frames in bytes.
    pub fn pixel_bytes(&self) -> u64 {
        let bits = u64::from(self.rows)
            * u64::from(self.columns)
            * u64::from(self.frames)
            * u64::from(self.samples_per_pixel)
            * u64::from(self.bits_allocated);
        bits.div_ceil(8)
    }
}

impl DicomFile {
    /// Parses a Part 10 file (with or without the 128-byte preamble) from memory.
    pub fn from_bytes(bytes: &[u8], limits: &Limits) -> Result<Self, DicomError> {
        Self::from_parsed(parse_object(bytes, limits)?, limits)
    }

    /// Applies the instance checks to an object from [`parse_object`].
    pub(crate) fn from_parsed(
        object: DefaultDicomObject,
        limits: &Limits,
    ) -> Result<Self, DicomError> {
        let file = DicomFile { object };
        file.check_required()?;
        file.check_image(limits)?;
        Ok(file)
    }

    /// Reads at most `limits.max_file_bytes` from `reader` and parses it.
    pub fn from_reader(reader: impl Read, limits: &Limits) -> Result<Self, DicomError> {
        let mut bytes = Vec::new();
        reader
            .take(limits.max_file_bytes.saturating_add(1))
            .read_to_end(&mut bytes)?;
        Self::from_bytes(&bytes, limits)
    }

    /// Wraps an object built in memory (used by the synthetic data generator and de-identification).
    pub(crate) fn from_object(object: DefaultDicomObject) -> Self {
        DicomFile { object }
    }

    /// The underlying dicom-rs object, for callers that need attributes this API does not expose.
    pub fn object(&self) -> &DefaultDicomObject {
        &self.object
    }

    /// Consumes the wrapper, returning the dicom-rs object.
    pub fn into_object(self) -> DefaultDicomObject {
        self.object
    }

    /// Transfer Syntax UID from the file meta group.
    pub fn transfer_syntax(&self) -> &str {
        self.object
            .meta()
            .transfer_syntax
            .trim_end_matches(['\0', ' '])
    }

    /// SOP Class UID (0008,0016).
    pub fn sop_class_uid(&self) -> String {
        attrs::string(&self.object, tags::SOP_CLASS_UID).unwrap_or_default()
    }

    /// SOP Instance UID (0008,0018).
    pub fn sop_instance_uid(&self) -> String {
        attrs::string(&self.object, tags::SOP_INSTANCE_UID).unwrap_or_default()
    }

    /// Image geometry when the instance has pixel data.
    pub fn geometry(&self) -> Option<ImageGeometry> {
        self.object.element_opt(tags::PIXEL_DATA).ok().flatten()?;
        geometry_of(&self.object).ok()
    }

    /// Serialises the instance as Part 10 bytes (preamble, meta group, data set).
    pub fn to_bytes(&self) -> Result<Vec<u8>, DicomError> {
        // The stored group length can be stale after edits; dicom-object writes it as is.
        let mut meta = self.object.meta().clone();
        meta.update_information_group_length();
        let mut out = vec![0u8; 128];
        out.extend_from_slice(b"DICM");
        meta.write(&mut out)
            .map_err(|e| DicomError::Encode(format!("file meta group: {e}")))?;
        self.object
            .write_dataset(&mut out)
            .map_err(|e| DicomError::Encode(e.to_string()))?;
        Ok(out)
    }

    fn check_required(&self) -> Result<(), DicomError> {
        let required = [
            (tags::SOP_CLASS_UID, "SOPClassUID"),
            (tags::SOP_INSTANCE_UID, "SOPInstanceUID"),
            (tags::STUDY_INSTANCE_UID, "StudyInstanceUID"),
            (tags::SERIES_INSTANCE_UID, "SeriesInstanceUID"),
        ];
        for (tag, keyword) in required {
            let uid =
                attrs::string(&self.object, tag).ok_or(DicomError::MissingAttribute(keyword))?;
            if !is_uid(&uid) {
                return Err(DicomError::Malformed(format!(
                    "{keyword} {uid:?} is not a valid UID"
                )));
            }
        }
        let meta = self.object.meta();
        for (value, keyword) in [
            (
                meta.media_storage_sop_class_uid(),
                "MediaStorageSOPClassUID",
            ),
            (
                meta.media_storage_sop_instance_uid(),
                "MediaStorageSOPInstanceUID",
            ),
        ] {
            let value = value.trim_end_matches(['\0', ' ']);
            if !value.is_empty() && !is_uid(value) {
                return Err(DicomError::Malformed(format!(
                    "{keyword} {value:?} is not a valid UID"
                )));
            }
        }
        Ok(())
    }

    fn check_image(&self, limits: &Limits) -> Result<(), DicomError> {
        let Some(pixel_data) = self.object.element_opt(tags::PIXEL_DATA).ok().flatten() else {
            return Ok(());
        };
        let geometry = geometry_of(&self.object)?;
        Limits::check("rows", limits.max_rows.into(), geometry.rows.into())?;
        Limits::check(
            "columns",
            limits.max_columns.into(),
            geometry.columns.into(),
        )?;
        Limits::check(
            "number of frames",
            limits.max_frames.into(),
            geometry.frames.into(),
        )?;
        Limits::check(
            "samples per pixel",
            limits.max_samples_per_pixel.into(),
            geometry.samples_per_pixel.into(),
        )?;
        Limits::check(
            "bits allocated",
            limits.max_bits_allocated.into(),
            geometry.bits_allocated.into(),
        )?;
        Limits::check(
            "decoded pixel data bytes",
            limits.max_pixel_bytes,
            geometry.pixel_bytes(),
        )?;
        if let dicom_core::DicomValue::Primitive(value) = pixel_data.value() {
            let held = value.calculate_byte_len() as u64;
            // Native YBR_FULL_422 stores two luma and one chroma pair per two pixels.
            let photometric = attrs::string(&self.object, tags::PHOTOMETRIC_INTERPRETATION);
            let needed = if photometric.as_deref() == Some("YBR_FULL_422") {
                geometry.pixel_bytes() * 2 / 3
            } else {
                geometry.pixel_bytes()
            };
            if held < needed {
                return Err(DicomError::Malformed(format!(
                    "pixel data holds {held} bytes but the image attributes need {needed}"
                )));
            }
        }
        Ok(())
    }
}

/// Parses any Part 10 object (including DICOMDIR, which has no study) after the
/// structural walk, without the composite-instance checks.
pub(crate) fn parse_object(
    bytes: &[u8],
    limits: &Limits,
) -> Result<DefaultDicomObject, DicomError> {
    Limits::check("file size", limits.max_file_bytes, bytes.len() as u64)?;

    let body = strip_preamble(bytes)?;
    let (transfer_syntax, meta_len) = scan::read_meta(&body[4..])?;
    let dataset = &body[4 + meta_len..];
    let object = if transfer_syntax == syntax::DEFLATED_EXPLICIT_VR_LE {
        // Inflate once, under the size limit, and parse the result as explicit VR LE;
        // the meta group keeps saying "deflated" so writing re-deflates.
        let inflated = inflate_bounded(dataset, limits.max_file_bytes)?;
        scan::validate_dataset(&inflated, Encoding::EXPLICIT_LE, limits)?;
        let meta = FileMetaTable::from_reader(&body[..4 + meta_len])
            .map_err(|e| DicomError::Malformed(format!("file meta group: {e}")))?;
        InMemDicomObject::read_dataset_with_ts(
            inflated.as_slice(),
            &dicom_transfer_syntax_registry::entries::EXPLICIT_VR_LITTLE_ENDIAN.erased(),
        )
        .map_err(|e| DicomError::Malformed(e.to_string()))?
        .with_exact_meta(meta)
    } else {
        scan::validate_dataset(dataset, encoding_of(&transfer_syntax)?, limits)?;
        read_object(body)?
    };
    Ok(object)
}

fn geometry_of(obj: &InMemDicomObject) -> Result<ImageGeometry, DicomError> {
    let required = |tag, keyword: &'static str| {
        attrs::int(obj, tag)
            .filter(|v| *v > 0)
            .ok_or(DicomError::MissingAttribute(keyword))
    };
    let to_u32 = |v: i64, what: &str| {
        u32::try_from(v)
            .map_err(|_| DicomError::Malformed(format!("{what} value {v} is out of range")))
    };
    let to_u16 = |v: i64, what: &str| {
        u16::try_from(v)
            .map_err(|_| DicomError::Malformed(format!("{what} value {v} is out of range")))
    };
    let frames = match attrs::int(obj, tags::NUMBER_OF_FRAMES) {
        None => 1,
        Some(v) if v >= 1 => to_u32(v, "Number of Frames")?,
        Some(v) => {
            return Err(DicomError::Malformed(format!(
                "Number of Frames is {v}, expected at least 1"
            )));
        }
    };
    Ok(ImageGeometry {
        rows: to_u32(required(tags::ROWS, "Rows")?, "Rows")?,
        columns: to_u32(required(tags::COLUMNS, "Columns")?, "Columns")?,
        frames,
        samples_per_pixel: to_u16(
            required(tags::SAMPLES_PER_PIXEL, "SamplesPerPixel")?,
            "Samples per Pixel",
        )?,
        bits_allocated: to_u16(
            required(tags::BITS_ALLOCATED, "BitsAllocated")?,
            "Bits Allocated",
        )?,
    })
}

/// Returns the input from the `DICM` marker on.
fn strip_preamble(bytes: &[u8]) -> Result<&[u8], DicomError> {
    if bytes.get(128..132) == Some(b"DICM") {
        return Ok(&bytes[128..]);
    }
    if bytes.get(..4) == Some(b"DICM") {
        return Ok(bytes);
    }
    if bytes.len() < 132 {
        return Err(DicomError::NotDicom(format!(
            "{} bytes is too short for a Part 10 header",
            bytes.len()
        )));
    }
    Err(DicomError::NotDicom(
        "the DICM marker is missing at byte 128".into(),
    ))
}

fn encoding_of(transfer_syntax: &str) -> Result<Encoding, DicomError> {
    let registry = dicom_transfer_syntax_registry::TransferSyntaxRegistry;
    let ts = dicom_encoding::TransferSyntaxIndex::get(&registry, transfer_syntax)
        .ok_or_else(|| DicomError::UnsupportedTransferSyntax(transfer_syntax.to_string()))?;
    if ts.is_codec_free() || ts.is_encapsulated_pixel_data() {
        Ok(Encoding {
            // Implicit VR Little Endian is the only implicit-VR syntax in the registry.
            explicit_vr: transfer_syntax != syntax::IMPLICIT_VR_LE,
            little_endian: matches!(
                ts.endianness(),
                dicom_encoding::transfer_syntax::Endianness::Little
            ),
        })
    } else {
        Err(DicomError::UnsupportedTransferSyntax(
            transfer_syntax.to_string(),
        ))
    }
}

fn inflate_bounded(data: &[u8], limit: u64) -> Result<Vec<u8>, DicomError> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DicomError::Malformed(format!("deflated data set does not inflate: {e}")))?;
    Limits::check("inflated data set size", limit, out.len() as u64)?;
    Ok(out)
}

fn read_object(body: &[u8]) -> Result<DefaultDicomObject, DicomError> {
    OpenFileOptions::new()
        .read_preamble(ReadPreamble::Never)
        .from_reader(body)
        .map_err(|e| DicomError::Malformed(e.to_string()))
}

/// PS3.5 9.1: digits and dots, at most 64 characters, no empty components.
fn is_uid(value: &str) -> bool {
    value.len() <= 64
        && value
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}
