//! RLE Lossless decoding (PS3.5 Annex G), written here because the registry's decoder
//! panics on malformed segment tables. Every offset and run is bounds-checked.

use crate::RenderError;

fn malformed(reason: impl Into<String>) -> RenderError {
    RenderError::Unsupported {
        reason: format!("RLE: {}", reason.into()),
    }
}

/// Decodes one RLE frame to native little-endian, pixel-interleaved samples.
pub(crate) fn decode_frame(
    fragment: &[u8],
    pixels: usize,
    samples: usize,
    bytes_per_sample: usize,
) -> Result<Vec<u8>, RenderError> {
    let header = fragment
        .get(..64)
        .ok_or_else(|| malformed("fragment shorter than its 64-byte header"))?;
    let word = |i: usize| {
        u32::from_le_bytes([
            header[i * 4],
            header[i * 4 + 1],
            header[i * 4 + 2],
            header[i * 4 + 3],
        ]) as usize
    };
    let segments = word(0);
    let expected = samples * bytes_per_sample;
    if segments != expected {
        return Err(malformed(format!(
            "{segments} segments, expected {expected}"
        )));
    }
    let mut offsets: Vec<usize> = (1..=segments).map(word).collect();
    offsets.push(fragment.len());
    if offsets.windows(2).any(|w| w[0] > w[1]) || offsets[0] < 64 {
        return Err(malformed(
            "segment offsets are out of order or inside the header",
        ));
    }
    let mut out = vec![0u8; pixels * expected];
    for segment in 0..segments {
        let plane = unpack(&fragment[offsets[segment]..offsets[segment + 1]], pixels)?;
        // Segments run most significant byte first within each sample.
        let sample = segment / bytes_per_sample;
        let byte = bytes_per_sample - 1 - segment % bytes_per_sample;
        for (pixel, value) in plane.into_iter().enumerate() {
            out[pixel * expected + sample * bytes_per_sample + byte] = value;
        }
    }
    Ok(out)
}

/// PackBits: a header byte n in 0..=127 copies n+1 literal bytes, -127..=-1 repeats the next
/// byte 1-n times, -128 is a no-op. Output stops at `len` bytes.
fn unpack(segment: &[u8], len: usize) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(len);
    let mut at = 0;
    while out.len() < len && at < segment.len() {
        let n = segment[at] as i8;
        at += 1;
        match n {
            0..=127 => {
                let count = n as usize + 1;
                let literal = segment
                    .get(at..at + count)
                    .ok_or_else(|| malformed("literal run past segment end"))?;
                out.extend_from_slice(literal);
                at += count;
            }
            -127..=-1 => {
                let value = *segment
                    .get(at)
                    .ok_or_else(|| malformed("repeat run past segment end"))?;
                out.extend(std::iter::repeat_n(value, (1 - n as isize) as usize));
                at += 1;
            }
            -128 => {}
        }
    }
    if out.len() < len {
        return Err(malformed(format!(
            "segment decodes to {} bytes, expected {len}",
            out.len()
        )));
    }
    out.truncate(len);
    Ok(out)
}
