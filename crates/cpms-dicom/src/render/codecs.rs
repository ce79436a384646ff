//! Decoding compressed frames with the codec crates directly. Each stream's own header is
//! checked against Rows, Columns, Samples per Pixel and Bits Allocated before decoding, so
//! a stream that disagrees with its data set is an error instead of an out-of-bounds write.

use std::borrow::Cow;

use dicom_core::value::PixelFragmentSequence;

use crate::{RenderError, syntax};

/// What the frame must decode to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected {
    pub rows: u32,
    pub columns: u32,
    pub samples: usize,
    pub bytes_per_sample: usize,
    pub frames: u32,
}

impl Expected {
    fn pixels(&self) -> usize {
        self.rows as usize * self.columns as usize
    }
    pub(crate) fn len(&self) -> usize {
        self.pixels() * self.samples * self.bytes_per_sample
    }
}

fn unsupported(reason: impl Into<String>) -> RenderError {
    RenderError::Unsupported {
        reason: reason.into(),
    }
}

/// Decodes frame `frame` of encapsulated pixel data in transfer syntax `uid` to native
/// little-endian, pixel-interleaved samples.
pub(crate) fn decode(
    uid: &str,
    pixels: &PixelFragmentSequence<Vec<u8>>,
    frame: u32,
    expected: Expected,
) -> Result<Vec<u8>, RenderError> {
    let data = frame_data(pixels, frame, expected.frames)?;
    match uid {
        syntax::RLE_LOSSLESS => super::rle::decode_frame(
            &data,
            expected.pixels(),
            expected.samples,
            expected.bytes_per_sample,
        ),
        syntax::JPEG_BASELINE
        | syntax::JPEG_EXTENDED
        | syntax::JPEG_LOSSLESS
        | syntax::JPEG_LOSSLESS_SV1 => jpeg(&data, expected),
        syntax::JPEG_LS_LOSSLESS | syntax::JPEG_LS_NEAR_LOSSLESS => jpeg_ls(&data, expected),
        syntax::JPEG_2000_LOSSLESS | syntax::JPEG_2000 => jpeg_2000(&data, expected),
        other => Err(unsupported(format!(
            "no decoder for transfer syntax {other}"
        ))),
    }
}

/// The bytes of one frame: its fragment when fragments and frames correspond one to one,
/// all fragments for a single frame, otherwise the fragments the Basic Offset Table assigns.
fn frame_data(
    pixels: &PixelFragmentSequence<Vec<u8>>,
    frame: u32,
    frames: u32,
) -> Result<Cow<'_, [u8]>, RenderError> {
    let fragments = pixels.fragments();
    if fragments.len() == frames as usize {
        return Ok(Cow::Borrowed(&fragments[frame as usize]));
    }
    if frames == 1 {
        return Ok(Cow::Owned(fragments.concat()));
    }
    let table = pixels.offset_table();
    if table.len() != frames as usize || table.windows(2).any(|w| w[0] >= w[1]) {
        return Err(RenderError::Malformed(format!(
            "{} fragments for {frames} frames and no usable offset table",
            fragments.len()
        )));
    }
    let start = u64::from(table[frame as usize]);
    let end = table
        .get(frame as usize + 1)
        .map_or(u64::MAX, |e| u64::from(*e));
    let mut offset = 0u64;
    let mut out = Vec::new();
    for fragment in fragments {
        if (start..end).contains(&offset) {
            out.extend_from_slice(fragment);
        }
        offset += 8 + fragment.len() as u64;
    }
    if out.is_empty() {
        return Err(RenderError::Malformed(format!(
            "offset table points past the fragments for frame {frame}"
        )));
    }
    Ok(Cow::Owned(out))
}

fn check_size(codec: &str, width: u32, height: u32, expected: Expected) -> Result<(), RenderError> {
    if (width, height) != (expected.columns, expected.rows) {
        return Err(unsupported(format!(
            "{codec} stream is {width}×{height} but the data set says {}×{}",
            expected.columns, expected.rows
        )));
    }
    Ok(())
}

fn jpeg(data: &[u8], expected: Expected) -> Result<Vec<u8>, RenderError> {
    use jpeg_decoder::PixelFormat;
    let mut decoder = jpeg_decoder::Decoder::new(data);
    decoder.set_max_decoding_buffer_size(expected.len().max(1));
    decoder
        .read_info()
        .map_err(|e| unsupported(format!("JPEG: {e}")))?;
    let info = decoder
        .info()
        .ok_or_else(|| unsupported("JPEG: no frame header"))?;
    check_size("JPEG", info.width.into(), info.height.into(), expected)?;
    let layout = match info.pixel_format {
        PixelFormat::L8 => (1, 1),
        PixelFormat::L16 => (1, 2),
        PixelFormat::RGB24 => (3, 1),
        PixelFormat::CMYK32 => (4, 1),
    };
    if layout != (expected.samples, expected.bytes_per_sample) {
        return Err(unsupported(format!(
            "JPEG stream has {:?} samples but the data set expects {} sample(s) of {} byte(s)",
            info.pixel_format, expected.samples, expected.bytes_per_sample
        )));
    }
    decoder
        .decode()
        .map_err(|e| unsupported(format!("JPEG: {e}")))
}

fn jpeg_ls(data: &[u8], expected: Expected) -> Result<Vec<u8>, RenderError> {
    // A CharLS decoder reads a header once, so the header check and the decode each get one.
    let info = charls::CharLS::default()
        .get_frame_info(data)
        .map_err(|e| unsupported(format!("JPEG-LS: {e:?}")))?;
    check_size("JPEG-LS", info.width, info.height, expected)?;
    let bytes = if info.bits_per_sample > 8 { 2 } else { 1 };
    if (info.component_count as usize, bytes) != (expected.samples, expected.bytes_per_sample) {
        return Err(unsupported(format!(
            "JPEG-LS stream has {} component(s) of {} bits, the data set expects {} of {} byte(s)",
            info.component_count, info.bits_per_sample, expected.samples, expected.bytes_per_sample
        )));
    }
    let decoded = charls::CharLS::default()
        .decode(data)
        .map_err(|e| unsupported(format!("JPEG-LS: {e:?}")))?;
    if decoded.len() < expected.len() {
        return Err(unsupported("JPEG-LS: stream decodes to too few bytes"));
    }
    Ok(match (expected.samples, jpeg_ls_interleave(data)) {
        (3, Some(0)) => {
            planar_to_interleaved(&decoded, expected.pixels(), expected.bytes_per_sample)
        }
        (3, Some(1)) => lines_to_interleaved(&decoded, expected),
        _ => decoded,
    })
}

/// The ILV parameter of the first JPEG-LS scan header: 0 none, 1 line, 2 sample.
fn jpeg_ls_interleave(data: &[u8]) -> Option<u8> {
    let sos = data.windows(2).position(|w| w == [0xFF, 0xDA])?;
    let components = usize::from(*data.get(sos + 4)?);
    data.get(sos + 5 + 2 * components + 1).copied()
}

fn planar_to_interleaved(planar: &[u8], pixels: usize, bytes: usize) -> Vec<u8> {
    let plane = pixels * bytes;
    let mut out = Vec::with_capacity(plane * 3);
    for pixel in 0..pixels {
        for sample in 0..3 {
            let at = sample * plane + pixel * bytes;
            out.extend_from_slice(&planar[at..at + bytes]);
        }
    }
    out
}

fn lines_to_interleaved(lines: &[u8], expected: Expected) -> Vec<u8> {
    let width = expected.columns as usize;
    let bytes = expected.bytes_per_sample;
    let mut out = Vec::with_capacity(expected.len());
    for row in lines
        .chunks_exact(width * bytes * 3)
        .take(expected.rows as usize)
    {
        for pixel in 0..width {
            for sample in 0..3 {
                let at = (sample * width + pixel) * bytes;
                out.extend_from_slice(&row[at..at + bytes]);
            }
        }
    }
    out
}

/// Most tiles accepted: OpenJPEG allocates per-tile state as soon as it reads the header.
const MAX_J2K_TILES: u64 = 4096;

/// Checks the codestream's SIZ marker before OpenJPEG sees it, because OpenJPEG allocates
/// for the declared image and tile grid while reading the header.
fn check_j2k_header(data: &[u8], expected: Expected) -> Result<(), RenderError> {
    let start = data
        .windows(4)
        .position(|w| w == [0xFF, 0x4F, 0xFF, 0x51])
        .ok_or_else(|| unsupported("JPEG 2000: no codestream header (SOC, SIZ)"))?;
    let siz = data
        .get(start + 4..)
        .ok_or_else(|| unsupported("JPEG 2000: truncated SIZ"))?;
    let u32_at = |at: usize| -> Result<u64, RenderError> {
        let raw = siz
            .get(at..at + 4)
            .ok_or_else(|| unsupported("JPEG 2000: truncated SIZ"))?;
        Ok(u64::from(u32::from_be_bytes([
            raw[0], raw[1], raw[2], raw[3],
        ])))
    };
    let (width, height) = (u32_at(4)?, u32_at(8)?);
    let (x_offset, y_offset) = (u32_at(12)?, u32_at(16)?);
    let (tile_width, tile_height) = (u32_at(20)?, u32_at(24)?);
    let (tile_x_offset, tile_y_offset) = (u32_at(28)?, u32_at(32)?);
    let components = siz
        .get(36..38)
        .map(|c| usize::from(u16::from_be_bytes([c[0], c[1]])))
        .ok_or_else(|| unsupported("JPEG 2000: truncated SIZ"))?;
    let (columns, rows) = (
        width.saturating_sub(x_offset),
        height.saturating_sub(y_offset),
    );
    if (columns, rows) != (u64::from(expected.columns), u64::from(expected.rows)) {
        return Err(unsupported(format!(
            "JPEG 2000 stream is {columns}×{rows} but the data set says {}×{}",
            expected.columns, expected.rows
        )));
    }
    if components != expected.samples {
        return Err(unsupported(format!(
            "JPEG 2000 stream has {components} components, the data set expects {}",
            expected.samples
        )));
    }
    if tile_width == 0 || tile_height == 0 || tile_x_offset > x_offset || tile_y_offset > y_offset {
        return Err(unsupported("JPEG 2000: invalid tile grid"));
    }
    let tiles = (width - tile_x_offset).div_ceil(tile_width)
        * (height - tile_y_offset).div_ceil(tile_height);
    if tiles > MAX_J2K_TILES {
        return Err(unsupported(format!(
            "JPEG 2000: {tiles} tiles exceed the limit of {MAX_J2K_TILES}"
        )));
    }
    for component in 0..components {
        let at = 38 + component * 3;
        let info = siz
            .get(at..at + 3)
            .ok_or_else(|| unsupported("JPEG 2000: truncated SIZ"))?;
        let precision = usize::from(info[0] & 0x7F) + 1;
        if precision > expected.bytes_per_sample * 8 || info[1] != 1 || info[2] != 1 {
            return Err(unsupported(format!(
                "JPEG 2000 component {component}: {precision} bits, subsampling {}×{}",
                info[1], info[2]
            )));
        }
    }
    Ok(())
}

fn jpeg_2000(data: &[u8], expected: Expected) -> Result<Vec<u8>, RenderError> {
    check_j2k_header(data, expected)?;
    let image =
        jpeg2k::Image::from_bytes(data).map_err(|e| unsupported(format!("JPEG 2000: {e}")))?;
    check_size("JPEG 2000", image.width(), image.height(), expected)?;
    let components = image.components();
    if components.len() != expected.samples {
        return Err(unsupported(format!(
            "JPEG 2000 stream has {} components, the data set expects {}",
            components.len(),
            expected.samples
        )));
    }
    let pixels = expected.pixels();
    let bytes = expected.bytes_per_sample;
    let mut out = vec![0u8; expected.len()];
    for (index, component) in components.iter().enumerate() {
        let samples = component.data();
        if samples.len() != pixels {
            return Err(unsupported(
                "JPEG 2000: subsampled components are not supported",
            ));
        }
        for (pixel, value) in samples.iter().enumerate() {
            let at = (pixel * expected.samples + index) * bytes;
            out[at..at + bytes].copy_from_slice(&value.to_le_bytes()[..bytes]);
        }
    }
    Ok(out)
}
