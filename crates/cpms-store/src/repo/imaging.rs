//! The imaging index: de-identified studies, series and instances of a
//! patient, and the staging journal that makes an upload all-or-nothing
//! across crashes. Every value arriving here is already de-identified.
//!
//! An upload stages each instance's row (committed) before its sealed blob
//! is written, then [`commit_upload`] moves the staged rows into the index
//! in one transaction. Rows still staged belong to an upload that failed or
//! crashed; [`stale_uploads`] finds those for the sweep.

use cpms_domain::ids::{PatientId, UserId};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// One instance ready to index (staged, then moved as is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstance {
    pub blob_id: String,
    pub sop_uid: String,
    pub series_uid: String,
    pub study_uid: String,
    pub sop_class_uid: String,
    pub instance_number: Option<i64>,
    pub rows: Option<i64>,
    pub columns: Option<i64>,
    pub frames: i64,
    pub transfer_syntax: String,
    pub size_bytes: i64,
    pub burned_in: Option<String>,
    /// Complete de-identified DICOM JSON.
    pub metadata: String,
}

/// A study's descriptive attributes, written when it is first indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStudy {
    pub study_uid: String,
    pub patient: PatientId,
    pub study_date: Option<String>,
    pub description: Option<String>,
    pub uploaded_by: UserId,
    pub uploaded_at: Timestamp,
}

/// A series' descriptive attributes, written when it is first indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSeries {
    pub series_uid: String,
    pub study_uid: String,
    pub modality: Option<String>,
    pub series_number: Option<i64>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStudy {
    pub study_uid: String,
    pub patient: PatientId,
    pub study_date: Option<String>,
    pub description: Option<String>,
    /// Distinct modalities of its series.
    pub modalities: Vec<String>,
    pub series_count: i64,
    pub instance_count: i64,
    pub burned_in_count: i64,
    pub uploaded_by: UserId,
    pub uploaded_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSeries {
    pub series_uid: String,
    pub study_uid: String,
    pub modality: Option<String>,
    pub series_number: Option<i64>,
    pub description: Option<String>,
    pub instance_count: i64,
    pub burned_in_count: i64,
}

/// An indexed instance without its metadata (see [`series_metadata`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInstance {
    pub sop_uid: String,
    pub series_uid: String,
    pub study_uid: String,
    pub sop_class_uid: String,
    pub instance_number: Option<i64>,
    pub rows: Option<i64>,
    pub columns: Option<i64>,
    pub frames: i64,
    pub transfer_syntax: String,
    pub size_bytes: i64,
    pub burned_in: Option<String>,
    pub blob_id: String,
}

/// What [`commit_upload`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Committed {
    /// Instances newly indexed.
    pub indexed: u64,
    /// Blobs of staged instances that were indexed meanwhile by another
    /// upload: the caller deletes them, then [`unstage`]s them.
    pub duplicates: Vec<String>,
}

const STAGED_COLUMNS: &str = "blob_id, sop_uid, series_uid, study_uid, sop_class_uid, \
     instance_number, rows_count, columns_count, frames, transfer_syntax, size_bytes, burned_in, \
     metadata";
const STUDY_COLUMNS: &str = "study_uid, patient_id, study_date, description, modalities, \
     series_count, instance_count, burned_in_count, uploaded_by, uploaded_at";
const SERIES_COLUMNS: &str =
    "series_uid, study_uid, modality, series_number, description, instance_count, burned_in_count";
const INSTANCE_COLUMNS: &str = "sop_uid, series_uid, study_uid, sop_class_uid, instance_number, \
     rows_count, columns_count, frames, transfer_syntax, size_bytes, burned_in, blob_id";

/// Opens an upload's journal entry.
pub async fn begin_upload(
    conn: &mut AnyConnection,
    upload: &str,
    patient: PatientId,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO imaging_uploads (id, patient_id, started_at, touched_at) \
         VALUES ($1, $2, $3, $3)",
    )
    .bind(upload.to_owned())
    .bind(patient.to_string())
    .bind(ts(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Stages instances (before their blobs are written) and marks the upload
/// alive.
pub async fn stage(
    conn: &mut AnyConnection,
    upload: &str,
    instances: &[NewInstance],
    now: Timestamp,
) -> Result<(), StoreError> {
    for i in instances {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO imaging_staged (upload_id, {STAGED_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        )))
        .bind(upload.to_owned())
        .bind(i.blob_id.clone())
        .bind(i.sop_uid.clone())
        .bind(i.series_uid.clone())
        .bind(i.study_uid.clone())
        .bind(i.sop_class_uid.clone())
        .bind(i.instance_number)
        .bind(i.rows)
        .bind(i.columns)
        .bind(i.frames)
        .bind(i.transfer_syntax.clone())
        .bind(i.size_bytes)
        .bind(i.burned_in.clone())
        .bind(i.metadata.clone())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE imaging_uploads SET touched_at = $1 WHERE id = $2")
        .bind(ts(now))
        .bind(upload.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether an instance with this (de-identified) UID is indexed already.
pub async fn instance_exists(conn: &mut AnyConnection, sop_uid: &str) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT 1 AS one FROM imaging_instances WHERE sop_uid = $1")
        .bind(sop_uid.to_owned())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// Indexes everything an upload staged, in the caller's transaction:
/// studies and series first seen get their rows, instances already indexed
/// are left alone (idempotent), counts are recomputed, and the indexed
/// rows leave the journal.
pub async fn commit_upload(
    conn: &mut AnyConnection,
    upload: &str,
    studies: &[NewStudy],
    series: &[NewSeries],
) -> Result<Committed, StoreError> {
    for s in studies {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO imaging_studies ({STUDY_COLUMNS}) \
             VALUES ($1, $2, $3, $4, '', 0, 0, 0, $5, $6) ON CONFLICT (study_uid) DO NOTHING"
        )))
        .bind(s.study_uid.clone())
        .bind(s.patient.to_string())
        .bind(s.study_date.clone())
        .bind(s.description.clone())
        .bind(s.uploaded_by.to_string())
        .bind(ts(s.uploaded_at))
        .execute(&mut *conn)
        .await?;
    }
    for s in series {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO imaging_series ({SERIES_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, 0, 0) ON CONFLICT (series_uid) DO NOTHING"
        )))
        .bind(s.series_uid.clone())
        .bind(s.study_uid.clone())
        .bind(s.modality.clone())
        .bind(s.series_number)
        .bind(s.description.clone())
        .execute(&mut *conn)
        .await?;
    }
    // `WHERE` before `ON CONFLICT` keeps SQLite from reading the conflict
    // clause as a join constraint.
    let indexed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO imaging_instances ({INSTANCE_COLUMNS}, metadata) \
         SELECT {INSTANCE_COLUMNS}, metadata FROM imaging_staged WHERE upload_id = $1 \
         ON CONFLICT (sop_uid) DO NOTHING"
    )))
    .bind(upload.to_owned())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    recount(conn, upload).await?;
    sqlx::query(
        "DELETE FROM imaging_staged WHERE upload_id = $1 \
         AND blob_id IN (SELECT blob_id FROM imaging_instances)",
    )
    .bind(upload.to_owned())
    .execute(&mut *conn)
    .await?;
    let duplicates = staged_blobs(conn, upload).await?;
    if duplicates.is_empty() {
        end_upload(conn, upload).await?;
    }
    Ok(Committed {
        indexed,
        duplicates,
    })
}

/// Recomputes the counts and modalities of the series and studies an
/// upload touched.
async fn recount(conn: &mut AnyConnection, upload: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE imaging_series SET \
           instance_count = (SELECT COUNT(*) FROM imaging_instances i \
                             WHERE i.series_uid = imaging_series.series_uid), \
           burned_in_count = (SELECT COUNT(*) FROM imaging_instances i \
                              WHERE i.series_uid = imaging_series.series_uid \
                              AND i.burned_in IS NOT NULL) \
         WHERE series_uid IN (SELECT series_uid FROM imaging_staged WHERE upload_id = $1)",
    )
    .bind(upload.to_owned())
    .execute(&mut *conn)
    .await?;
    let studies: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT study_uid FROM imaging_staged WHERE upload_id = $1 ORDER BY study_uid",
    )
    .bind(upload.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    for study in studies {
        let modalities: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT modality FROM imaging_series \
             WHERE study_uid = $1 AND modality IS NOT NULL ORDER BY modality",
        )
        .bind(study.clone())
        .fetch_all(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE imaging_studies SET modalities = $1, \
               series_count = (SELECT COUNT(*) FROM imaging_series s WHERE s.study_uid = $2), \
               instance_count = (SELECT COUNT(*) FROM imaging_instances i WHERE i.study_uid = $2), \
               burned_in_count = (SELECT COUNT(*) FROM imaging_instances i \
                                  WHERE i.study_uid = $2 AND i.burned_in IS NOT NULL) \
             WHERE study_uid = $2",
        )
        .bind(modalities.join("\\"))
        .bind(study)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The blob ids an upload has staged and not indexed.
pub async fn staged_blobs(
    conn: &mut AnyConnection,
    upload: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT blob_id FROM imaging_staged WHERE upload_id = $1 ORDER BY blob_id",
    )
    .bind(upload.to_owned())
    .fetch_all(conn)
    .await?)
}

/// Removes staged rows whose blobs are gone (deleted after a failure, or
/// indexed under another blob).
pub async fn unstage(conn: &mut AnyConnection, blob_ids: &[String]) -> Result<(), StoreError> {
    for id in blob_ids {
        sqlx::query("DELETE FROM imaging_staged WHERE blob_id = $1")
            .bind(id.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Closes an upload's journal entry (its staged rows must be gone).
pub async fn end_upload(conn: &mut AnyConnection, upload: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM imaging_uploads WHERE id = $1")
        .bind(upload.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Uploads not touched since `cutoff`: failed or crashed, to sweep.
pub async fn stale_uploads(
    conn: &mut AnyConnection,
    cutoff: Timestamp,
) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM imaging_uploads WHERE touched_at < $1 ORDER BY id")
            .bind(ts(cutoff))
            .fetch_all(conn)
            .await?,
    )
}

fn study_from(row: &AnyRow) -> Result<StoredStudy, StoreError> {
    let r = Reader::new(row, "imaging_studies");
    let modalities = r.text("modalities")?;
    Ok(StoredStudy {
        study_uid: r.text("study_uid")?,
        patient: r.parsed("patient_id")?,
        study_date: r.opt_text("study_date")?,
        description: r.opt_text("description")?,
        modalities: modalities
            .split('\\')
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect(),
        series_count: r.int("series_count")?,
        instance_count: r.int("instance_count")?,
        burned_in_count: r.int("burned_in_count")?,
        uploaded_by: r.parsed("uploaded_by")?,
        uploaded_at: r.parsed("uploaded_at")?,
    })
}

fn series_from(row: &AnyRow) -> Result<StoredSeries, StoreError> {
    let r = Reader::new(row, "imaging_series");
    Ok(StoredSeries {
        series_uid: r.text("series_uid")?,
        study_uid: r.text("study_uid")?,
        modality: r.opt_text("modality")?,
        series_number: r.opt_int("series_number")?,
        description: r.opt_text("description")?,
        instance_count: r.int("instance_count")?,
        burned_in_count: r.int("burned_in_count")?,
    })
}

fn instance_from(row: &AnyRow) -> Result<StoredInstance, StoreError> {
    let r = Reader::new(row, "imaging_instances");
    Ok(StoredInstance {
        sop_uid: r.text("sop_uid")?,
        series_uid: r.text("series_uid")?,
        study_uid: r.text("study_uid")?,
        sop_class_uid: r.text("sop_class_uid")?,
        instance_number: r.opt_int("instance_number")?,
        rows: r.opt_int("rows_count")?,
        columns: r.opt_int("columns_count")?,
        frames: r.int("frames")?,
        transfer_syntax: r.text("transfer_syntax")?,
        size_bytes: r.int("size_bytes")?,
        burned_in: r.opt_text("burned_in")?,
        blob_id: r.text("blob_id")?,
    })
}

/// A patient's studies, newest study date first.
pub async fn studies_of_patient(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<Vec<StoredStudy>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {STUDY_COLUMNS} FROM imaging_studies WHERE patient_id = $1 \
         ORDER BY study_date DESC, uploaded_at DESC, study_uid"
    )))
    .bind(patient.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(study_from).collect()
}

/// Every study, by study UID (the DICOMweb root filters them by access).
pub async fn all_studies(conn: &mut AnyConnection) -> Result<Vec<StoredStudy>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {STUDY_COLUMNS} FROM imaging_studies ORDER BY study_uid"
    )))
    .fetch_all(conn)
    .await?;
    rows.iter().map(study_from).collect()
}

pub async fn study(
    conn: &mut AnyConnection,
    study_uid: &str,
) -> Result<Option<StoredStudy>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {STUDY_COLUMNS} FROM imaging_studies WHERE study_uid = $1"
    )))
    .bind(study_uid.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(study_from).transpose()
}

/// A study's series by series number.
pub async fn series_of_study(
    conn: &mut AnyConnection,
    study_uid: &str,
) -> Result<Vec<StoredSeries>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SERIES_COLUMNS} FROM imaging_series WHERE study_uid = $1 \
         ORDER BY series_number, series_uid"
    )))
    .bind(study_uid.to_owned())
    .fetch_all(conn)
    .await?;
    rows.iter().map(series_from).collect()
}

/// A series, only when it belongs to `study_uid`.
pub async fn series(
    conn: &mut AnyConnection,
    study_uid: &str,
    series_uid: &str,
) -> Result<Option<StoredSeries>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SERIES_COLUMNS} FROM imaging_series WHERE series_uid = $1 AND study_uid = $2"
    )))
    .bind(series_uid.to_owned())
    .bind(study_uid.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(series_from).transpose()
}

/// A series' instances by instance number.
pub async fn instances_of_series(
    conn: &mut AnyConnection,
    series_uid: &str,
) -> Result<Vec<StoredInstance>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {INSTANCE_COLUMNS} FROM imaging_instances WHERE series_uid = $1 \
         ORDER BY instance_number, sop_uid"
    )))
    .bind(series_uid.to_owned())
    .fetch_all(conn)
    .await?;
    rows.iter().map(instance_from).collect()
}

/// An instance, only when it belongs to that study and series.
pub async fn instance(
    conn: &mut AnyConnection,
    study_uid: &str,
    series_uid: &str,
    sop_uid: &str,
) -> Result<Option<StoredInstance>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {INSTANCE_COLUMNS} FROM imaging_instances \
         WHERE sop_uid = $1 AND series_uid = $2 AND study_uid = $3"
    )))
    .bind(sop_uid.to_owned())
    .bind(series_uid.to_owned())
    .bind(study_uid.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(instance_from).transpose()
}

/// The DICOM JSON of a series' instances, in instance order.
pub async fn series_metadata(
    conn: &mut AnyConnection,
    series_uid: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT metadata FROM imaging_instances WHERE series_uid = $1 \
         ORDER BY instance_number, sop_uid",
    )
    .bind(series_uid.to_owned())
    .fetch_all(conn)
    .await?)
}

/// The DICOM JSON of a study's instances, series by series.
pub async fn study_metadata(
    conn: &mut AnyConnection,
    study_uid: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT i.metadata FROM imaging_instances i \
         JOIN imaging_series s ON s.series_uid = i.series_uid \
         WHERE s.study_uid = $1 \
         ORDER BY s.series_number, s.series_uid, i.instance_number, i.sop_uid",
    )
    .bind(study_uid.to_owned())
    .fetch_all(conn)
    .await?)
}

/// Erasure: the blobs of a patient's instances (deleted before the rows).
pub async fn blobs_of_patient(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT i.blob_id FROM imaging_instances i \
         JOIN imaging_studies s ON s.study_uid = i.study_uid \
         WHERE s.patient_id = $1 ORDER BY i.blob_id",
    )
    .bind(patient.to_string())
    .fetch_all(conn)
    .await?)
}

/// Erasure: removes a patient's studies, series and instances.
pub async fn delete_of_patient(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<(), StoreError> {
    for table in ["imaging_instances", "imaging_series"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE study_uid IN \
             (SELECT study_uid FROM imaging_studies WHERE patient_id = $1)"
        )))
        .bind(patient.to_string())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM imaging_studies WHERE patient_id = $1")
        .bind(patient.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
