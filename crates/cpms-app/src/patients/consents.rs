//! The patient's consents after enrolment: reading them, and recording a
//! registry or research-contact consent given, refused or withdrawn later.
//! Care consent is given at enrolment and withdrawn only through
//! [`App::withdraw_care_consent`], which locks the record.

use cpms_domain::patient::{Consent, ConsentKind, ConsentStatus, Consents};
use cpms_domain::policy::Action;
use cpms_domain::record::RecordChange;
use cpms_store::repo::patients;

use super::enrol::date;
use super::record::editable;
use crate::{App, AppError, Caller};

/// A consent as typed: `kind` is `registry` or `research_contact`,
/// `status` is `given`, `refused` or `withdrawn`, `date` is `YYYY-MM-DD`
/// (the day the patient decided, not in the future).
#[derive(Debug, Clone, Default)]
pub struct ConsentForm {
    pub kind: String,
    pub status: String,
    pub date: String,
}

impl App {
    /// The consents the patient holds; the read is audited.
    pub async fn consents(&self, caller: &Caller, pseudonym: &str) -> Result<Consents, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ViewRecord)
            .await?;
        self.audit_patient(caller, "patient.read_consents", stored.id, None)
            .await?;
        Ok(stored.consents)
    }

    /// Records a registry or research-contact consent, replacing the earlier
    /// one of its kind, as a new record version (so the history shows who
    /// recorded it and when); returns the version.
    pub async fn record_consent(
        &self,
        caller: &Caller,
        pseudonym: &str,
        form: &ConsentForm,
    ) -> Result<i64, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::EditRecord)
            .await?;
        editable(&stored)?;
        let kind = ConsentKind::parse(form.kind.trim())?;
        if kind == ConsentKind::Care {
            return Err(AppError::invalid(
                "Care consent is given at enrolment; record its withdrawal with the \
                 withdrawal confirmation, which locks the record.",
            ));
        }
        let status = ConsentStatus::parse(form.status.trim())?;
        let date = date("date", &form.date)?;
        let now = self.now();
        let mut consents = stored.consents.clone();
        consents.record(
            Consent {
                kind,
                status,
                date,
                recorded_by: caller.user.id,
                recorded_at: now,
            },
            now.to_zoned(jiff::tz::TimeZone::UTC).date(),
        )?;
        let mut tx = self.store().write().await?;
        patients::set_status_and_consents(&mut tx, stored.id, stored.status, &consents).await?;
        let version = self
            .append_change(&mut tx, caller, &stored, |_, _| {
                Ok(RecordChange::Consent { kind, status, date })
            })
            .await?;
        tx.commit().await?;
        Ok(version)
    }
}
