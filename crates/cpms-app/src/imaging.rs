//! DICOM studies on a patient record (issue 6): uploads de-identified on
//! the way in, sealed into the blob store and indexed study → series →
//! instance with each instance's complete de-identified DICOM JSON; reads
//! for the record's owners and for panels that share a study.
//!
//! The byte work (parsing under limits, PS3.15 de-identification, rendering)
//! is `cpms-dicom`'s; this module decides who may, keys the
//! de-identification per patient, keeps uploads all-or-nothing and audits.

mod access;
mod annotations;
mod ingest;
mod keys;
mod read;
mod render;
mod search;
mod source;
mod stack;
mod sweep;

pub use annotations::{Annotation, AnnotationDraft, AnnotationKind};
pub use cpms_dicom::Limits;
pub use cpms_dicom::calibration::{PixelSpacing, SpacingSource};
pub use cpms_dicom::qido::{Level as QidoLevel, Query as QidoQuery, QueryError, parse_query};
pub use cpms_dicom::render::{OutputFormat, OutputSize, Window, WindowChoice, WindowPreset};
pub use cpms_dicom::upload::ZipLimits;
pub use ingest::{BurnedInWarning, IngestReport, IngestedInstance, SkippedFile};
pub use read::{Series, Study, StudyDetail};
pub use render::{RenderRequest, Rendered};
pub use search::{SearchHit, SearchScope};
pub use source::{IngestSource, StagedFile};
pub use stack::StackInstance;

/// Limits and de-identification options of study uploads.
#[derive(Debug, Clone)]
pub struct ImagingSettings {
    /// Per-file limits: size, rows × columns × frames × samples × bits.
    pub limits: Limits,
    /// Per-archive limits: entries, decompressed size, compression ratio.
    pub zip: ZipLimits,
    /// Most files (loose or in archives) in one upload.
    pub max_files: usize,
    /// Most bytes in one upload, after decompression.
    pub max_total_bytes: u64,
    /// Secret behind the UID replacement; mixed with the patient's id, so
    /// the same study gets the same UIDs on one record and other UIDs on
    /// another.
    pub uid_key: [u8; 32],
    /// Retain Longitudinal Temporal Information: shift dates by a
    /// per-patient number of days instead of removing them.
    pub retain_dates: bool,
    /// Retain Device Identity (station name, serial numbers).
    pub retain_device_identity: bool,
    /// Where the web layer streams uploads before they are read: the raw
    /// files still carry identity, so each upload's folder is removed when
    /// it is done and the sweep removes what a crash left.
    pub staging_dir: std::path::PathBuf,
}

impl ImagingSettings {
    /// The default limits with this UID key; dates removed, device identity
    /// removed.
    pub fn new(uid_key: [u8; 32], staging_dir: std::path::PathBuf) -> Self {
        Self {
            limits: Limits::default(),
            zip: ZipLimits::default(),
            max_files: 20_000,
            max_total_bytes: 8 << 30,
            uid_key,
            retain_dates: false,
            retain_device_identity: false,
            staging_dir,
        }
    }
}
