//! Turning uploads (a zip, a folder with a DICOMDIR, loose files) into DICOM instances,
//! with limits against zip bombs and a reason for everything skipped.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Component, Path, PathBuf};

use dicom_core::DicomValue;
use dicom_dictionary_std::tags;

use crate::instance::parse_object;
use crate::{DicomError, DicomFile, Limits};

/// Bounds on what one zip upload may expand to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Most entries (files and directories) in the archive.
    pub max_entries: usize,
    /// Most bytes after decompression, all entries together.
    pub max_total_bytes: u64,
    /// Largest decompressed-to-compressed ratio for an entry over 1 MiB.
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_entries: 20_000,
            max_total_bytes: 8 << 30,
            max_ratio: 200,
        }
    }
}

/// Entries smaller than this are not ratio-checked: tiny files compress absurdly well.
const RATIO_FLOOR: u64 = 1 << 20;

/// Why the whole upload was rejected.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The archive cannot be read as a zip file.
    #[error("not a readable zip archive: {0}")]
    Zip(String),
    /// Too many entries.
    #[error("the archive has {actual} entries, more than the limit of {limit}")]
    TooManyEntries {
        /// The limit.
        limit: usize,
        /// Entries in the archive.
        actual: usize,
    },
    /// Decompressed content exceeds the total limit.
    #[error("the archive expands to more than {limit} bytes")]
    TotalTooLarge {
        /// The limit.
        limit: u64,
    },
    /// One entry expands suspiciously far.
    #[error("entry {name} expands {ratio}:1, more than the limit of {limit}:1")]
    CompressionRatio {
        /// Entry name.
        name: String,
        /// Its ratio.
        ratio: u64,
        /// The limit.
        limit: u64,
    },
    /// The DICOMDIR cannot be used.
    #[error("invalid DICOMDIR: {0}")]
    DicomDir(String),
    /// Reading failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// One candidate file of an upload.
#[derive(Debug)]
pub enum UploadItem {
    /// A valid DICOM instance.
    Dicom {
        /// Name within the upload.
        name: String,
        /// The original bytes.
        bytes: Vec<u8>,
        /// The parsed instance.
        file: Box<DicomFile>,
    },
    /// Something that is not a usable instance.
    Skipped {
        /// Name within the upload.
        name: String,
        /// Why, for the uploader.
        reason: String,
    },
}

/// Classifies bytes as a DICOM instance or a skipped file.
pub fn check_bytes(name: String, bytes: Vec<u8>, limits: &Limits) -> UploadItem {
    let has_marker = bytes.get(128..132) == Some(b"DICM") || bytes.get(..4) == Some(b"DICM");
    if !has_marker {
        return UploadItem::Skipped {
            name,
            reason: "not a DICOM file (no DICM marker)".into(),
        };
    }
    let parsed = parse_object(&bytes, limits).and_then(|object| {
        let class = object.meta().media_storage_sop_class_uid();
        if class.trim_end_matches(['\0', ' ']) == MEDIA_STORAGE_DIRECTORY {
            return Ok(None);
        }
        DicomFile::from_parsed(object, limits).map(Some)
    });
    match parsed {
        Ok(Some(file)) => UploadItem::Dicom {
            name,
            bytes,
            file: Box::new(file),
        },
        Ok(None) => UploadItem::Skipped {
            name,
            reason: "DICOMDIR index, not an instance".into(),
        },
        Err(error) => UploadItem::Skipped {
            name,
            reason: error.to_string(),
        },
    }
}

const MEDIA_STORAGE_DIRECTORY: &str = "1.2.840.10008.1.3.10";

/// Reads one loose file (at most `limits.max_file_bytes`) and classifies it.
pub fn check_file(path: &Path, limits: &Limits) -> UploadItem {
    let name = path.display().to_string();
    let read = File::open(path).and_then(|file| {
        let mut bytes = Vec::new();
        file.take(limits.max_file_bytes.saturating_add(1))
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    match read {
        Ok(bytes) if bytes.len() as u64 > limits.max_file_bytes => UploadItem::Skipped {
            name,
            reason: DicomError::TooLarge {
                what: "file size",
                limit: limits.max_file_bytes,
                actual: bytes.len() as u64,
            }
            .to_string(),
        },
        Ok(bytes) => check_bytes(name, bytes, limits),
        Err(error) => UploadItem::Skipped {
            name,
            reason: format!("cannot read: {error}"),
        },
    }
}

/// Iterates the entries of a zip archive as [`UploadItem`]s; directories are passed over.
pub struct ZipDicomFiles<R> {
    archive: zip::ZipArchive<R>,
    next: usize,
    expanded: u64,
    zip_limits: ZipLimits,
    limits: Limits,
}

/// Opens a zip archive for iteration, checking the entry count up front.
pub fn zip_files<R: Read + Seek>(
    reader: R,
    zip_limits: ZipLimits,
    limits: Limits,
) -> Result<ZipDicomFiles<R>, UploadError> {
    let archive = zip::ZipArchive::new(reader).map_err(|e| UploadError::Zip(e.to_string()))?;
    if archive.len() > zip_limits.max_entries {
        return Err(UploadError::TooManyEntries {
            limit: zip_limits.max_entries,
            actual: archive.len(),
        });
    }
    Ok(ZipDicomFiles {
        archive,
        next: 0,
        expanded: 0,
        zip_limits,
        limits,
    })
}

/// Opens a zip archive on disk for iteration.
pub fn zip_files_at(
    path: &Path,
    zip_limits: ZipLimits,
    limits: Limits,
) -> Result<ZipDicomFiles<File>, UploadError> {
    zip_files(File::open(path)?, zip_limits, limits)
}

impl<R: Read + Seek> ZipDicomFiles<R> {
    fn entry(&mut self, index: usize) -> Result<Option<UploadItem>, UploadError> {
        let mut entry = self
            .archive
            .by_index(index)
            .map_err(|e| UploadError::Zip(e.to_string()))?;
        if entry.is_dir() {
            return Ok(None);
        }
        let name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("entry {index}"));
        if entry.enclosed_name().is_none() {
            return Ok(Some(UploadItem::Skipped {
                name,
                reason: "unsafe path in archive".into(),
            }));
        }
        let remaining = self
            .zip_limits
            .max_total_bytes
            .saturating_sub(self.expanded);
        let cap = remaining.min(self.limits.max_file_bytes);
        let compressed = entry.compressed_size().max(1);
        let mut bytes = Vec::new();
        // Declared sizes can lie, so the read itself is capped.
        let read = (&mut entry)
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes);
        if let Err(error) = read {
            return Ok(Some(UploadItem::Skipped {
                name,
                reason: format!("cannot decompress: {error}"),
            }));
        }
        let size = bytes.len() as u64;
        if size > remaining {
            return Err(UploadError::TotalTooLarge {
                limit: self.zip_limits.max_total_bytes,
            });
        }
        let ratio = size / compressed;
        if size > RATIO_FLOOR && ratio > self.zip_limits.max_ratio {
            return Err(UploadError::CompressionRatio {
                name,
                ratio,
                limit: self.zip_limits.max_ratio,
            });
        }
        self.expanded += size;
        if size > self.limits.max_file_bytes {
            return Ok(Some(UploadItem::Skipped {
                name,
                reason: DicomError::TooLarge {
                    what: "file size",
                    limit: self.limits.max_file_bytes,
                    actual: size,
                }
                .to_string(),
            }));
        }
        Ok(Some(check_bytes(name, bytes, &self.limits)))
    }
}

impl<R: Read + Seek> Iterator for ZipDicomFiles<R> {
    type Item = Result<UploadItem, UploadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.archive.len() {
            let index = self.next;
            self.next += 1;
            match self.entry(index) {
                Ok(None) => continue,
                Ok(Some(item)) => return Some(Ok(item)),
                Err(error) => {
                    // A bomb or a broken archive ends the iteration.
                    self.next = self.archive.len();
                    return Some(Err(error));
                }
            }
        }
        None
    }
}

/// The files a DICOMDIR in `folder` references (Referenced File ID of every directory
/// record), resolved against the folder. Components are matched case-insensitively when the
/// exact name does not exist, since media often store lower-case names.
pub fn dicomdir_files(folder: &Path, limits: &Limits) -> Result<Vec<PathBuf>, UploadError> {
    let path = folder.join("DICOMDIR");
    let path = if path.exists() {
        path
    } else {
        folder.join("dicomdir")
    };
    let mut bytes = Vec::new();
    File::open(&path)?
        .take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let object = parse_object(&bytes, limits).map_err(|e| UploadError::DicomDir(e.to_string()))?;
    let records = object
        .element_opt(tags::DIRECTORY_RECORD_SEQUENCE)
        .ok()
        .flatten()
        .ok_or_else(|| UploadError::DicomDir("no Directory Record Sequence".into()))?;
    let DicomValue::Sequence(records) = records.value() else {
        return Err(UploadError::DicomDir(
            "Directory Record Sequence is not a sequence".into(),
        ));
    };
    let mut files = Vec::new();
    for record in records.items() {
        let Some(id) = record.element_opt(tags::REFERENCED_FILE_ID).ok().flatten() else {
            continue;
        };
        let components: Vec<String> = id
            .value()
            .to_multi_str()
            .map(|values| values.to_vec())
            .unwrap_or_default()
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        files.push(resolve(folder, &components)?);
    }
    Ok(files)
}

fn resolve(folder: &Path, components: &[String]) -> Result<PathBuf, UploadError> {
    let mut path = folder.to_path_buf();
    for component in components {
        let single = Path::new(component).components().collect::<Vec<_>>();
        if !matches!(single.as_slice(), [Component::Normal(_)]) {
            return Err(UploadError::DicomDir(format!(
                "referenced file component {component:?} leaves the folder"
            )));
        }
        let exact = path.join(component);
        path = if exact.exists() {
            exact
        } else {
            let lower = path.join(component.to_lowercase());
            if lower.exists() { lower } else { exact }
        };
    }
    Ok(path)
}
