//! What DICOMweb searches (QIDO-RS) read: the studies a caller might see,
//! with their patient's owner for the policy, and one instance's DICOM
//! JSON per study or series for the study- and series-level attributes.

use cpms_domain::ids::{HcpId, PatientId, UserId};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::StoreError;
use crate::codec::Reader;

/// A study and whose patient it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyOwner {
    pub study_uid: String,
    pub patient: PatientId,
    pub pseudonym: String,
    pub hcp: HcpId,
    pub enrolled_by: UserId,
    pub series_count: i64,
    pub instance_count: i64,
    pub modalities: Vec<String>,
}

/// Studies of patients at the given hospitals, or shared with any panel;
/// the caller's policy decides which of them are visible. With `patient`,
/// only that patient's.
pub async fn candidates(
    conn: &mut AnyConnection,
    hcps: &[HcpId],
    patient: Option<PatientId>,
) -> Result<Vec<StudyOwner>, StoreError> {
    let mut sql = String::from(
        "SELECT s.study_uid, s.patient_id, p.pseudonym, p.hcp_id, p.enrolled_by, \
         s.series_count, s.instance_count, s.modalities \
         FROM imaging_studies s JOIN patients p ON p.id = s.patient_id WHERE (s.study_uid IN \
         (SELECT item FROM panel_shares WHERE kind = 'study')",
    );
    for i in 0..hcps.len() {
        sql.push_str(&format!(" OR p.hcp_id = ${}", i + 1));
    }
    sql.push(')');
    if patient.is_some() {
        sql.push_str(&format!(" AND s.patient_id = ${}", hcps.len() + 1));
    }
    sql.push_str(" ORDER BY s.study_date DESC, s.study_uid");
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for hcp in hcps {
        query = query.bind(hcp.to_string());
    }
    if let Some(patient) = patient {
        query = query.bind(patient.to_string());
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "imaging_studies");
            Ok(StudyOwner {
                study_uid: r.text("study_uid")?,
                patient: r.parsed("patient_id")?,
                pseudonym: r.text("pseudonym")?,
                hcp: r.parsed("hcp_id")?,
                enrolled_by: r.parsed("enrolled_by")?,
                series_count: r.int("series_count")?,
                instance_count: r.int("instance_count")?,
                modalities: r
                    .text("modalities")?
                    .split('\\')
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

/// The DICOM JSON of the first instance of a study, for study-level
/// attributes.
pub async fn first_of_study(
    conn: &mut AnyConnection,
    study_uid: &str,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT metadata FROM imaging_instances WHERE study_uid = $1 \
         ORDER BY series_uid, instance_number, sop_uid LIMIT 1",
    )
    .bind(study_uid.to_owned())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.try_get("metadata")).transpose()?)
}

/// The DICOM JSON of the first instance of each series of a study, with
/// the series' instance count: (series uid, count, metadata).
pub async fn first_of_each_series(
    conn: &mut AnyConnection,
    study_uid: &str,
) -> Result<Vec<(String, i64, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.series_uid, s.instance_count, \
         (SELECT i.metadata FROM imaging_instances i WHERE i.series_uid = s.series_uid \
          ORDER BY i.instance_number, i.sop_uid LIMIT 1) AS metadata \
         FROM imaging_series s WHERE s.study_uid = $1 ORDER BY s.series_number, s.series_uid",
    )
    .bind(study_uid.to_owned())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "imaging_series");
            Ok((
                r.text("series_uid")?,
                r.int("instance_count")?,
                r.opt_text("metadata")?.unwrap_or_default(),
            ))
        })
        .collect()
}
