//! Reading and changing one patient's record. Every read and every change
//! passes the policy (refusals are audited there) and is audited itself.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::PatientId;
use cpms_domain::patient::{Identity, Patient, PatientStatus, Pseudonym};
use cpms_domain::policy::{Action, Resource};
use cpms_domain::record::{ClinicalRecord, DiffLine, RecordChange, diff};
use cpms_store::repo::patients::{RecordVersion, StoredPatient};
use cpms_store::repo::{audit, patients};

use crate::{App, AppError, Caller};

/// A record as its owner sees it.
#[derive(Debug, Clone)]
pub struct RecordView {
    pub patient: Patient,
    pub record: ClinicalRecord,
    pub version: i64,
    pub attachments: Vec<crate::attachments::Attachment>,
    /// Imaging studies (de-identified), newest first.
    pub studies: Vec<crate::imaging::Study>,
}

/// The history and, when two versions are chosen, what changed between.
#[derive(Debug, Clone)]
pub struct History {
    pub patient: Patient,
    pub versions: Vec<RecordVersion>,
    pub compared: Option<(i64, i64, Vec<DiffLine>)>,
}

impl App {
    pub(crate) fn seal_identity(
        &self,
        id: PatientId,
        identity: &Identity,
    ) -> Result<String, AppError> {
        let json = serde_json::to_vec(identity).map_err(AppError::internal)?;
        self.identity_cipher().seal(&identity_context(id), &json)
    }

    pub(crate) fn open_identity(
        &self,
        stored: &StoredPatient,
    ) -> Result<Option<Identity>, AppError> {
        let Some(sealed) = &stored.identity_sealed else {
            return Ok(None);
        };
        let json = self
            .identity_cipher()
            .open(&identity_context(stored.id), sealed)?;
        serde_json::from_slice(&json)
            .map(Some)
            .map_err(AppError::internal)
    }

    pub(crate) fn patient_of(&self, stored: StoredPatient) -> Result<Patient, AppError> {
        let identity = self.open_identity(&stored)?;
        Ok(Patient {
            id: stored.id,
            pseudonym: stored.pseudonym,
            nickname: stored.nickname,
            sex: stored.sex,
            birth_year: stored.birth_year,
            country: stored.country,
            ern: stored.ern,
            hcp: stored.hcp,
            enrolled_by: stored.enrolled_by,
            enrolled_at: stored.enrolled_at,
            status: stored.status,
            identity,
            consents: stored.consents,
        })
    }

    /// Finds a patient by pseudonym as typed and asks the policy whether the
    /// caller may do `action` to them.
    pub(crate) async fn authorized_patient(
        &self,
        caller: &Caller,
        pseudonym: &str,
        action: Action,
    ) -> Result<StoredPatient, AppError> {
        let pseudonym = Pseudonym::parse(pseudonym)?;
        let mut conn = self.store().read().await?;
        let stored = patients::get_by_pseudonym(&mut conn, &pseudonym)
            .await?
            .ok_or_else(|| AppError::not_found("That patient"))?;
        drop(conn);
        self.authorize(
            caller,
            action,
            Resource::Patient {
                hcp: stored.hcp,
                enrolled_by: stored.enrolled_by,
            },
            &format!("patient:{}", stored.id),
        )
        .await?;
        Ok(stored)
    }

    /// Audits a read or write of patient data in its own transaction.
    pub(crate) async fn audit_patient(
        &self,
        caller: &Caller,
        action: &str,
        patient: PatientId,
        detail: Option<String>,
    ) -> Result<(), AppError> {
        let mut event = NewEvent::new(action, format!("patient:{patient}"), Outcome::Success)
            .by(caller.user.id)
            .on_behalf_of(caller.clinician_acted_for())
            .from_addr(caller.client.addr.clone());
        event.detail = detail;
        let mut tx = self.store().write().await?;
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The whole current record with the patient's identity.
    pub async fn record(&self, caller: &Caller, pseudonym: &str) -> Result<RecordView, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ViewRecord)
            .await?;
        let current = self.current_version(&stored).await?;
        let attachments = self.attachments_of(stored.id).await?;
        let studies = self
            .studies_named(stored.id, &stored.pseudonym.to_string(), None)
            .await?;
        self.audit_patient(caller, "patient.read", stored.id, None)
            .await?;
        Ok(RecordView {
            attachments,
            studies,
            version: current.version,
            record: current.content,
            patient: self.patient_of(stored)?,
        })
    }

    /// The current version of a record whose reading was authorised.
    pub(crate) async fn current_version(
        &self,
        stored: &StoredPatient,
    ) -> Result<RecordVersion, AppError> {
        let mut conn = self.store().read().await?;
        patients::version(&mut conn, stored.id, stored.current_version)
            .await?
            .ok_or_else(|| AppError::internal("the current record version is missing"))
    }

    /// Applies one change as a new version; refused on a locked record.
    pub async fn change_record(
        &self,
        caller: &Caller,
        pseudonym: &str,
        change: RecordChange,
    ) -> Result<i64, AppError> {
        self.change_record_with(caller, pseudonym, |_, _| Ok(change))
            .await
    }

    /// Like [`App::change_record`], for a change computed from the current
    /// content (and the patient), inside the same transaction so that two
    /// concurrent edits cannot build on the same version.
    pub(crate) async fn change_record_with(
        &self,
        caller: &Caller,
        pseudonym: &str,
        make_change: impl FnOnce(&StoredPatient, &ClinicalRecord) -> Result<RecordChange, AppError>,
    ) -> Result<i64, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::EditRecord)
            .await?;
        editable(&stored)?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let current = patients::version(&mut tx, stored.id, stored.current_version)
            .await?
            .ok_or_else(|| AppError::internal("the current record version is missing"))?;
        let change = make_change(&stored, &current.content)?;
        let mut content = current.content;
        content.apply(&change)?;
        let version = RecordVersion {
            version: current.version + 1,
            at: now,
            author: caller.user.id,
            on_behalf_of: caller.clinician_acted_for(),
            description: change.describe(),
            change,
            content,
        };
        patients::append_version(&mut tx, stored.id, &version).await?;
        let event = NewEvent::new(
            "patient.update",
            format!("patient:{}", stored.id),
            Outcome::Success,
        )
        .by(caller.user.id)
        .on_behalf_of(caller.clinician_acted_for())
        .from_addr(caller.client.addr.clone())
        .detail(format!("version {}", version.version));
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(version.version)
    }

    /// Every version, newest first, and the diff of two if asked.
    pub async fn history(
        &self,
        caller: &Caller,
        pseudonym: &str,
        compare: Option<(i64, i64)>,
    ) -> Result<History, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ViewRecord)
            .await?;
        let mut conn = self.store().read().await?;
        let versions = patients::versions(&mut conn, stored.id).await?;
        drop(conn);
        let compared = match compare {
            None => None,
            Some((a, b)) => {
                let (older, newer) = (a.min(b), a.max(b));
                let find = |n: i64| {
                    versions
                        .iter()
                        .find(|v| v.version == n)
                        .ok_or_else(|| AppError::not_found(format!("Version {n}")))
                };
                let lines = diff(&find(older)?.content, &find(newer)?.content);
                Some((older, newer, lines))
            }
        };
        self.audit_patient(caller, "patient.read_history", stored.id, None)
            .await?;
        Ok(History {
            patient: self.patient_of(stored)?,
            versions,
            compared,
        })
    }
}

/// Refuses changes to a record whose care consent was withdrawn or that
/// was erased.
pub(crate) fn editable(stored: &StoredPatient) -> Result<(), AppError> {
    match stored.status {
        PatientStatus::Active => Ok(()),
        PatientStatus::Locked => Err(AppError::invalid(
            "This record is locked: care consent was withdrawn, so it can be read but not changed.",
        )),
        PatientStatus::Erased => Err(AppError::invalid(
            "This record was erased and can no longer be changed.",
        )),
    }
}

pub(super) fn identity_context(id: PatientId) -> String {
    format!("patient:{id}:identity")
}
