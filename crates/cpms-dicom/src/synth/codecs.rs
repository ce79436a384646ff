//! Frame encoders for the compressed transfer syntaxes the synthetic data covers.

use std::process::Command;

use super::SynthError;

/// RLE Lossless (PS3.5 Annex G): one PackBits segment per byte plane, most significant first.
pub fn rle_frame(
    frame: &[u8],
    rows: usize,
    columns: usize,
    samples: usize,
    bytes_per_sample: usize,
) -> Vec<u8> {
    let pixels = rows * columns;
    let mut segments = Vec::new();
    for sample in 0..samples {
        for byte in (0..bytes_per_sample).rev() {
            let plane: Vec<u8> = (0..pixels)
                .map(|p| frame[(p * samples + sample) * bytes_per_sample + byte])
                .collect();
            let mut segment = Vec::new();
            for row in plane.chunks(columns) {
                packbits(row, &mut segment);
            }
            if segment.len() % 2 == 1 {
                segment.push(0);
            }
            segments.push(segment);
        }
    }
    let mut out = Vec::with_capacity(64 + segments.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&(segments.len() as u32).to_le_bytes());
    let mut offset = 64u32;
    for index in 0..15 {
        let value = match segments.get(index) {
            Some(segment) => {
                let here = offset;
                offset += segment.len() as u32;
                here
            }
            None => 0,
        };
        out.extend_from_slice(&value.to_le_bytes());
    }
    for segment in segments {
        out.extend_from_slice(&segment);
    }
    out
}

fn packbits(data: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < data.len() {
        let run = data[i..]
            .iter()
            .take(128)
            .take_while(|b| **b == data[i])
            .count();
        if run >= 2 {
            out.push((1 - run as i16) as u8);
            out.push(data[i]);
            i += run;
            continue;
        }
        let start = i;
        while i < data.len() && i - start < 128 {
            if i + 1 < data.len() && data[i] == data[i + 1] {
                break;
            }
            i += 1;
        }
        out.push((i - start - 1) as u8);
        out.extend_from_slice(&data[start..i]);
    }
}

/// JPEG Lossless (ITU T.81 process 14) for one greyscale component of `precision` bits,
/// with the given predictor (1 is the first-order predictor of transfer syntax .70).
pub fn jpeg_lossless_frame(
    samples: &[u16],
    rows: u16,
    columns: u16,
    precision: u8,
    predictor: u8,
) -> Vec<u8> {
    // Code lengths per difference category 0..=16: short codes for the small differences
    // a smooth image produces. Kraft sum < 1, so no code is all ones.
    const LENGTHS: [u8; 17] = [3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    let codes = canonical_codes(&LENGTHS);
    let mut out = vec![0xFF, 0xD8];
    // SOF3: precision, rows, columns, one component (id 1, sampling 1x1, no quant table).
    out.extend_from_slice(&[0xFF, 0xC3, 0x00, 0x0B, precision]);
    out.extend_from_slice(&rows.to_be_bytes());
    out.extend_from_slice(&columns.to_be_bytes());
    out.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    // DHT: one DC-class table (class 0, id 0).
    let mut counts = [0u8; 16];
    for length in LENGTHS {
        counts[usize::from(length) - 1] += 1;
    }
    let mut order: Vec<u8> = (0..17).collect();
    order.sort_by_key(|symbol| LENGTHS[usize::from(*symbol)]);
    let dht_len = (2 + 1 + 16 + order.len()) as u16;
    out.extend_from_slice(&[0xFF, 0xC4]);
    out.extend_from_slice(&dht_len.to_be_bytes());
    out.push(0x00);
    out.extend_from_slice(&counts);
    out.extend_from_slice(&order);
    // SOS: one component using table 0; Ss = predictor, Se = 0, Ah/Al = 0.
    out.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, predictor, 0x00, 0x00,
    ]);

    let mut bits = BitWriter::default();
    let width = usize::from(columns);
    let modulus = 1i32 << 16;
    for (index, value) in samples.iter().enumerate() {
        let (row, col) = (index / width, index % width);
        let at = |r: usize, c: usize| i32::from(samples[r * width + c]);
        let prediction = if row == 0 && col == 0 {
            1 << (precision - 1)
        } else if row == 0 {
            at(0, col - 1)
        } else if col == 0 {
            at(row - 1, 0)
        } else {
            let (a, b, c) = (at(row, col - 1), at(row - 1, col), at(row - 1, col - 1));
            match predictor {
                1 => a,
                2 => b,
                3 => c,
                4 => a + b - c,
                5 => a + ((b - c) >> 1),
                6 => b + ((a - c) >> 1),
                _ => (a + b) / 2,
            }
        };
        let mut diff = (i32::from(*value) - prediction).rem_euclid(modulus);
        if diff >= 1 << 15 {
            diff -= modulus;
        }
        let category = if diff == 0 {
            0
        } else {
            32 - diff.unsigned_abs().leading_zeros()
        };
        let (code, length) = codes[category as usize];
        bits.put(u32::from(code), length);
        if (1..16).contains(&category) {
            let extra = if diff < 0 { diff - 1 } else { diff };
            bits.put((extra as u32) & ((1 << category) - 1), category as u8);
        }
    }
    out.extend_from_slice(&bits.finish());
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn canonical_codes(lengths: &[u8; 17]) -> [(u16, u8); 17] {
    let mut codes = [(0u16, 0u8); 17];
    let mut order: Vec<usize> = (0..17).collect();
    order.sort_by_key(|symbol| lengths[*symbol]);
    let mut code = 0u16;
    let mut length = lengths[order[0]];
    for symbol in order {
        while length < lengths[symbol] {
            code <<= 1;
            length += 1;
        }
        codes[symbol] = (code, length);
        code += 1;
    }
    codes
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    accumulator: u32,
    filled: u8,
}

impl BitWriter {
    fn put(&mut self, value: u32, length: u8) {
        for shift in (0..length).rev() {
            self.accumulator = (self.accumulator << 1) | ((value >> shift) & 1);
            self.filled += 1;
            if self.filled == 8 {
                self.push_byte();
            }
        }
    }

    fn push_byte(&mut self) {
        let byte = self.accumulator as u8;
        self.out.push(byte);
        if byte == 0xFF {
            self.out.push(0x00);
        }
        self.accumulator = 0;
        self.filled = 0;
    }

    fn finish(mut self) -> Vec<u8> {
        if self.filled > 0 {
            let pad = 8 - self.filled;
            self.put((1 << pad) - 1, pad);
        }
        self.out
    }
}

/// JPEG Baseline with jpeg-encoder. Colour input is interleaved RGB and is stored as 4:2:2
/// YCbCr, which is what DICOM calls YBR_FULL_422 for this transfer syntax.
pub fn jpeg_baseline_frame(
    pixels: &[u8],
    rows: u16,
    columns: u16,
    samples: u16,
    quality: u8,
) -> Result<Vec<u8>, SynthError> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    let color = if samples == 3 {
        encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_2);
        jpeg_encoder::ColorType::Rgb
    } else {
        jpeg_encoder::ColorType::Luma
    };
    encoder
        .encode(pixels, columns, rows, color)
        .map_err(|e| SynthError::Codec(format!("JPEG baseline: {e}")))?;
    Ok(out)
}

/// Relabels a baseline stream as extended sequential (SOF1, process 2): the entropy coding is
/// identical for 8-bit Huffman data, only the frame marker differs.
pub fn as_jpeg_extended(mut baseline: Vec<u8>) -> Result<Vec<u8>, SynthError> {
    let mut at = 2;
    while at + 4 <= baseline.len() && baseline[at] == 0xFF {
        if baseline[at + 1] == 0xC0 {
            baseline[at + 1] = 0xC1;
            return Ok(baseline);
        }
        let length = usize::from(u16::from_be_bytes([baseline[at + 2], baseline[at + 3]]));
        at += 2 + length;
    }
    Err(SynthError::Codec(
        "no SOF0 marker in the baseline stream".into(),
    ))
}

/// JPEG-LS with CharLS; `near` 0 is lossless.
pub fn jpeg_ls_frame(
    pixels: &[u8],
    rows: u32,
    columns: u32,
    bits: i32,
    samples: i32,
    near: i32,
) -> Result<Vec<u8>, SynthError> {
    let frame = charls::FrameInfo {
        width: columns,
        height: rows,
        bits_per_sample: bits,
        component_count: samples,
    };
    // CharLS's default (no interleave) codes each component as its own scan and expects
    // planar input; decoders must turn that back into pixel-interleaved samples.
    if samples == 3 && bits > 8 {
        return Err(SynthError::Unsupported(
            "JPEG-LS colour synthesis is 8-bit only".into(),
        ));
    }
    let input = if samples == 3 {
        let plane = pixels.len() / 3;
        (0..3)
            .flat_map(|sample| pixels.iter().skip(sample).step_by(3).copied().take(plane))
            .collect()
    } else {
        pixels.to_vec()
    };
    charls::CharLS::default()
        .encode(frame, near, &input)
        .map_err(|e| SynthError::Codec(format!("JPEG-LS: {e:?}")))
}

/// JPEG 2000 via OpenJPEG's `opj_compress` (Debian package `libopenjp2-tools`): no safe
/// pure-Rust JPEG 2000 encoder exists. `ratio` None is reversible (lossless) coding.
pub fn jpeg_2000_frame(
    pixels_le: &[u8],
    rows: u32,
    columns: u32,
    bits: u16,
    signed: bool,
    ratio: Option<u32>,
) -> Result<Vec<u8>, SynthError> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let unique = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("cpms-synth-j2k-{}-{unique}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| SynthError::Codec(format!("temp dir: {e}")))?;
    let input = dir.join("frame.rawl");
    let output = dir.join("frame.j2k");
    let result = (|| {
        std::fs::write(&input, pixels_le).map_err(|e| SynthError::Codec(e.to_string()))?;
        let format = format!(
            "{columns},{rows},1,{bits},{}",
            if signed { "s" } else { "u" }
        );
        let mut command = Command::new("opj_compress");
        command
            .arg("-i")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .arg("-F")
            .arg(format)
            // Fewer wavelet levels for small images: OpenJPEG refuses more than fit.
            .arg("-n")
            .arg(rows.min(columns).max(2).ilog2().clamp(1, 6).to_string());
        if let Some(ratio) = ratio {
            command.arg("-r").arg(ratio.to_string()).arg("-I");
        }
        let status = command.output().map_err(|e| {
            SynthError::ToolMissing(format!(
                "opj_compress (install Debian package libopenjp2-tools): {e}"
            ))
        })?;
        if !status.status.success() {
            return Err(SynthError::Codec(format!(
                "opj_compress failed: {}",
                String::from_utf8_lossy(&status.stderr)
            )));
        }
        std::fs::read(&output).map_err(|e| SynthError::Codec(e.to_string()))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
