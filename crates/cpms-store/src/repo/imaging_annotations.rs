//! Annotations drawn in the image viewer: lengths, arrows and text on one
//! frame of an instance. The points arrive as JSON text the application
//! has validated; this module stores and lists them with their author.

use cpms_domain::ids::{AnnotationId, PatientId, UserId};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, ts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnnotation {
    pub id: AnnotationId,
    pub study_uid: String,
    pub series_uid: String,
    pub sop_uid: String,
    /// From 1.
    pub frame: i64,
    /// `length`, `arrow` or `text`.
    pub kind: String,
    /// JSON array of `[x, y]` pixel coordinates.
    pub points: String,
    /// Lengths with a known pixel spacing, in micrometres.
    pub length_um: Option<i64>,
    pub label: String,
    pub author: UserId,
    pub created_at: Timestamp,
}

/// A stored annotation with its author's display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnnotation {
    pub annotation: NewAnnotation,
    pub author_name: String,
}

const COLUMNS: &str = "a.id, a.study_uid, a.series_uid, a.sop_uid, a.frame, a.kind, a.points, \
     a.length_um, a.label, a.author_id, a.created_at, u.display_name";

fn annotation_from(row: &AnyRow) -> Result<StoredAnnotation, StoreError> {
    let r = Reader::new(row, "imaging_annotations");
    Ok(StoredAnnotation {
        annotation: NewAnnotation {
            id: r.parsed("id")?,
            study_uid: r.text("study_uid")?,
            series_uid: r.text("series_uid")?,
            sop_uid: r.text("sop_uid")?,
            frame: r.int("frame")?,
            kind: r.text("kind")?,
            points: r.text("points")?,
            length_um: r.opt_int("length_um")?,
            label: r.text("label")?,
            author: r.parsed("author_id")?,
            created_at: r.parsed("created_at")?,
        },
        author_name: r.text("display_name")?,
    })
}

pub async fn insert(conn: &mut AnyConnection, a: &NewAnnotation) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO imaging_annotations (id, study_uid, series_uid, sop_uid, frame, kind, \
         points, length_um, label, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(a.id.to_string())
    .bind(a.study_uid.clone())
    .bind(a.series_uid.clone())
    .bind(a.sop_uid.clone())
    .bind(a.frame)
    .bind(a.kind.clone())
    .bind(a.points.clone())
    .bind(a.length_um)
    .bind(a.label.clone())
    .bind(a.author.to_string())
    .bind(ts(a.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// A study's annotations, oldest first.
pub async fn of_study(
    conn: &mut AnyConnection,
    study_uid: &str,
) -> Result<Vec<StoredAnnotation>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM imaging_annotations a JOIN users u ON u.id = a.author_id \
         WHERE a.study_uid = $1 ORDER BY a.created_at, a.id"
    )))
    .bind(study_uid.to_owned())
    .fetch_all(conn)
    .await?;
    rows.iter().map(annotation_from).collect()
}

/// One annotation, only when it belongs to `study_uid`.
pub async fn get(
    conn: &mut AnyConnection,
    study_uid: &str,
    id: AnnotationId,
) -> Result<Option<StoredAnnotation>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM imaging_annotations a JOIN users u ON u.id = a.author_id \
         WHERE a.id = $1 AND a.study_uid = $2"
    )))
    .bind(id.to_string())
    .bind(study_uid.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(annotation_from).transpose()
}

pub async fn delete(conn: &mut AnyConnection, id: AnnotationId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM imaging_annotations WHERE id = $1")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Erasure: removes the annotations on a patient's studies (before the
/// studies themselves).
pub async fn delete_of_patient(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM imaging_annotations WHERE study_uid IN \
         (SELECT study_uid FROM imaging_studies WHERE patient_id = $1)",
    )
    .bind(patient.to_string())
    .execute(conn)
    .await?;
    Ok(())
}
