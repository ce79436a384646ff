//! Greyscale: modality LUT (rescale), VOI window and MONOCHROME1 inversion to 8-bit output.

use super::decode::{DecodedFrame, stored_value};

/// A VOI window in modality units (e.g. Hounsfield units for CT).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Window Center.
    pub center: f64,
    /// Window Width (at least 1).
    pub width: f64,
}

/// Shape of the VOI function (PS3.3 C.11.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VoiFunction {
    /// LINEAR (the default).
    #[default]
    Linear,
    /// LINEAR_EXACT.
    LinearExact,
    /// SIGMOID.
    Sigmoid,
}

/// Rescale Slope and Intercept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rescale {
    /// Rescale Slope.
    pub slope: f64,
    /// Rescale Intercept.
    pub intercept: f64,
}

impl Window {
    /// Maps a modality value to 0..=255 (PS3.3 C.11.2.1.2).
    pub fn apply(&self, value: f64, function: VoiFunction) -> u8 {
        let width = self.width.max(1.0);
        let out = match function {
            VoiFunction::Linear => {
                let low = self.center - 0.5 - (width - 1.0) / 2.0;
                let high = self.center - 0.5 + (width - 1.0) / 2.0;
                if value <= low {
                    0.0
                } else if value > high {
                    255.0
                } else {
                    ((value - (self.center - 0.5)) / (width - 1.0).max(1.0) + 0.5) * 255.0
                }
            }
            VoiFunction::LinearExact => ((value - self.center) / width + 0.5) * 255.0,
            VoiFunction::Sigmoid => 255.0 / (1.0 + (-4.0 * (value - self.center) / width).exp()),
        };
        out.round().clamp(0.0, 255.0) as u8
    }
}

/// Renders greyscale samples to 8-bit luminance.
pub(crate) fn to_luma(
    frame: &DecodedFrame,
    rescale: Rescale,
    window: Option<Window>,
    function: VoiFunction,
    invert: bool,
) -> Vec<u8> {
    let pixels = frame.rows as usize * frame.columns as usize;
    let modality = |raw: u32| {
        stored_value(raw, frame.bits_stored, frame.signed) as f64 * rescale.slope
            + rescale.intercept
    };
    let window = window.unwrap_or_else(|| min_max_window(frame, pixels, &modality));
    let map = |raw: u32| {
        let v = window.apply(modality(raw), function);
        if invert { 255 - v } else { v }
    };
    match frame.bits_allocated {
        // Up to 16 bits every possible raw word gets one table entry, so each pixel costs a
        // single lookup: this is what keeps a 512×512 CT frame in the low milliseconds.
        8 => {
            let table: Vec<u8> = (0..256u32).map(map).collect();
            frame.data[..pixels]
                .iter()
                .map(|b| table[usize::from(*b)])
                .collect()
        }
        16 => {
            let table: Vec<u8> = (0..65_536u32).map(map).collect();
            frame.data[..pixels * 2]
                .chunks_exact(2)
                .map(|w| table[usize::from(u16::from_le_bytes([w[0], w[1]]))])
                .collect()
        }
        _ => frame.data[..pixels * 4]
            .chunks_exact(4)
            .map(|w| map(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
            .collect(),
    }
}

/// A window spanning the frame's full range of modality values.
fn min_max_window(frame: &DecodedFrame, pixels: usize, modality: &dyn Fn(u32) -> f64) -> Window {
    let step = frame.bits_allocated as usize / 8;
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for chunk in frame.data[..pixels * step].chunks_exact(step) {
        let raw = match step {
            1 => u32::from(chunk[0]),
            2 => u32::from(u16::from_le_bytes([chunk[0], chunk[1]])),
            _ => u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]),
        };
        let v = modality(raw);
        low = low.min(v);
        high = high.max(v);
    }
    if !low.is_finite() {
        return Window {
            center: 0.0,
            width: 1.0,
        };
    }
    Window {
        center: (low + high + 1.0) / 2.0,
        width: (high - low + 1.0).max(1.0),
    }
}
