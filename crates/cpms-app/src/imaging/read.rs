//! Reading studies: lists for the record, a study's series, DICOM JSON
//! metadata (from the index, never from the files) and instance bytes.
//! Every read is audited against the patient.

use cpms_domain::policy::Action;
use cpms_store::repo::imaging::{self as repo, StoredInstance, StoredSeries, StoredStudy};
use cpms_store::repo::patients;

use super::access::Visible;
use crate::attachments::BlobId;
use crate::{App, AppError, Caller};

/// A study as listed on the record or a panel page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Study {
    /// De-identified Study Instance UID.
    pub study_uid: String,
    /// The record's pseudonym.
    pub pseudonym: String,
    /// `YYYYMMDD` as de-identified (shifted, or absent when dates are
    /// removed).
    pub study_date: Option<String>,
    pub description: Option<String>,
    pub modalities: Vec<String>,
    pub series_count: i64,
    pub instance_count: i64,
    /// Instances whose pixels may show identifying text.
    pub burned_in_count: i64,
    pub uploaded_at: jiff::Timestamp,
}

impl Study {
    /// The study's description, or its modalities when the description was
    /// removed by de-identification.
    pub fn title(&self) -> String {
        match &self.description {
            Some(description) => description.clone(),
            None if self.modalities.is_empty() => "Imaging study".to_owned(),
            None => format!("{} study", self.modalities.join("/")),
        }
    }

    /// The study date as `YYYY-MM-DD`, when it has one.
    pub fn date(&self) -> Option<String> {
        let d = self.study_date.as_deref()?;
        (d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
    }
}

/// A series of a study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub series_uid: String,
    pub modality: Option<String>,
    pub series_number: Option<i64>,
    pub description: Option<String>,
    pub instance_count: i64,
    pub burned_in_count: i64,
    /// The middle instance, which thumbnails and previews show.
    pub key_instance: Option<String>,
}

/// A study with its series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyDetail {
    pub study: Study,
    pub series: Vec<Series>,
    /// The panel the caller sees it through, when not the record's owner.
    pub via_panel: Option<String>,
}

impl App {
    /// The studies on a record, newest first.
    pub async fn patient_studies(
        &self,
        caller: &Caller,
        pseudonym: &str,
    ) -> Result<Vec<Study>, AppError> {
        let patient = self
            .authorized_patient(caller, pseudonym, Action::ViewRecord)
            .await?;
        let mut conn = self.store().read().await?;
        let rows = repo::studies_of_patient(&mut conn, patient.id).await?;
        drop(conn);
        self.audit_patient(caller, "imaging.list_studies", patient.id, None)
            .await?;
        let pseudonym = patient.pseudonym.to_string();
        Ok(rows
            .into_iter()
            .map(|s| study_view(s, &pseudonym))
            .collect())
    }

    /// Every study the caller may see, on any record (the DICOMweb root):
    /// records they may read and studies their panels share. Each record
    /// whose studies are returned gets one audit event.
    pub async fn visible_studies(&self, caller: &Caller) -> Result<Vec<Study>, AppError> {
        let mut conn = self.store().read().await?;
        let studies = repo::all_studies(&mut conn).await?;
        let mut seen = Vec::new();
        let mut readers_of = std::collections::BTreeSet::new();
        for study in studies {
            let patient = patients::get(&mut conn, study.patient)
                .await?
                .ok_or_else(|| AppError::internal("a study's patient is missing"))?;
            if self
                .may_see(&mut conn, caller, &study, &patient)
                .await?
                .is_some()
            {
                readers_of.insert(patient.id);
                seen.push(study_view(study, &patient.pseudonym.to_string()));
            }
        }
        drop(conn);
        for patient in readers_of {
            self.audit_patient(
                caller,
                "imaging.list_studies",
                patient,
                Some("all visible studies".into()),
            )
            .await?;
        }
        Ok(seen)
    }

    /// The studies of a record (those `only` names, when given), for use
    /// cases that authorised the caller already (a panel's shared view, the
    /// request form).
    pub(crate) async fn studies_named(
        &self,
        patient: cpms_domain::ids::PatientId,
        pseudonym: &str,
        only: Option<&[String]>,
    ) -> Result<Vec<Study>, AppError> {
        let mut conn = self.store().read().await?;
        let rows = repo::studies_of_patient(&mut conn, patient).await?;
        Ok(rows
            .into_iter()
            .filter(|s| only.is_none_or(|uids| uids.contains(&s.study_uid)))
            .map(|s| study_view(s, pseudonym))
            .collect())
    }

    /// A study and its series.
    pub async fn study_series(
        &self,
        caller: &Caller,
        study_uid: &str,
    ) -> Result<StudyDetail, AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let mut conn = self.store().read().await?;
        let rows = repo::series_of_study(&mut conn, &visible.study.study_uid).await?;
        let mut series = Vec::with_capacity(rows.len());
        for row in rows {
            let instances = repo::instances_of_series(&mut conn, &row.series_uid).await?;
            series.push(series_view(row, &instances));
        }
        drop(conn);
        self.audit_read(caller, &visible, "series list").await?;
        Ok(StudyDetail {
            study: study_view(visible.study, &visible.patient.pseudonym.to_string()),
            series,
            via_panel: visible.panel,
        })
    }

    /// The DICOM JSON of every instance of a study.
    pub async fn study_metadata(
        &self,
        caller: &Caller,
        study_uid: &str,
    ) -> Result<Vec<serde_json::Value>, AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let mut conn = self.store().read().await?;
        let texts = repo::study_metadata(&mut conn, &visible.study.study_uid).await?;
        drop(conn);
        self.audit_read(caller, &visible, "metadata").await?;
        parse_all(texts)
    }

    /// The DICOM JSON of every instance of a series.
    pub async fn series_metadata(
        &self,
        caller: &Caller,
        study_uid: &str,
        series_uid: &str,
    ) -> Result<Vec<serde_json::Value>, AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let mut conn = self.store().read().await?;
        let series = repo::series(&mut conn, &visible.study.study_uid, series_uid.trim())
            .await?
            .ok_or_else(|| AppError::not_found("That series"))?;
        let texts = repo::series_metadata(&mut conn, &series.series_uid).await?;
        drop(conn);
        self.audit_read(
            caller,
            &visible,
            &format!("metadata of series {}", series.series_uid),
        )
        .await?;
        parse_all(texts)
    }

    /// One de-identified instance as Part 10 bytes.
    pub async fn instance_bytes(
        &self,
        caller: &Caller,
        study_uid: &str,
        series_uid: &str,
        sop_uid: &str,
    ) -> Result<Vec<u8>, AppError> {
        let (visible, instance) = self
            .visible_instance(caller, study_uid, series_uid, sop_uid)
            .await?;
        let bytes = self.instance_blob(&instance).await?;
        self.audit_read(caller, &visible, &format!("instance {}", instance.sop_uid))
            .await?;
        Ok(bytes)
    }

    /// An instance of a visible study (not yet audited).
    pub(super) async fn visible_instance(
        &self,
        caller: &Caller,
        study_uid: &str,
        series_uid: &str,
        sop_uid: &str,
    ) -> Result<(Visible, StoredInstance), AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let mut conn = self.store().read().await?;
        let instance = repo::instance(
            &mut conn,
            &visible.study.study_uid,
            series_uid.trim(),
            sop_uid.trim(),
        )
        .await?
        .ok_or_else(|| AppError::not_found("That instance"))?;
        Ok((visible, instance))
    }

    /// The middle instance of a series of a visible study (not yet audited).
    pub(super) async fn key_instance(
        &self,
        caller: &Caller,
        study_uid: &str,
        series_uid: &str,
    ) -> Result<(Visible, StoredInstance), AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let mut conn = self.store().read().await?;
        let series = repo::series(&mut conn, &visible.study.study_uid, series_uid.trim())
            .await?
            .ok_or_else(|| AppError::not_found("That series"))?;
        let mut instances = repo::instances_of_series(&mut conn, &series.series_uid).await?;
        let middle = instances.len() / 2;
        if instances.is_empty() {
            return Err(AppError::not_found("An instance of that series"));
        }
        Ok((visible, instances.swap_remove(middle)))
    }

    pub(super) async fn instance_blob(
        &self,
        instance: &StoredInstance,
    ) -> Result<Vec<u8>, AppError> {
        self.blobs()
            .get(&BlobId::parse(&instance.blob_id)?)
            .await?
            .ok_or_else(|| {
                AppError::internal(format!("instance {} has no stored bytes", instance.sop_uid))
            })
    }

    pub(super) async fn audit_read(
        &self,
        caller: &Caller,
        visible: &Visible,
        what: &str,
    ) -> Result<(), AppError> {
        self.audit_patient(
            caller,
            "imaging.read",
            visible.patient.id,
            Some(visible.detail(what)),
        )
        .await
    }
}

fn parse_all(texts: Vec<String>) -> Result<Vec<serde_json::Value>, AppError> {
    texts
        .iter()
        .map(|t| serde_json::from_str(t).map_err(AppError::internal))
        .collect()
}

fn study_view(s: StoredStudy, pseudonym: &str) -> Study {
    Study {
        study_uid: s.study_uid,
        pseudonym: pseudonym.to_owned(),
        study_date: s.study_date.filter(|d| !d.is_empty()),
        description: s.description.filter(|d| !d.is_empty()),
        modalities: s.modalities,
        series_count: s.series_count,
        instance_count: s.instance_count,
        burned_in_count: s.burned_in_count,
        uploaded_at: s.uploaded_at,
    }
}

fn series_view(s: StoredSeries, instances: &[StoredInstance]) -> Series {
    Series {
        key_instance: instances
            .get(instances.len() / 2)
            .map(|i| i.sop_uid.clone()),
        series_uid: s.series_uid,
        modality: s.modality,
        series_number: s.series_number,
        description: s.description.filter(|d| !d.is_empty()),
        instance_count: s.instance_count,
        burned_in_count: s.burned_in_count,
    }
}
