//! All DICOM byte work for ERN-CPMS: parsing untrusted Part 10 files under limits,
//! PS3.15 de-identification, frame rendering, DICOM JSON and QIDO matching,
//! multipart/related for DICOMweb, upload helpers and synthetic test data.
//!
//! The crate knows nothing about patients, panels or storage.

mod attrs;
pub mod calibration;
pub mod deid;
mod error;
mod instance;
pub mod json;
mod limits;
pub mod multipart;
pub mod qido;
pub mod render;
mod scan;
mod summary;
pub mod synth;
pub mod upload;

pub use error::{DicomError, RenderError};
pub use instance::{DicomFile, ImageGeometry, syntax};
pub use limits::Limits;
pub use summary::InstanceSummary;
