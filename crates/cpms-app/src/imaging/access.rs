//! Who may see a study: whoever may read the patient's record, and the
//! lead and members of a panel that shares the study (pseudonymised, read
//! only). Both are the policy's decision; a refusal is audited.

use cpms_domain::panel::{self, Activity};
use cpms_domain::policy::{Action, Decision, Resource, can};
use cpms_store::repo::imaging::{self as repo, StoredStudy};
use cpms_store::repo::panels;
use cpms_store::repo::patients::{self, StoredPatient};

use crate::panels::loaded;
use crate::{App, AppError, Caller};

/// A study the caller may see, and through what.
pub(super) struct Visible {
    pub study: StoredStudy,
    pub patient: StoredPatient,
    /// The reference of the panel that shares it, when the caller sees it
    /// only as a panel member.
    pub panel: Option<String>,
}

impl Visible {
    /// Audit detail: the study, and the panel when seen through one.
    pub fn detail(&self, what: &str) -> String {
        match &self.panel {
            Some(panel) => format!("{what} of study {} via panel {panel}", self.study.study_uid),
            None => format!("{what} of study {}", self.study.study_uid),
        }
    }
}

impl App {
    /// The study with this de-identified UID, when the caller may see it.
    pub(super) async fn visible_study(
        &self,
        caller: &Caller,
        study_uid: &str,
    ) -> Result<Visible, AppError> {
        let mut conn = self.store().read().await?;
        let study = repo::study(&mut conn, study_uid.trim())
            .await?
            .ok_or_else(|| AppError::not_found("That study"))?;
        let patient = patients::get(&mut conn, study.patient)
            .await?
            .ok_or_else(|| AppError::internal("a study's patient is missing"))?;
        if let Some(panel) = self.may_see(&mut conn, caller, &study, &patient).await? {
            return Ok(Visible {
                study,
                patient,
                panel,
            });
        }
        let resource = Resource::Patient {
            hcp: patient.hcp,
            enrolled_by: patient.enrolled_by,
        };
        drop(conn);
        // Refused by the policy: this audits the refusal.
        self.authorize(
            caller,
            Action::ViewRecord,
            resource,
            &format!("patient:{}", patient.id),
        )
        .await?;
        Err(AppError::forbidden())
    }

    /// Whether the caller may see `study` (without auditing a refusal):
    /// `Some(None)` as a reader of the record, `Some(Some(reference))`
    /// through a panel that shares it.
    pub(super) async fn may_see(
        &self,
        conn: &mut cpms_store::Conn,
        caller: &Caller,
        study: &StoredStudy,
        patient: &StoredPatient,
    ) -> Result<Option<Option<String>>, AppError> {
        let actor = caller.actor();
        let resource = Resource::Patient {
            hcp: patient.hcp,
            enrolled_by: patient.enrolled_by,
        };
        if can(&actor, Action::ViewRecord, resource) == Decision::Allow {
            return Ok(Some(None));
        }
        Ok(shared_with(conn, caller, &study.study_uid).await?.map(Some))
    }
}

/// The reference of a panel that shares the study and lets the caller see
/// its shared part, if any (nothing audited: callers decide).
pub(super) async fn shared_with(
    conn: &mut cpms_store::Conn,
    caller: &Caller,
    study_uid: &str,
) -> Result<Option<String>, AppError> {
    let actor = caller.actor();
    for id in panels::sharing_study(conn, study_uid).await? {
        let Some(stored) = panels::get(conn, id).await? else {
            continue;
        };
        let on_panel = loaded(conn, stored, caller).await?;
        let state = on_panel.panel.state;
        if panel::may(&actor, on_panel.resource(), state, Activity::ViewShared).is_ok() {
            return Ok(Some(on_panel.panel.reference));
        }
    }
    Ok(None)
}
