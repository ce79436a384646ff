//! The pseudonymised view of the record a panel shares: what its lead and
//! members see. It is built from the same record reading as the owner's
//! view, then cut down to the shared sections; identifying fields never
//! enter it.

use cpms_domain::panel::{Activity, SharedSection, shared_part};
use cpms_domain::patient::Sex;
use cpms_domain::record::ClinicalRecord;
use cpms_store::repo::panels as repo;

use super::access::Loaded;
use crate::attachments::{AttachmentKind, MediaType};
use crate::imaging::Study;
use crate::{App, AppError, Caller};

/// The shared part of a record, pseudonymised.
#[derive(Debug, Clone)]
pub struct SharedRecord {
    pub pseudonym: String,
    pub sex: Sex,
    pub birth_year: i16,
    /// In whole years, from the year of birth only.
    pub age: i16,
    pub country: String,
    pub sections: Vec<SharedSection>,
    /// Only the shared sections are filled.
    pub record: ClinicalRecord,
    pub attachments: Vec<SharedAttachment>,
    /// Shared imaging studies (de-identified).
    pub studies: Vec<Study>,
}

/// A shared attachment, without its file name (names often identify).
#[derive(Debug, Clone)]
pub struct SharedAttachment {
    pub id: String,
    pub kind: AttachmentKind,
    pub media_type: MediaType,
    pub size_bytes: i64,
    pub uploaded_at: jiff::Timestamp,
}

impl App {
    /// The shared record of a panel, for its lead and members; audited as
    /// a read of the patient's data.
    pub async fn panel_shared_record(
        &self,
        caller: &Caller,
        reference: &str,
    ) -> Result<SharedRecord, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.shared_record_of(caller, &loaded).await
    }

    pub(crate) async fn shared_record_of(
        &self,
        caller: &Caller,
        loaded: &Loaded,
    ) -> Result<SharedRecord, AppError> {
        self.panel_may(caller, loaded, Activity::ViewShared).await?;
        let stored = self.panel_patient(loaded).await?;
        let mut conn = self.store().read().await?;
        let shares = repo::shares(&mut conn, loaded.panel.id).await?;
        drop(conn);
        let current = self.current_version(&stored).await?;
        let attachments = self
            .attachments_of(stored.id)
            .await?
            .into_iter()
            .filter(|a| shares.attachments.contains(&a.id))
            .map(|a| SharedAttachment {
                id: a.id,
                kind: a.kind,
                media_type: a.media_type,
                size_bytes: a.size_bytes,
                uploaded_at: a.uploaded_at,
            })
            .collect();
        let pseudonym = stored.pseudonym.to_string();
        let studies = self
            .studies_named(stored.id, &pseudonym, Some(&shares.studies))
            .await?;
        self.audit_patient(
            caller,
            "panel.read_shared",
            stored.id,
            Some(loaded.panel.reference.clone()),
        )
        .await?;
        Ok(SharedRecord {
            pseudonym: stored.pseudonym.to_string(),
            sex: stored.sex,
            birth_year: stored.birth_year,
            age: self.today().year() - stored.birth_year,
            country: stored.country.to_string(),
            record: shared_part(&current.content, &shares.sections),
            sections: shares.sections,
            attachments,
            studies,
        })
    }
}
