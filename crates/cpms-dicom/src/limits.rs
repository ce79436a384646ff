//! Resource limits applied while parsing untrusted DICOM input.

/// Upper bounds for everything an input can make us allocate or walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input (and largest inflated data set for deflated syntaxes).
    pub max_file_bytes: u64,
    /// Largest Rows value.
    pub max_rows: u32,
    /// Largest Columns value.
    pub max_columns: u32,
    /// Largest Number of Frames.
    pub max_frames: u32,
    /// Largest Samples per Pixel.
    pub max_samples_per_pixel: u16,
    /// Largest Bits Allocated.
    pub max_bits_allocated: u16,
    /// Largest decoded pixel payload: rows × columns × frames × samples × bytes per sample.
    pub max_pixel_bytes: u64,
    /// Deepest sequence nesting accepted.
    pub max_sequence_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_rows: 16_384,
            max_columns: 16_384,
            max_frames: 10_000,
            max_samples_per_pixel: 4,
            max_bits_allocated: 32,
            max_pixel_bytes: 2 << 30,
            max_sequence_depth: 16,
        }
    }
}

impl Limits {
    /// Returns `TooLarge` when `actual` exceeds `limit`.
    pub(crate) fn check(
        what: &'static str,
        limit: u64,
        actual: u64,
    ) -> Result<(), crate::DicomError> {
        if actual > limit {
            return Err(crate::DicomError::TooLarge {
                what,
                limit,
                actual,
            });
        }
        Ok(())
    }
}
