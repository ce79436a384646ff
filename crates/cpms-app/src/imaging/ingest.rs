//! Storing an upload: all or nothing, crash-safe, idempotent.
//!
//! A blocking thread reads and de-identifies the files (`source`); this
//! side takes them in batches: it journals the batch's rows in
//! `imaging_staged` (committed) and only then writes their sealed blobs,
//! so every blob on disk is named in the journal. When the whole upload has
//! been read, one transaction moves the staged rows into the index and
//! writes the audit event. A failure deletes what was staged; a crash
//! leaves it to the sweep. Instances already indexed (same de-identified
//! UIDs) are counted and not written again.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use cpms_dicom::deid::BurnedInReason;
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::policy::Action;
use cpms_store::repo::audit;
use cpms_store::repo::imaging::{self as repo, NewInstance, NewSeries, NewStudy};
use cpms_store::repo::patients::StoredPatient;
use tokio::sync::mpsc;

use super::keys::deid_options;
use super::source::{self, IngestSource, Prepared, Produced, StagedFile};
use crate::attachments::BlobId;
use crate::patients::editable;
use crate::{App, AppError, Caller};

/// A batch is staged and written once it holds this many instances…
const BATCH_INSTANCES: usize = 32;
/// …or this many de-identified bytes, which bounds memory per upload.
const BATCH_BYTES: usize = 64 << 20;

/// What an upload stored, for the uploader.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IngestReport {
    /// De-identified Study Instance UIDs the upload holds.
    pub studies: Vec<String>,
    /// Series the upload holds.
    pub series: usize,
    /// Instances newly stored.
    pub stored: u64,
    /// Instances that were stored before (same de-identified UIDs).
    pub already_present: u64,
    /// Instances whose pixels may show identifying text.
    pub burned_in: Vec<BurnedInWarning>,
    /// Files that are not DICOM instances, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// Every instance the upload holds (stored now or before), under its
    /// de-identified UIDs: the STOW-RS response lists them.
    pub instances: Vec<IngestedInstance>,
}

/// An instance of an upload, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestedInstance {
    pub study_uid: String,
    pub series_uid: String,
    pub sop_uid: String,
    pub sop_class_uid: String,
}

/// An instance whose pixels may show identifying text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BurnedInWarning {
    /// The file it came from.
    pub file: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    pub name: String,
    pub reason: String,
}

/// The instances read but not yet staged.
#[derive(Default)]
struct Batch {
    rows: Vec<NewInstance>,
    bytes: Vec<Vec<u8>>,
    size: usize,
}

/// What the upload has gathered so far.
struct Gathered {
    studies: BTreeMap<String, NewStudy>,
    series: BTreeMap<String, NewSeries>,
    seen: HashSet<String>,
    report: IngestReport,
}

impl App {
    /// Stores a study upload on the record: every DICOM file de-identified,
    /// sealed and indexed, or nothing at all. Needs the right to change the
    /// record.
    pub async fn ingest_study(
        &self,
        caller: &Caller,
        pseudonym: &str,
        source: IngestSource,
    ) -> Result<IngestReport, AppError> {
        let patient = self
            .authorized_patient(caller, pseudonym, Action::EditRecord)
            .await?;
        editable(&patient)?;
        let upload = BlobId::new().as_str().to_owned();
        let mut tx = self.store().write().await?;
        repo::begin_upload(&mut tx, &upload, patient.id, self.now()).await?;
        tx.commit().await?;
        match self.run_upload(caller, &patient, &upload, source).await {
            Ok(report) => Ok(report),
            Err(err) => {
                if let Err(cleanup) = self.abandon_upload(&upload).await {
                    // The sweep finishes the job later.
                    tracing::warn!(%upload, error = %cleanup.message, "abandoning an upload failed");
                }
                Err(err)
            }
        }
    }

    /// STOW-RS and other callers with loose files already on disk: the same
    /// path as [`App::ingest_study`].
    pub async fn ingest_instances(
        &self,
        caller: &Caller,
        pseudonym: &str,
        files: Vec<PathBuf>,
    ) -> Result<IngestReport, AppError> {
        let files = files
            .into_iter()
            .map(|path| StagedFile {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
            })
            .collect();
        self.ingest_study(caller, pseudonym, IngestSource::Files(files))
            .await
    }

    async fn run_upload(
        &self,
        caller: &Caller,
        patient: &StoredPatient,
        upload: &str,
        source: IngestSource,
    ) -> Result<IngestReport, AppError> {
        let settings = self.settings().imaging.clone();
        let options = deid_options(&settings, patient.id, &patient.pseudonym.to_string());
        // A small channel: the reader stays at most two files ahead.
        let (out, mut items) = mpsc::channel(2);
        let reader = tokio::task::spawn_blocking(move || {
            source::produce(source, &settings, &options, &out);
        });
        let mut gathered = Gathered {
            studies: BTreeMap::new(),
            series: BTreeMap::new(),
            seen: HashSet::new(),
            report: IngestReport::default(),
        };
        let mut batch = Batch::default();
        while let Some(item) = items.recv().await {
            match item? {
                Produced::Skipped(skipped) => gathered.report.skipped.push(skipped),
                Produced::Instance(prepared) => {
                    self.gather(caller, patient, &mut gathered, &mut batch, *prepared)?;
                    if batch.rows.len() >= BATCH_INSTANCES || batch.size >= BATCH_BYTES {
                        self.stage(upload, &mut batch, &mut gathered.report).await?;
                    }
                }
            }
        }
        reader.await.map_err(AppError::internal)?;
        self.stage(upload, &mut batch, &mut gathered.report).await?;
        if gathered.seen.is_empty() {
            return Err(AppError::invalid(
                "The upload holds no DICOM instances. Nothing was stored.",
            ));
        }
        self.index(caller, patient, upload, gathered).await
    }

    /// Notes an instance's study and series and queues it for staging.
    fn gather(
        &self,
        caller: &Caller,
        patient: &StoredPatient,
        gathered: &mut Gathered,
        batch: &mut Batch,
        prepared: Prepared,
    ) -> Result<(), AppError> {
        let Prepared { name, instance } = prepared;
        let summary = &instance.summary;
        if let Some(reason) = &instance.burned_in {
            gathered.report.burned_in.push(BurnedInWarning {
                file: name,
                reason: burned_in_text(reason),
            });
        }
        if !gathered.seen.insert(summary.sop_instance_uid.clone()) {
            // The same instance twice in one upload.
            gathered.report.already_present += 1;
            return Ok(());
        }
        gathered.report.instances.push(IngestedInstance {
            study_uid: summary.study_instance_uid.clone(),
            series_uid: summary.series_instance_uid.clone(),
            sop_uid: summary.sop_instance_uid.clone(),
            sop_class_uid: summary.sop_class_uid.clone(),
        });
        gathered
            .studies
            .entry(summary.study_instance_uid.clone())
            .or_insert_with(|| NewStudy {
                study_uid: summary.study_instance_uid.clone(),
                patient: patient.id,
                study_date: summary.study_date.clone(),
                description: summary.study_description.clone(),
                uploaded_by: caller.user.id,
                uploaded_at: self.now(),
            });
        gathered
            .series
            .entry(summary.series_instance_uid.clone())
            .or_insert_with(|| NewSeries {
                series_uid: summary.series_instance_uid.clone(),
                study_uid: summary.study_instance_uid.clone(),
                modality: summary.modality.clone(),
                series_number: summary.series_number,
                description: summary.series_description.clone(),
            });
        let size = instance.bytes.len();
        batch.rows.push(NewInstance {
            blob_id: BlobId::new().as_str().to_owned(),
            sop_uid: summary.sop_instance_uid.clone(),
            series_uid: summary.series_instance_uid.clone(),
            study_uid: summary.study_instance_uid.clone(),
            sop_class_uid: summary.sop_class_uid.clone(),
            instance_number: summary.instance_number,
            rows: summary.rows.map(i64::from),
            columns: summary.columns.map(i64::from),
            frames: i64::from(summary.frames),
            transfer_syntax: summary.transfer_syntax.clone(),
            size_bytes: i64::try_from(size).map_err(AppError::internal)?,
            burned_in: instance.burned_in.as_ref().map(burned_in_text),
            metadata: instance.json.to_string(),
        });
        batch.bytes.push(instance.bytes);
        batch.size += size;
        Ok(())
    }

    /// Journals the batch's new instances, then writes their sealed blobs.
    async fn stage(
        &self,
        upload: &str,
        batch: &mut Batch,
        report: &mut IngestReport,
    ) -> Result<(), AppError> {
        let Batch { rows, bytes, .. } = std::mem::take(batch);
        let mut conn = self.store().read().await?;
        let mut new = Vec::with_capacity(rows.len());
        for (row, bytes) in rows.into_iter().zip(bytes) {
            if repo::instance_exists(&mut conn, &row.sop_uid).await? {
                report.already_present += 1;
            } else {
                new.push((row, bytes));
            }
        }
        drop(conn);
        if new.is_empty() {
            return Ok(());
        }
        let rows: Vec<NewInstance> = new.iter().map(|(row, _)| row.clone()).collect();
        let mut tx = self.store().write().await?;
        repo::stage(&mut tx, upload, &rows, self.now()).await?;
        tx.commit().await?;
        for (row, bytes) in new {
            self.blobs()
                .put_as(&BlobId::parse(&row.blob_id)?, &bytes)
                .await?;
        }
        Ok(())
    }

    /// Moves the staged rows into the index with the audit event, in one
    /// transaction; then removes blobs another upload indexed first.
    async fn index(
        &self,
        caller: &Caller,
        patient: &StoredPatient,
        upload: &str,
        gathered: Gathered,
    ) -> Result<IngestReport, AppError> {
        let Gathered {
            studies,
            series,
            mut report,
            ..
        } = gathered;
        let new_studies: Vec<NewStudy> = studies.into_values().collect();
        let new_series: Vec<NewSeries> = series.into_values().collect();
        let mut tx = self.store().write().await?;
        let committed = repo::commit_upload(&mut tx, upload, &new_studies, &new_series).await?;
        report.stored = committed.indexed;
        report.already_present += committed.duplicates.len() as u64;
        report.studies = new_studies.iter().map(|s| s.study_uid.clone()).collect();
        report.series = new_series.len();
        let event = NewEvent::new(
            "imaging.upload",
            format!("patient:{}", patient.id),
            Outcome::Success,
        )
        .by(caller.user.id)
        .on_behalf_of(caller.clinician_acted_for())
        .from_addr(caller.client.addr.clone())
        .detail(format!(
            "{} instance(s) stored, {} already present, in {} study(ies): {}",
            report.stored,
            report.already_present,
            report.studies.len(),
            report.studies.join(" ")
        ));
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        if !committed.duplicates.is_empty() {
            self.remove_staged(upload, &committed.duplicates).await?;
        }
        Ok(report)
    }

    /// Deletes everything an upload staged: blobs first, then their rows,
    /// then the upload's journal entry.
    pub(super) async fn abandon_upload(&self, upload: &str) -> Result<(), AppError> {
        let mut conn = self.store().read().await?;
        let staged = repo::staged_blobs(&mut conn, upload).await?;
        drop(conn);
        self.remove_staged(upload, &staged).await
    }

    async fn remove_staged(&self, upload: &str, blobs: &[String]) -> Result<(), AppError> {
        for id in blobs {
            self.blobs().delete(&BlobId::parse(id)?).await?;
        }
        let mut tx = self.store().write().await?;
        repo::unstage(&mut tx, blobs).await?;
        repo::end_upload(&mut tx, upload).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn burned_in_text(reason: &BurnedInReason) -> String {
    match reason {
        BurnedInReason::BurnedInAnnotationFlag => {
            "Burned In Annotation is YES: the pixels may show identifying text".into()
        }
        BurnedInReason::TypicallyBurnedInSopClass { sop_class_uid } => format!(
            "SOP class {sop_class_uid} is typically a screen capture: the pixels may show identifying text"
        ),
    }
}
