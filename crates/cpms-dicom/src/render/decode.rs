//! Getting one frame's samples out of native or encapsulated pixel data.

use dicom_core::DicomValue;
use dicom_dictionary_std::tags;

use super::codecs::{self, Expected};
use crate::{DicomFile, RenderError, attrs, syntax};

/// The samples of one frame in native layout: little-endian, pixel-interleaved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedFrame {
    /// Rows.
    pub rows: u32,
    /// Columns.
    pub columns: u32,
    /// Samples per pixel (1 or 3).
    pub samples_per_pixel: u16,
    /// Photometric interpretation of `data` (a codec may have converted YCbCr to RGB).
    pub photometric: String,
    /// Bits Allocated (8, 16 or 32).
    pub bits_allocated: u16,
    /// Bits Stored.
    pub bits_stored: u16,
    /// Pixel Representation is two's complement.
    pub signed: bool,
    /// Sample bytes.
    pub data: Vec<u8>,
}

impl DecodedFrame {
    /// Stored value of sample `index` (sign-extended, masked to Bits Stored), for greyscale.
    pub fn sample(&self, index: usize) -> Option<i64> {
        let raw = match self.bits_allocated {
            8 => u32::from(*self.data.get(index)?),
            16 => u32::from(u16::from_le_bytes(
                self.data.get(index * 2..index * 2 + 2)?.try_into().ok()?,
            )),
            _ => u32::from_le_bytes(self.data.get(index * 4..index * 4 + 4)?.try_into().ok()?),
        };
        Some(stored_value(raw, self.bits_stored, self.signed))
    }
}

/// Masks a raw sample to `bits_stored` bits and sign-extends it when `signed`.
pub(crate) fn stored_value(raw: u32, bits_stored: u16, signed: bool) -> i64 {
    let bits = u32::from(bits_stored.clamp(1, 32));
    let masked = if bits == 32 {
        raw
    } else {
        raw & ((1u32 << bits) - 1)
    };
    if signed && masked >> (bits - 1) & 1 == 1 {
        i64::from(masked) - (1i64 << bits)
    } else {
        i64::from(masked)
    }
}

/// Decodes frame `frame` (zero-based) of `file`.
pub fn decode_frame(file: &DicomFile, frame: u32) -> Result<DecodedFrame, RenderError> {
    let obj = file.object();
    let pixel_data = obj
        .element_opt(tags::PIXEL_DATA)
        .ok()
        .flatten()
        .ok_or(RenderError::NoPixelData)?;
    let geometry = file
        .geometry()
        .ok_or_else(|| RenderError::Malformed("image attributes are missing".into()))?;
    if frame >= geometry.frames {
        return Err(RenderError::FrameOutOfRange {
            frame,
            frames: geometry.frames,
        });
    }
    let bits_allocated = geometry.bits_allocated;
    if !matches!(bits_allocated, 8 | 16 | 32) {
        return Err(RenderError::Unsupported {
            reason: format!("{bits_allocated} bits allocated per sample"),
        });
    }
    let bits_stored = attrs::int(obj, tags::BITS_STORED)
        .and_then(|v| u16::try_from(v).ok())
        .unwrap_or(bits_allocated);
    if bits_stored == 0 || bits_stored > bits_allocated {
        return Err(RenderError::Malformed(format!(
            "bits stored {bits_stored} with bits allocated {bits_allocated}"
        )));
    }
    let samples_per_pixel = geometry.samples_per_pixel;
    if !matches!(samples_per_pixel, 1 | 3) {
        return Err(RenderError::Unsupported {
            reason: format!("{samples_per_pixel} samples per pixel"),
        });
    }
    let photometric = attrs::string(obj, tags::PHOTOMETRIC_INTERPRETATION)
        .unwrap_or_else(|| "MONOCHROME2".into())
        .to_uppercase();
    let signed = attrs::int(obj, tags::PIXEL_REPRESENTATION) == Some(1);
    let pixels = geometry.rows as usize * geometry.columns as usize;
    let bytes_per_sample = usize::from(bits_allocated / 8);

    let (data, photometric) = match pixel_data.value() {
        DicomValue::Primitive(value) => {
            let native_len = if photometric == "YBR_FULL_422" {
                pixels * 2 * bytes_per_sample
            } else {
                pixels * usize::from(samples_per_pixel) * bytes_per_sample
            };
            let all = value.to_bytes();
            let start = native_len * frame as usize;
            let slice = all.get(start..start + native_len).ok_or_else(|| {
                RenderError::Malformed(format!(
                    "pixel data holds {} bytes, too few for frame {frame}",
                    all.len()
                ))
            })?;
            let planar = attrs::int(obj, tags::PLANAR_CONFIGURATION) == Some(1);
            let data = if planar && samples_per_pixel == 3 {
                interleave(slice, pixels, bytes_per_sample)
            } else {
                slice.to_vec()
            };
            (data, photometric)
        }
        DicomValue::PixelSequence(sequence) => {
            let expected = Expected {
                rows: geometry.rows,
                columns: geometry.columns,
                samples: usize::from(samples_per_pixel),
                bytes_per_sample,
                frames: geometry.frames,
            };
            let data = codecs::decode(file.transfer_syntax(), sequence, frame, expected)?;
            if data.len() < expected.len() {
                return Err(RenderError::Unsupported {
                    reason: format!(
                        "the codec produced {} bytes, expected {}",
                        data.len(),
                        expected.len()
                    ),
                });
            }
            (
                data,
                decoded_photometric(file.transfer_syntax(), samples_per_pixel, photometric),
            )
        }
        DicomValue::Sequence(_) => {
            return Err(RenderError::Malformed("Pixel Data is a sequence".into()));
        }
    };
    Ok(DecodedFrame {
        rows: geometry.rows,
        columns: geometry.columns,
        samples_per_pixel,
        photometric,
        bits_allocated,
        bits_stored,
        signed,
        data,
    })
}

/// The JPEG decoder hands back RGB for three-sample images whatever colour model the stream
/// used, and OpenJPEG undoes the ICT/RCT component transforms; RLE and JPEG-LS hand back the
/// samples as stored.
fn decoded_photometric(uid: &str, samples_per_pixel: u16, photometric: String) -> String {
    let jpeg = matches!(
        uid,
        syntax::JPEG_BASELINE
            | syntax::JPEG_EXTENDED
            | syntax::JPEG_LOSSLESS
            | syntax::JPEG_LOSSLESS_SV1
    );
    let j2k_transform = matches!(uid, syntax::JPEG_2000_LOSSLESS | syntax::JPEG_2000)
        && matches!(photometric.as_str(), "YBR_ICT" | "YBR_RCT");
    if samples_per_pixel == 3 && (jpeg || j2k_transform) {
        "RGB".into()
    } else {
        photometric
    }
}

/// Planar configuration 1 (`RRR… GGG… BBB…`) to pixel-interleaved.
fn interleave(planar: &[u8], pixels: usize, bytes_per_sample: usize) -> Vec<u8> {
    let plane = pixels * bytes_per_sample;
    let mut out = Vec::with_capacity(planar.len());
    for pixel in 0..pixels {
        for sample in 0..3 {
            let at = sample * plane + pixel * bytes_per_sample;
            out.extend_from_slice(&planar[at..at + bytes_per_sample]);
        }
    }
    out
}
