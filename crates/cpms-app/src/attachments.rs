//! Files attached to a record (reports, images, signed consent forms):
//! checked on the way in and kept encrypted in a blob store.
//!
//! An upload is refused when it is too large or when its bytes are not
//! what its declared type says; metadata that can identify the patient or
//! place them (EXIF/GPS in photos, the author of a PDF) is stripped unless
//! the uploader asks to keep it. Names offered for download are made safe.

mod blob;
mod name;
mod on_record;
mod rotate;
mod scrub;
mod sealed;
mod sniff;

pub use blob::{BlobFuture, BlobId, BlobStore, FsBlobStore};
pub use name::safe_file_name;
pub(crate) use on_record::insert_attachment;
pub use on_record::{Attachment, AttachmentKind, Upload};
pub use sealed::SealedBlobs;
pub use sniff::MediaType;

use crate::AppError;

/// An upload that passed the checks, ready to be sealed and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUpload {
    pub file_name: String,
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
}

/// Checks an upload: size, declared type against content, metadata.
pub fn check_upload(
    file_name: &str,
    declared_type: &str,
    bytes: Vec<u8>,
    max_bytes: usize,
    keep_metadata: bool,
) -> Result<CheckedUpload, AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid("The file is empty."));
    }
    if bytes.len() > max_bytes {
        return Err(AppError::invalid(format!(
            "The file is {} KiB; the limit is {} KiB.",
            bytes.len().div_ceil(1024),
            max_bytes / 1024
        )));
    }
    let declared = MediaType::from_mime(declared_type).ok_or_else(|| {
        AppError::invalid(format!(
            "Files of type {declared_type:?} cannot be attached; use PDF, PNG or JPEG."
        ))
    })?;
    let sniffed = MediaType::sniff(&bytes);
    if sniffed != Some(declared) {
        return Err(AppError::invalid(format!(
            "The file is declared as {} but its content is {}.",
            declared.label(),
            sniffed.map_or("not a supported type", MediaType::label)
        )));
    }
    let bytes = if keep_metadata {
        bytes
    } else {
        scrub::strip_metadata(declared, bytes)
    };
    Ok(CheckedUpload {
        file_name: safe_file_name(file_name, declared),
        media_type: declared,
        bytes,
    })
}

#[cfg(test)]
mod tests;
