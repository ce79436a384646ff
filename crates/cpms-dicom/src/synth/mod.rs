//! Synthetic DICOM data for tests, demos, benchmarks and fuzz seeds: a CT chest study, a
//! projection radiograph and test images in every supported transfer syntax, all carrying
//! caller-chosen identifying values so de-identification can be checked end to end.

mod codecs;
mod identity;
pub mod phantom;

use dicom_core::value::{PixelFragmentSequence, PrimitiveValue};
use dicom_core::{DataElement, DicomValue, Length, VR};
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};

pub use identity::Identity;

use crate::deid::replace_uid;
use crate::syntax;

/// Why synthetic data could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// An encoder rejected the input.
    #[error("encoder failed: {0}")]
    Codec(String),
    /// An external encoder program is not installed.
    #[error("external encoder missing: {0}")]
    ToolMissing(String),
    /// The requested combination is not available (e.g. JPEG baseline with 16-bit samples).
    #[error("unsupported synthetic image: {0}")]
    Unsupported(String),
    /// dicom-object failed to write the instance.
    #[error("could not write DICOM: {0}")]
    Write(String),
}

/// Transfer syntaxes the generator can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Implicit VR Little Endian.
    ImplicitVrLittleEndian,
    /// Explicit VR Little Endian.
    ExplicitVrLittleEndian,
    /// Explicit VR Big Endian.
    ExplicitVrBigEndian,
    /// Deflated Explicit VR Little Endian.
    DeflatedExplicitVrLittleEndian,
    /// RLE Lossless.
    RleLossless,
    /// JPEG Baseline (8-bit) at the given quality.
    JpegBaseline(u8),
    /// JPEG Extended, process 2 (8-bit) at the given quality.
    JpegExtended(u8),
    /// JPEG Lossless process 14 with predictor 6.
    JpegLossless,
    /// JPEG Lossless process 14, selection value 1.
    JpegLosslessSv1,
    /// JPEG-LS lossless.
    JpegLsLossless,
    /// JPEG-LS near-lossless with the given NEAR.
    JpegLsNearLossless(u8),
    /// JPEG 2000 reversible.
    Jpeg2000Lossless,
    /// JPEG 2000 irreversible at the given compression ratio.
    Jpeg2000Lossy(u32),
}

impl Encoding {
    /// The transfer syntax UID.
    pub fn uid(self) -> &'static str {
        match self {
            Encoding::ImplicitVrLittleEndian => syntax::IMPLICIT_VR_LE,
            Encoding::ExplicitVrLittleEndian => syntax::EXPLICIT_VR_LE,
            Encoding::ExplicitVrBigEndian => syntax::EXPLICIT_VR_BE,
            Encoding::DeflatedExplicitVrLittleEndian => syntax::DEFLATED_EXPLICIT_VR_LE,
            Encoding::RleLossless => syntax::RLE_LOSSLESS,
            Encoding::JpegBaseline(_) => syntax::JPEG_BASELINE,
            Encoding::JpegExtended(_) => syntax::JPEG_EXTENDED,
            Encoding::JpegLossless => syntax::JPEG_LOSSLESS,
            Encoding::JpegLosslessSv1 => syntax::JPEG_LOSSLESS_SV1,
            Encoding::JpegLsLossless => syntax::JPEG_LS_LOSSLESS,
            Encoding::JpegLsNearLossless(_) => syntax::JPEG_LS_NEAR_LOSSLESS,
            Encoding::Jpeg2000Lossless => syntax::JPEG_2000_LOSSLESS,
            Encoding::Jpeg2000Lossy(_) => syntax::JPEG_2000,
        }
    }

    /// Every encoding, with typical parameters for the lossy ones.
    pub const ALL: [Encoding; 13] = [
        Encoding::ImplicitVrLittleEndian,
        Encoding::ExplicitVrLittleEndian,
        Encoding::ExplicitVrBigEndian,
        Encoding::DeflatedExplicitVrLittleEndian,
        Encoding::RleLossless,
        Encoding::JpegBaseline(90),
        Encoding::JpegExtended(90),
        Encoding::JpegLossless,
        Encoding::JpegLosslessSv1,
        Encoding::JpegLsLossless,
        Encoding::JpegLsNearLossless(2),
        Encoding::Jpeg2000Lossless,
        Encoding::Jpeg2000Lossy(10),
    ];
}

/// Colour palette for PALETTE COLOR images: 16-bit entries, first mapped value 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    /// Red entries.
    pub red: Vec<u16>,
    /// Green entries.
    pub green: Vec<u16>,
    /// Blue entries.
    pub blue: Vec<u16>,
}

/// An image to wrap into an instance: native pixel samples plus the attributes describing them.
#[derive(Debug, Clone, PartialEq)]
pub struct TestImage {
    /// Rows.
    pub rows: u16,
    /// Columns.
    pub columns: u16,
    /// Number of frames in `samples`.
    pub frames: u32,
    /// Photometric Interpretation as written in the file.
    pub photometric: &'static str,
    /// Samples per pixel.
    pub samples_per_pixel: u16,
    /// Bits Allocated (8 or 16).
    pub bits_allocated: u16,
    /// Bits Stored.
    pub bits_stored: u16,
    /// Pixel Representation is 1 (two's complement).
    pub signed: bool,
    /// Native samples, frames one after another; 16-bit samples as `u16` bit patterns.
    pub samples: Vec<u16>,
    /// Rescale slope and intercept.
    pub rescale: Option<(f64, f64)>,
    /// Window centre and width.
    pub window: Option<(f64, f64)>,
    /// Palette for PALETTE COLOR.
    pub palette: Option<Palette>,
    /// Modality.
    pub modality: &'static str,
    /// SOP Class UID.
    pub sop_class_uid: &'static str,
}

impl TestImage {
    /// One CT slice of the chest phantom: signed 16-bit, stored value = HU + 1024 with
    /// rescale intercept -1024, soft-tissue window.
    pub fn ct_slice(rows: u16, columns: u16, position: f64, slice: u32) -> TestImage {
        let hu = phantom::ct_hounsfield(rows.into(), columns.into(), position, slice);
        TestImage {
            rows,
            columns,
            frames: 1,
            photometric: "MONOCHROME2",
            samples_per_pixel: 1,
            bits_allocated: 16,
            bits_stored: 16,
            signed: true,
            samples: hu.iter().map(|v| (v + 1024) as u16).collect(),
            rescale: Some((1.0, -1024.0)),
            window: Some((40.0, 400.0)),
            palette: None,
            modality: "CT",
            sop_class_uid: uids::CT_IMAGE_STORAGE,
        }
    }

    /// A chest radiograph: 12 bits stored in 16, MONOCHROME2, window over the full range.
    pub fn radiograph(rows: u16, columns: u16) -> TestImage {
        TestImage {
            rows,
            columns,
            frames: 1,
            photometric: "MONOCHROME2",
            samples_per_pixel: 1,
            bits_allocated: 16,
            bits_stored: 12,
            signed: false,
            samples: phantom::radiograph_values(rows.into(), columns.into()),
            rescale: None,
            window: Some((2048.0, 4096.0)),
            palette: None,
            modality: "DX",
            sop_class_uid: uids::DIGITAL_X_RAY_IMAGE_STORAGE_FOR_PRESENTATION,
        }
    }

    /// An 8-bit greyscale ramp with `frames` frames, each frame offset by 16 grey levels.
    pub fn grey8(rows: u16, columns: u16, frames: u32) -> TestImage {
        let mut samples = Vec::new();
        for frame in 0..frames {
            for row in 0..u32::from(rows) {
                for col in 0..u32::from(columns) {
                    let v = (col * 200 / u32::from(columns)) + (row * 40 / u32::from(rows));
                    samples.push(((v + frame * 16) % 256) as u16);
                }
            }
        }
        TestImage {
            rows,
            columns,
            frames,
            photometric: "MONOCHROME2",
            samples_per_pixel: 1,
            bits_allocated: 8,
            bits_stored: 8,
            signed: false,
            samples,
            rescale: None,
            window: None,
            palette: None,
            modality: "OT",
            sop_class_uid: uids::MULTI_FRAME_GRAYSCALE_BYTE_SECONDARY_CAPTURE_IMAGE_STORAGE,
        }
    }

    /// The RGB test pattern, stored as `photometric` ("RGB", "YBR_FULL" or "YBR_FULL_422").
    pub fn color(rows: u16, columns: u16, photometric: &'static str) -> TestImage {
        let rgb = phantom::rgb_pattern(rows.into(), columns.into());
        let stored = match photometric {
            "YBR_FULL" => phantom::rgb_to_ybr_full(&rgb),
            "YBR_FULL_422" => phantom::rgb_to_ybr_full_422(&rgb),
            _ => rgb,
        };
        TestImage {
            rows,
            columns,
            frames: 1,
            photometric,
            samples_per_pixel: 3,
            bits_allocated: 8,
            bits_stored: 8,
            signed: false,
            samples: stored.into_iter().map(u16::from).collect(),
            rescale: None,
            window: None,
            palette: None,
            modality: "XC",
            sop_class_uid: uids::VL_PHOTOGRAPHIC_IMAGE_STORAGE,
        }
    }

    /// An 8-bit PALETTE COLOR image: index = column ramp; palette runs blue to red.
    pub fn palette(rows: u16, columns: u16) -> TestImage {
        let samples = (0..u32::from(rows))
            .flat_map(|_| {
                (0..u32::from(columns)).map(move |c| (c * 255 / u32::from(columns).max(1)) as u16)
            })
            .collect();
        let red = (0..256u32).map(|i| (i * 257) as u16).collect();
        let green = (0..256u32)
            .map(|i| (255u32.saturating_sub(i.abs_diff(128) * 2) * 257) as u16)
            .collect();
        let blue = (0..256u32).map(|i| ((255 - i) * 257) as u16).collect();
        TestImage {
            rows,
            columns,
            frames: 1,
            photometric: "PALETTE COLOR",
            samples_per_pixel: 1,
            bits_allocated: 8,
            bits_stored: 8,
            signed: false,
            samples,
            rescale: None,
            window: None,
            palette: Some(Palette { red, green, blue }),
            modality: "OT",
            sop_class_uid: uids::SECONDARY_CAPTURE_IMAGE_STORAGE,
        }
    }

    /// Samples in one frame; native YBR_FULL_422 holds two samples per pixel.
    fn frame_len(&self) -> usize {
        let per_pixel = if self.photometric == "YBR_FULL_422" {
            2
        } else {
            usize::from(self.samples_per_pixel)
        };
        usize::from(self.rows) * usize::from(self.columns) * per_pixel
    }

    /// The samples of one frame, or an error when `samples` is too short for the geometry.
    pub fn frame_samples(&self, frame: u32) -> Result<&[u16], SynthError> {
        let len = self.frame_len();
        let start = len * frame as usize;
        self.samples.get(start..start + len).ok_or_else(|| {
            SynthError::Unsupported(format!(
                "{} samples are too few for frame {frame} of {len} samples",
                self.samples.len()
            ))
        })
    }

    /// Native little-endian bytes of one frame (the layout the DICOM codecs expect).
    pub fn frame_bytes(&self, frame: u32) -> Result<Vec<u8>, SynthError> {
        let samples = self.frame_samples(frame)?;
        Ok(if self.bits_allocated == 8 {
            samples.iter().map(|v| *v as u8).collect()
        } else {
            samples.iter().flat_map(|v| v.to_le_bytes()).collect()
        })
    }
}

/// UIDs and numbering of one synthetic instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceIds {
    /// Study Instance UID.
    pub study: String,
    /// Series Instance UID.
    pub series: String,
    /// SOP Instance UID.
    pub instance: String,
    /// Instance Number.
    pub number: u32,
}

impl InstanceIds {
    /// Deterministic UIDs derived from a label (same label, same UIDs).
    pub fn derived(label: &str, number: u32) -> InstanceIds {
        let uid = |what: &str| replace_uid(b"cpms-synth", &format!("{label}/{what}"));
        InstanceIds {
            study: uid("study"),
            series: uid("series"),
            instance: uid(&format!("instance/{number}")),
            number,
        }
    }
}

/// Builds a Part 10 instance for `image` in `encoding`, carrying `identity`.
pub fn instance(
    image: &TestImage,
    encoding: Encoding,
    identity: &Identity,
    ids: &InstanceIds,
) -> Result<Vec<u8>, SynthError> {
    let mut obj = identity.dataset(ids);
    put_image_attributes(&mut obj, image, encoding);
    obj.put(DataElement::new(
        tags::SOP_CLASS_UID,
        VR::UI,
        PrimitiveValue::from(image.sop_class_uid),
    ));
    obj.put(DataElement::new(
        tags::MODALITY,
        VR::CS,
        PrimitiveValue::from(image.modality),
    ));
    obj.put(pixel_data(image, encoding)?);
    part10(obj, image.sop_class_uid, &ids.instance, encoding.uid())
}

/// A CT chest study of `slices` slices of `rows` × `columns`, 1.25 mm apart, explicit VR LE.
pub fn ct_study(
    identity: &Identity,
    slices: u32,
    rows: u16,
    columns: u16,
) -> Result<Vec<Vec<u8>>, SynthError> {
    (0..slices)
        .map(|slice| {
            let position = f64::from(slice) / f64::from(slices.max(2) - 1);
            let image = TestImage::ct_slice(rows, columns, position, slice);
            let ids = InstanceIds::derived(&format!("ct/{}", identity.patient_id), slice + 1);
            let mut obj_bytes = instance(&image, Encoding::ExplicitVrLittleEndian, identity, &ids)?;
            set_slice_position(&mut obj_bytes, slice)?;
            Ok(obj_bytes)
        })
        .collect()
}

fn set_slice_position(bytes: &mut Vec<u8>, slice: u32) -> Result<(), SynthError> {
    let file = crate::DicomFile::from_bytes(bytes, &crate::Limits::default())
        .map_err(|e| SynthError::Write(e.to_string()))?;
    let mut obj = file.into_object();
    let z = -200.0 + f64::from(slice) * 1.25;
    for element in [
        DataElement::new(
            tags::IMAGE_POSITION_PATIENT,
            VR::DS,
            PrimitiveValue::from(format!("-175\\-175\\{z}")),
        ),
        DataElement::new(
            tags::SLICE_LOCATION,
            VR::DS,
            PrimitiveValue::from(format!("{z}")),
        ),
        DataElement::new(tags::SLICE_THICKNESS, VR::DS, PrimitiveValue::from("1.25")),
    ] {
        obj.put(element);
    }
    bytes.clear();
    obj.write_all(bytes)
        .map_err(|e| SynthError::Write(e.to_string()))
}

/// A projection radiograph of `rows` × `columns` (2140 × 1760 gives about 7.5 MB).
pub fn radiograph(identity: &Identity, rows: u16, columns: u16) -> Result<Vec<u8>, SynthError> {
    let ids = InstanceIds::derived(&format!("dx/{}", identity.patient_id), 1);
    instance(
        &TestImage::radiograph(rows, columns),
        Encoding::ExplicitVrLittleEndian,
        identity,
        &ids,
    )
}

fn put_image_attributes(obj: &mut InMemDicomObject, image: &TestImage, encoding: Encoding) {
    let us = |tag, v: u16| DataElement::new(tag, VR::US, PrimitiveValue::from(v));
    // Lossy JPEG colour is decoded as YCbCr 4:2:2 by definition; other codecs keep the input.
    let photometric = match encoding {
        Encoding::JpegBaseline(_) | Encoding::JpegExtended(_) if image.samples_per_pixel == 3 => {
            "YBR_FULL_422"
        }
        _ => image.photometric,
    };
    for element in [
        us(tags::SAMPLES_PER_PIXEL, image.samples_per_pixel),
        DataElement::new(
            tags::PHOTOMETRIC_INTERPRETATION,
            VR::CS,
            PrimitiveValue::from(photometric),
        ),
        us(tags::ROWS, image.rows),
        us(tags::COLUMNS, image.columns),
        us(tags::BITS_ALLOCATED, image.bits_allocated),
        us(tags::BITS_STORED, image.bits_stored),
        us(tags::HIGH_BIT, image.bits_stored - 1),
        us(tags::PIXEL_REPRESENTATION, u16::from(image.signed)),
        DataElement::new(
            tags::PIXEL_SPACING,
            VR::DS,
            PrimitiveValue::from("0.683594\\0.683594"),
        ),
    ] {
        obj.put(element);
    }
    if image.samples_per_pixel == 3 {
        obj.put(us(tags::PLANAR_CONFIGURATION, 0));
    }
    if image.frames > 1 {
        obj.put(DataElement::new(
            tags::NUMBER_OF_FRAMES,
            VR::IS,
            PrimitiveValue::from(image.frames.to_string()),
        ));
    }
    let decimal =
        |tag, value: f64| DataElement::new(tag, VR::DS, PrimitiveValue::from(value.to_string()));
    if let Some((slope, intercept)) = image.rescale {
        obj.put(decimal(tags::RESCALE_SLOPE, slope));
        obj.put(decimal(tags::RESCALE_INTERCEPT, intercept));
    }
    if let Some((center, width)) = image.window {
        obj.put(decimal(tags::WINDOW_CENTER, center));
        obj.put(decimal(tags::WINDOW_WIDTH, width));
    }
    if let Some(palette) = &image.palette {
        // A descriptor count of 0 means 65536 entries (PS3.3 C.7.6.3.1.5).
        let descriptor = [(palette.red.len() % 65_536) as u16, 0, 16];
        for (descriptor_tag, data_tag, entries) in [
            (
                tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
                tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DATA,
                &palette.red,
            ),
            (
                tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
                tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA,
                &palette.green,
            ),
            (
                tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
                tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA,
                &palette.blue,
            ),
        ] {
            obj.put(DataElement::new(
                descriptor_tag,
                VR::US,
                PrimitiveValue::U16(descriptor.iter().copied().collect()),
            ));
            obj.put(DataElement::new(
                data_tag,
                VR::OW,
                PrimitiveValue::U16(entries.iter().copied().collect()),
            ));
        }
    }
}

fn pixel_data(
    image: &TestImage,
    encoding: Encoding,
) -> Result<DataElement<InMemDicomObject>, SynthError> {
    let native = matches!(
        encoding,
        Encoding::ImplicitVrLittleEndian
            | Encoding::ExplicitVrLittleEndian
            | Encoding::ExplicitVrBigEndian
            | Encoding::DeflatedExplicitVrLittleEndian
    );
    if native {
        let value = if image.bits_allocated == 8 {
            DataElement::new(
                tags::PIXEL_DATA,
                VR::OB,
                PrimitiveValue::U8(image.samples.iter().map(|v| *v as u8).collect()),
            )
        } else {
            DataElement::new(
                tags::PIXEL_DATA,
                VR::OW,
                PrimitiveValue::U16(image.samples.iter().copied().collect()),
            )
        };
        return Ok(value);
    }
    let fragments = (0..image.frames)
        .map(|frame| encode_frame(image, frame, encoding))
        .collect::<Result<Vec<_>, _>>()?;
    let mut offsets = Vec::with_capacity(fragments.len());
    let mut offset = 0u32;
    let fragments: Vec<Vec<u8>> = fragments
        .into_iter()
        .map(|mut fragment| {
            if fragment.len() % 2 == 1 {
                fragment.push(0);
            }
            offsets.push(offset);
            offset += 8 + fragment.len() as u32;
            fragment
        })
        .collect();
    Ok(DataElement::new(
        tags::PIXEL_DATA,
        VR::OB,
        DicomValue::PixelSequence(PixelFragmentSequence::new(offsets, fragments)),
    ))
}

fn encode_frame(image: &TestImage, frame: u32, encoding: Encoding) -> Result<Vec<u8>, SynthError> {
    if image.photometric == "YBR_FULL_422" {
        return Err(SynthError::Unsupported(
            "native YBR_FULL_422 is synthesised uncompressed only".into(),
        ));
    }
    let bytes = image.frame_bytes(frame)?;
    let rows = usize::from(image.rows);
    let columns = usize::from(image.columns);
    let samples = usize::from(image.samples_per_pixel);
    let eight_bit = || {
        if image.bits_allocated == 8 {
            Ok(())
        } else {
            Err(SynthError::Unsupported(format!(
                "{encoding:?} needs 8-bit samples"
            )))
        }
    };
    match encoding {
        Encoding::RleLossless => Ok(codecs::rle_frame(
            &bytes,
            rows,
            columns,
            samples,
            usize::from(image.bits_allocated / 8),
        )),
        Encoding::JpegBaseline(quality) => {
            eight_bit()?;
            codecs::jpeg_baseline_frame(
                &bytes,
                image.rows,
                image.columns,
                image.samples_per_pixel,
                quality,
            )
        }
        Encoding::JpegExtended(quality) => {
            eight_bit()?;
            codecs::jpeg_baseline_frame(
                &bytes,
                image.rows,
                image.columns,
                image.samples_per_pixel,
                quality,
            )
            .and_then(codecs::as_jpeg_extended)
        }
        Encoding::JpegLossless | Encoding::JpegLosslessSv1 => {
            if samples != 1 {
                return Err(SynthError::Unsupported(
                    "JPEG lossless synthesis is greyscale only".into(),
                ));
            }
            if !(2..=16).contains(&image.bits_stored) {
                return Err(SynthError::Unsupported(format!(
                    "JPEG lossless needs 2 to 16 bits stored, not {}",
                    image.bits_stored
                )));
            }
            let frame_samples = image.frame_samples(frame)?;
            let predictor = if encoding == Encoding::JpegLosslessSv1 {
                1
            } else {
                6
            };
            Ok(codecs::jpeg_lossless_frame(
                frame_samples,
                image.rows,
                image.columns,
                image.bits_stored as u8,
                predictor,
            ))
        }
        Encoding::JpegLsLossless | Encoding::JpegLsNearLossless(_) => {
            let near = match encoding {
                Encoding::JpegLsNearLossless(near) => i32::from(near),
                _ => 0,
            };
            codecs::jpeg_ls_frame(
                &bytes,
                image.rows.into(),
                image.columns.into(),
                image.bits_stored.into(),
                samples as i32,
                near,
            )
        }
        Encoding::Jpeg2000Lossless | Encoding::Jpeg2000Lossy(_) => {
            if samples != 1 {
                return Err(SynthError::Unsupported(
                    "JPEG 2000 synthesis is greyscale only".into(),
                ));
            }
            let ratio = match encoding {
                Encoding::Jpeg2000Lossy(ratio) => Some(ratio),
                _ => None,
            };
            codecs::jpeg_2000_frame(
                &bytes,
                image.rows.into(),
                image.columns.into(),
                image.bits_allocated,
                image.signed,
                ratio,
            )
        }
        _ => Err(SynthError::Unsupported(format!(
            "{encoding:?} is not an encapsulated syntax"
        ))),
    }
}

/// Convenience for sequences in identity data sets.
pub(crate) fn sequence(
    tag: dicom_core::Tag,
    items: Vec<InMemDicomObject>,
) -> DataElement<InMemDicomObject> {
    DataElement::new(
        tag,
        VR::SQ,
        DicomValue::new_sequence(items, Length::UNDEFINED),
    )
}

/// A DICOMDIR (Media Storage Directory) whose image records reference `file_ids`, each given
/// as path components (e.g. `["CT", "IM0001"]`).
pub fn dicomdir(file_ids: &[Vec<&str>]) -> Result<Vec<u8>, SynthError> {
    let records: Vec<InMemDicomObject> = file_ids
        .iter()
        .map(|components| {
            InMemDicomObject::from_element_iter([
                DataElement::new(
                    tags::DIRECTORY_RECORD_TYPE,
                    VR::CS,
                    PrimitiveValue::from("IMAGE"),
                ),
                DataElement::new(
                    tags::REFERENCED_FILE_ID,
                    VR::CS,
                    PrimitiveValue::Strs(components.iter().map(|c| c.to_string()).collect()),
                ),
            ])
        })
        .collect();
    let obj = InMemDicomObject::from_element_iter([
        DataElement::new(tags::FILE_SET_ID, VR::CS, PrimitiveValue::from("CPMS")),
        sequence(tags::DIRECTORY_RECORD_SEQUENCE, records),
    ]);
    let instance = replace_uid(b"cpms-synth", "dicomdir");
    part10(
        obj,
        uids::MEDIA_STORAGE_DIRECTORY_STORAGE,
        &instance,
        syntax::EXPLICIT_VR_LE,
    )
}

/// Writes `obj` as a Part 10 file with a fresh meta group.
fn part10(
    obj: InMemDicomObject,
    sop_class_uid: &str,
    sop_instance_uid: &str,
    transfer_syntax: &str,
) -> Result<Vec<u8>, SynthError> {
    let meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid(sop_class_uid)
        .media_storage_sop_instance_uid(sop_instance_uid)
        .transfer_syntax(transfer_syntax)
        .implementation_class_uid(crate::deid::IMPLEMENTATION_CLASS_UID)
        .build()
        .map_err(|e| SynthError::Write(e.to_string()))?;
    let mut out = Vec::new();
    obj.with_exact_meta(meta)
        .write_all(&mut out)
        .map_err(|e| SynthError::Write(e.to_string()))?;
    Ok(out)
}
