//! Error types shared by the parsing, de-identification and rendering paths.

/// Why a byte stream could not be accepted as a DICOM instance.
#[derive(Debug, thiserror::Error)]
pub enum DicomError {
    /// The input does not carry the Part 10 `DICM` marker or meta group.
    #[error("not a DICOM Part 10 file: {0}")]
    NotDicom(String),
    /// The input ends before a structure it announces is complete.
    #[error("DICOM data is truncated: {0}")]
    Truncated(String),
    /// A configured limit was exceeded.
    #[error("{what} is too large: {actual} exceeds the limit of {limit}")]
    TooLarge {
        /// What was measured (file size, rows, frames, ...).
        what: &'static str,
        /// The configured limit.
        limit: u64,
        /// The measured value.
        actual: u64,
    },
    /// The structure is inconsistent (bad lengths, unexpected tags, bad values).
    #[error("malformed DICOM: {0}")]
    Malformed(String),
    /// A required attribute is absent or empty; holds the attribute keyword.
    #[error("missing required attribute {0}")]
    MissingAttribute(&'static str),
    /// The transfer syntax is unknown or cannot be read.
    #[error("unsupported transfer syntax {0}")]
    UnsupportedTransferSyntax(String),
    /// The data set could not be written back to bytes.
    #[error("could not encode DICOM: {0}")]
    Encode(String),
    /// Reading from the source failed.
    #[error("I/O error while reading DICOM: {0}")]
    Io(#[from] std::io::Error),
}

/// Why a frame could not be rendered to an image.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The instance has no Pixel Data element.
    #[error("the instance has no pixel data")]
    NoPixelData,
    /// The requested frame does not exist.
    #[error("frame {frame} requested but the instance has {frames} frame(s)")]
    FrameOutOfRange {
        /// Requested zero-based frame index.
        frame: u32,
        /// Number of frames in the instance.
        frames: u32,
    },
    /// The pixel encoding or codec is not supported, or the codec rejected the data.
    #[error("cannot decode this frame: {reason}")]
    Unsupported {
        /// Human-readable cause.
        reason: String,
    },
    /// Image attributes are inconsistent with the pixel data.
    #[error("inconsistent image attributes: {0}")]
    Malformed(String),
    /// The requested output size is unusable.
    #[error("invalid output size: {0}")]
    InvalidSize(String),
    /// The PNG or JPEG encoder failed.
    #[error("could not encode the rendered image: {0}")]
    Encode(String),
}
