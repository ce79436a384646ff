//! Colour: RGB, YBR_FULL, YBR_FULL_422 and PALETTE COLOR to 8-bit RGB.

use super::decode::{DecodedFrame, stored_value};
use crate::RenderError;

/// One channel of a palette colour lookup table.
#[derive(Debug, Clone)]
pub(crate) struct PaletteChannel {
    pub first_mapped: i64,
    pub bits: u16,
    pub entries: Vec<u16>,
}

impl PaletteChannel {
    fn lookup(&self, value: i64) -> u8 {
        let last = self.entries.len().saturating_sub(1);
        let index = (value - self.first_mapped).clamp(0, last as i64) as usize;
        let entry = self.entries.get(index).copied().unwrap_or(0);
        if self.bits <= 8 {
            entry as u8
        } else {
            (entry >> 8) as u8
        }
    }
}

pub(crate) fn to_rgb(
    frame: &DecodedFrame,
    palette: Option<&[PaletteChannel; 3]>,
) -> Result<Vec<u8>, RenderError> {
    let pixels = frame.rows as usize * frame.columns as usize;
    match frame.photometric.as_str() {
        "PALETTE COLOR" => {
            let palette = palette.ok_or_else(|| {
                RenderError::Malformed("PALETTE COLOR without palette lookup tables".into())
            })?;
            let mut out = Vec::with_capacity(pixels * 3);
            for index in 0..pixels {
                let value = frame.sample(index).unwrap_or(0);
                out.extend(palette.iter().map(|channel| channel.lookup(value)));
            }
            Ok(out)
        }
        "RGB" => Ok(eight_bit(frame, pixels * 3)),
        "YBR_FULL" => Ok(eight_bit(frame, pixels * 3)
            .chunks_exact(3)
            .flat_map(|p| ybr_to_rgb(p[0], p[1], p[2]))
            .collect()),
        "YBR_FULL_422" if frame.bits_allocated == 8 => {
            let stored = frame
                .data
                .get(..pixels * 2)
                .ok_or_else(|| RenderError::Malformed("YBR_FULL_422 data is too short".into()))?;
            Ok(stored
                .chunks_exact(4)
                .flat_map(|q| {
                    let [a, b, c] = ybr_to_rgb(q[0], q[2], q[3]);
                    let [d, e, f] = ybr_to_rgb(q[1], q[2], q[3]);
                    [a, b, c, d, e, f]
                })
                .collect())
        }
        other => Err(RenderError::Unsupported {
            reason: format!(
                "photometric interpretation {other} with {} samples",
                frame.samples_per_pixel
            ),
        }),
    }
}

/// Reduces samples to 8 bits by dropping the low-order bits beyond 8.
fn eight_bit(frame: &DecodedFrame, count: usize) -> Vec<u8> {
    if frame.bits_allocated == 8 {
        return frame.data[..count].to_vec();
    }
    let shift = frame.bits_stored.saturating_sub(8);
    (0..count)
        .map(|i| {
            let raw = u32::from(u16::from_le_bytes([
                frame.data[i * 2],
                frame.data[i * 2 + 1],
            ]));
            (stored_value(raw, frame.bits_stored, false) >> shift).clamp(0, 255) as u8
        })
        .collect()
}

/// PS3.3 C.7.6.3.1.2 YBR_FULL to RGB.
fn ybr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (f32::from(y), f32::from(cb) - 128.0, f32::from(cr) - 128.0);
    [
        y + 1.402 * cr,
        y - 0.344_136 * cb - 0.714_136 * cr,
        y + 1.772 * cb,
    ]
    .map(|v| v.round().clamp(0.0, 255.0) as u8)
}
