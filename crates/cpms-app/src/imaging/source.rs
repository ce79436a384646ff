//! Reading an upload one file at a time, on a blocking thread: loose files
//! and zip archives (detected by content) or a folder with a DICOMDIR;
//! each DICOM file is parsed under the limits and de-identified at once,
//! so the original header never leaves this thread and memory holds only
//! the files in flight.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use cpms_dicom::InstanceSummary;
use cpms_dicom::deid::{self, DeidOptions, Deidentified};
use cpms_dicom::upload::{self, UploadItem};
use tokio::sync::mpsc;

use super::ImagingSettings;
use super::ingest::SkippedFile;
use crate::AppError;

/// A file the web layer has already streamed to disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// The name the uploader gave it (shown in messages, never stored).
    pub name: String,
    pub path: PathBuf,
}

/// What one upload holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestSource {
    /// Loose files and zip archives (recognised by their content), as a
    /// multi-file or folder upload sends them; DICOMDIR index files and
    /// other non-DICOM files are passed over with a reason.
    Files(Vec<StagedFile>),
    /// A folder on the server holding a DICOMDIR: the files it references.
    Folder(PathBuf),
}

/// One step of reading an upload.
pub(super) enum Produced {
    Instance(Box<Prepared>),
    Skipped(SkippedFile),
}

/// A de-identified instance and the name it came under.
pub(super) struct Prepared {
    pub name: String,
    pub instance: Deidentified,
}

type Outbox = mpsc::Sender<Result<Produced, AppError>>;

/// Reads `source` and sends each result; stops at the first fatal error or
/// when the receiver has gone (the upload failed elsewhere).
pub(super) fn produce(
    source: IngestSource,
    settings: &ImagingSettings,
    options: &DeidOptions,
    out: &Outbox,
) {
    let mut reader = Reader {
        settings,
        options,
        out,
        files: 0,
        bytes: 0,
    };
    if let Err(err) = reader.read(source) {
        // The receiver may be gone already; then nobody needs the error.
        let _ = out.blocking_send(Err(err));
    }
}

struct Reader<'a> {
    settings: &'a ImagingSettings,
    options: &'a DeidOptions,
    out: &'a Outbox,
    files: usize,
    bytes: u64,
}

/// The receiver is gone: stop quietly.
struct Stopped;

impl Reader<'_> {
    fn read(&mut self, source: IngestSource) -> Result<(), AppError> {
        match source {
            IngestSource::Files(files) => {
                self.check_loose(&files)?;
                for file in files {
                    if self.file(&file)?.is_err() {
                        return Ok(());
                    }
                }
            }
            IngestSource::Folder(folder) => {
                let paths = upload::dicomdir_files(&folder, &self.settings.limits)
                    .map_err(|e| AppError::invalid(format!("{e}. Nothing was stored.")))?;
                for path in paths {
                    let file = StagedFile {
                        name: relative_name(&folder, &path),
                        path,
                    };
                    if self.file(&file)?.is_err() {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    /// Refuses at once an upload whose file count or size is already over
    /// the limits, before any work.
    fn check_loose(&self, files: &[StagedFile]) -> Result<(), AppError> {
        if files.len() > self.settings.max_files {
            return Err(too_many_files(self.settings.max_files));
        }
        let total: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(&f.path).ok())
            .map(|m| m.len())
            .sum();
        if total > self.settings.max_total_bytes {
            return Err(too_large(self.settings.max_total_bytes));
        }
        Ok(())
    }

    fn file(&mut self, file: &StagedFile) -> Result<Result<(), Stopped>, AppError> {
        if is_zip(&file.path) {
            let entries =
                upload::zip_files_at(&file.path, self.settings.zip, self.settings.limits.clone())
                    .map_err(|e| fatal(&file.name, &e))?;
            for entry in entries {
                let item = entry.map_err(|e| fatal(&file.name, &e))?;
                if self.item(item, Some(&file.name))?.is_err() {
                    return Ok(Err(Stopped));
                }
            }
            Ok(Ok(()))
        } else {
            let mut item = upload::check_file(&file.path, &self.settings.limits);
            rename(&mut item, &file.name);
            self.item(item, None)
        }
    }

    fn item(
        &mut self,
        item: UploadItem,
        archive: Option<&str>,
    ) -> Result<Result<(), Stopped>, AppError> {
        let named = |name: &str| match archive {
            Some(zip) => format!("{zip}: {name}"),
            None => name.to_owned(),
        };
        self.files += 1;
        if self.files > self.settings.max_files {
            return Err(too_many_files(self.settings.max_files));
        }
        let produced = match item {
            UploadItem::Skipped { name, reason } if harmless(&reason) => {
                Produced::Skipped(SkippedFile {
                    name: named(&name),
                    reason,
                })
            }
            UploadItem::Skipped { name, reason } => {
                return Err(fatal(&named(&name), &reason));
            }
            UploadItem::Dicom { name, bytes, file } => {
                self.bytes += bytes.len() as u64;
                if self.bytes > self.settings.max_total_bytes {
                    return Err(too_large(self.settings.max_total_bytes));
                }
                drop(bytes);
                let name = named(&name);
                let base = bulk_base(&InstanceSummary::of(&file), self.options);
                let instance = deid::deidentify(*file, self.options, &mut |bulk| {
                    format!("{base}/bulk/{}", bulk.path)
                })
                .map_err(|e| fatal(&name, &format!("cannot be de-identified: {e}")))?;
                Produced::Instance(Box::new(Prepared { name, instance }))
            }
        };
        Ok(self.out.blocking_send(Ok(produced)).map_err(|_| Stopped))
    }
}

/// Where DICOMweb serves an instance's bulk data, under its de-identified
/// UIDs (computed as de-identification will).
fn bulk_base(original: &InstanceSummary, options: &DeidOptions) -> String {
    let uid = |u: &str| deid::replace_uid(&options.uid_key, u);
    format!(
        "/dicomweb/studies/{}/series/{}/instances/{}",
        uid(&original.study_instance_uid),
        uid(&original.series_instance_uid),
        uid(&original.sop_instance_uid)
    )
}

/// Files that are simply not instances (an index, a read-me) are passed
/// over; anything that claims to be DICOM and fails is fatal.
fn harmless(reason: &str) -> bool {
    reason.starts_with("not a DICOM file") || reason.starts_with("DICOMDIR index")
}

fn rename(item: &mut UploadItem, to: &str) {
    match item {
        UploadItem::Dicom { name, .. } | UploadItem::Skipped { name, .. } => *name = to.to_owned(),
    }
}

fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

fn relative_name(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn fatal(name: &str, reason: &dyn std::fmt::Display) -> AppError {
    AppError::invalid(format!("{name}: {reason}. Nothing was stored."))
}

fn too_many_files(limit: usize) -> AppError {
    AppError::invalid(format!(
        "The upload holds more than {limit} files, the limit for one upload. Nothing was stored."
    ))
}

fn too_large(limit: u64) -> AppError {
    AppError::invalid(format!(
        "The upload is larger than {} MiB, the limit for one upload. Nothing was stored.",
        limit >> 20
    ))
}
