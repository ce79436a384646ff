//! The end of a patient's record: withdrawal of care consent, which locks
//! it, and erasure, which destroys the identifying data, the attachments
//! and the clinical history (keeping an anonymised record if so
//! configured). The audit trail stays: it names the patient only by id.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::patient::{Consent, ConsentKind, ConsentStatus, PatientStatus, Pseudonym};
use cpms_domain::policy::Action;
use cpms_domain::record::RecordChange;
use cpms_store::repo::patients::RecordVersion;
use cpms_store::repo::{attachments, audit, imaging, patients};

use super::record::editable;
use crate::attachments::BlobId;
use crate::{App, AppError, Caller};

/// What erasure does with the clinical part of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureMode {
    /// Every version goes; an empty record remains under the pseudonym.
    Delete,
    /// The coded entries of the current version stay, without free text.
    Anonymise,
}

impl App {
    /// Records that the patient withdrew care consent today and locks the
    /// record. `confirmed` is the clinician's tick on the confirmation box.
    pub async fn withdraw_care_consent(
        &self,
        caller: &Caller,
        pseudonym: &str,
        confirmed: bool,
    ) -> Result<(), AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::EditRecord)
            .await?;
        editable(&stored)?;
        if !confirmed {
            return Err(AppError::invalid(
                "Tick the box to confirm that the patient withdrew care consent.",
            ));
        }
        let now = self.now();
        let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let mut consents = stored.consents.clone();
        consents.record(
            Consent {
                kind: ConsentKind::Care,
                status: ConsentStatus::Withdrawn,
                date: today,
                recorded_by: caller.user.id,
                recorded_at: now,
            },
            today,
        )?;
        let mut tx = self.store().write().await?;
        patients::set_status_and_consents(&mut tx, stored.id, PatientStatus::Locked, &consents)
            .await?;
        let event = NewEvent::new(
            "patient.withdraw_consent",
            format!("patient:{}", stored.id),
            Outcome::Success,
        )
        .by(caller.user.id)
        .on_behalf_of(caller.clinician_acted_for())
        .from_addr(caller.client.addr.clone())
        .detail("care consent withdrawn; record locked");
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Erases a patient. `confirmation` must repeat the pseudonym (dashes
    /// optional), so that an erasure is never one stray click.
    pub async fn erase_patient(
        &self,
        caller: &Caller,
        pseudonym: &str,
        confirmation: &str,
    ) -> Result<(), AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ErasePatient)
            .await?;
        if stored.status == PatientStatus::Erased {
            return Err(AppError::invalid("This patient was already erased."));
        }
        if Pseudonym::parse(confirmation).ok().as_ref() != Some(&stored.pseudonym) {
            return Err(AppError::invalid(
                "To confirm the erasure, type the patient's pseudonym exactly.",
            ));
        }
        let mut conn = self.store().read().await?;
        let files = attachments::of_patient(&mut conn, stored.id).await?;
        let images = imaging::blobs_of_patient(&mut conn, stored.id).await?;
        let current = patients::version(&mut conn, stored.id, stored.current_version)
            .await?
            .ok_or_else(|| AppError::internal("the current record version is missing"))?;
        drop(conn);
        // Blobs first: if the transaction below fails the erasure is
        // retried, and deleting a missing blob is not an error.
        for file in &files {
            self.blobs().delete(&BlobId::parse(&file.id)?).await?;
        }
        for image in &images {
            self.blobs().delete(&BlobId::parse(image)?).await?;
        }
        let anonymised = self.settings().erasure == ErasureMode::Anonymise;
        let change = RecordChange::Erased { anonymised };
        let mut content = current.content;
        content.apply(&change)?;
        let now = self.now();
        let remaining = RecordVersion {
            version: 1,
            at: now,
            author: caller.user.id,
            on_behalf_of: caller.clinician_acted_for(),
            description: change.describe(),
            change,
            content,
        };
        let mut tx = self.store().write().await?;
        attachments::delete_of_patient(&mut tx, stored.id).await?;
        imaging::delete_of_patient(&mut tx, stored.id).await?;
        patients::delete_versions(&mut tx, stored.id).await?;
        patients::append_version(&mut tx, stored.id, &remaining).await?;
        patients::erase_identity(&mut tx, stored.id).await?;
        let event = NewEvent::new(
            "patient.erase",
            format!("patient:{}", stored.id),
            Outcome::Success,
        )
        .by(caller.user.id)
        .on_behalf_of(caller.clinician_acted_for())
        .from_addr(caller.client.addr.clone())
        .detail(format!(
            "identity, {} attachment(s), {} imaging instance(s) and history destroyed; clinical data {}",
            files.len(),
            images.len(),
            if anonymised { "anonymised" } else { "deleted" }
        ));
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        // Deleted rows must not linger in free pages or the write-ahead log.
        self.store().purge_deleted().await?;
        Ok(())
    }
}
