//! Metadata of files attached to a record. The bytes are in the blob store;
//! the file name arrives here sealed.

use cpms_domain::ids::{PatientId, UserId};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, flag, ts};

/// One attachment as stored; `id` is also the blob's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttachment {
    pub id: String,
    pub patient: PatientId,
    /// `document` or `signed_consent`.
    pub kind: String,
    pub file_name_sealed: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub metadata_kept: bool,
    pub uploaded_by: UserId,
    pub uploaded_at: Timestamp,
}

const COLUMNS: &str = "id, patient_id, kind, file_name_sealed, media_type, size_bytes, \
     metadata_kept, uploaded_by, uploaded_at";

fn attachment_from(row: &AnyRow) -> Result<StoredAttachment, StoreError> {
    let r = Reader::new(row, "attachments");
    Ok(StoredAttachment {
        id: r.text("id")?,
        patient: r.parsed("patient_id")?,
        kind: r.text("kind")?,
        file_name_sealed: r.text("file_name_sealed")?,
        media_type: r.text("media_type")?,
        size_bytes: r.int("size_bytes")?,
        metadata_kept: r.flag("metadata_kept")?,
        uploaded_by: r.parsed("uploaded_by")?,
        uploaded_at: r.parsed("uploaded_at")?,
    })
}

pub async fn insert(conn: &mut AnyConnection, a: &StoredAttachment) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO attachments ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )))
    .bind(a.id.clone())
    .bind(a.patient.to_string())
    .bind(a.kind.clone())
    .bind(a.file_name_sealed.clone())
    .bind(a.media_type.clone())
    .bind(a.size_bytes)
    .bind(flag(a.metadata_kept))
    .bind(a.uploaded_by.to_string())
    .bind(ts(a.uploaded_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// A patient's attachments, oldest first.
pub async fn of_patient(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<Vec<StoredAttachment>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE patient_id = $1 ORDER BY uploaded_at, id"
    )))
    .bind(patient.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(attachment_from).collect()
}

/// One attachment of one patient (`None` when the id belongs to no
/// attachment of theirs).
pub async fn get(
    conn: &mut AnyConnection,
    patient: PatientId,
    id: &str,
) -> Result<Option<StoredAttachment>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE patient_id = $1 AND id = $2"
    )))
    .bind(patient.to_string())
    .bind(id.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(attachment_from).transpose()
}

/// Erasure: every attachment row of the patient goes.
pub async fn delete_of_patient(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM attachments WHERE patient_id = $1")
        .bind(patient.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Key rotation: attachments after `after` (by id), with their sealed
/// names, `limit` at a time.
pub async fn sealed_names(
    conn: &mut AnyConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<StoredAttachment>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE id > $1 ORDER BY id LIMIT $2"
    )))
    .bind(after.unwrap_or_default().to_owned())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(attachment_from).collect()
}

/// Key rotation: replaces an attachment's sealed file name.
pub async fn set_name_sealed(
    conn: &mut AnyConnection,
    id: &str,
    sealed: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE attachments SET file_name_sealed = $1 WHERE id = $2")
        .bind(sealed.to_owned())
        .bind(id.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}
