//! Attaching files to a record and reading them back: the policy decides,
//! the upload is checked, the bytes are sealed into the blob store, the
//! metadata row and the audit event are written in one transaction.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::PatientId;
use cpms_domain::policy::Action;
use cpms_store::WriteTx;
use cpms_store::repo::attachments::{self as repo, StoredAttachment};
use cpms_store::repo::audit;

use super::{BlobId, MediaType, check_upload};
use crate::patients::editable;
use crate::{App, AppError, Caller};

/// What a file attached to a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    Document,
    /// The consent form the patient signed, uploaded at enrolment.
    SignedConsent,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::SignedConsent => "signed_consent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Document => "Document",
            Self::SignedConsent => "Signed consent form",
        }
    }

    fn parse(raw: &str) -> Self {
        if raw == Self::SignedConsent.as_str() {
            Self::SignedConsent
        } else {
            Self::Document
        }
    }
}

/// An uploaded file as the browser sent it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub declared_type: String,
    pub bytes: Vec<u8>,
    /// Keep EXIF/GPS or the PDF author instead of stripping them.
    pub keep_metadata: bool,
}

/// An attachment as listed on the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub kind: AttachmentKind,
    /// Already made safe for a download header.
    pub file_name: String,
    pub media_type: MediaType,
    pub size_bytes: i64,
    pub metadata_kept: bool,
    pub uploaded_at: jiff::Timestamp,
}

impl Attachment {
    /// The size for people: KiB or MiB.
    pub fn size(&self) -> String {
        let kib = self.size_bytes.div_euclid(1024).max(1);
        if kib < 1024 {
            format!("{kib} KiB")
        } else {
            format!("{:.1} MiB", self.size_bytes as f64 / (1024.0 * 1024.0))
        }
    }
}

impl App {
    /// Checks, seals and stores a file on the record; refused on a locked
    /// record.
    pub async fn attach(
        &self,
        caller: &Caller,
        pseudonym: &str,
        kind: AttachmentKind,
        upload: Upload,
    ) -> Result<Attachment, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::EditRecord)
            .await?;
        editable(&stored)?;
        let (row, attachment) = self.seal_upload(caller, stored.id, kind, upload).await?;
        let written = async {
            let mut tx = self.store().write().await?;
            insert_attachment(&mut tx, caller, &row).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        };
        if let Err(err) = written.await {
            self.discard_upload(&row).await?;
            return Err(err);
        }
        Ok(attachment)
    }

    /// Checks an upload and stores its sealed bytes; returns the row to
    /// insert (with [`insert_attachment`]) in the caller's transaction.
    pub(crate) async fn seal_upload(
        &self,
        caller: &Caller,
        patient: PatientId,
        kind: AttachmentKind,
        upload: Upload,
    ) -> Result<(StoredAttachment, Attachment), AppError> {
        let checked = check_upload(
            &upload.file_name,
            &upload.declared_type,
            upload.bytes,
            self.settings().attachment_max_bytes,
            upload.keep_metadata,
        )?;
        let id = self.blobs().put(&checked.bytes).await?;
        let now = self.now();
        let row = StoredAttachment {
            id: id.as_str().to_owned(),
            patient,
            kind: kind.as_str().to_owned(),
            file_name_sealed: self
                .identity_cipher()
                .seal(&name_context(patient, &id), checked.file_name.as_bytes())?,
            media_type: checked.media_type.mime().to_owned(),
            size_bytes: i64::try_from(checked.bytes.len()).map_err(AppError::internal)?,
            metadata_kept: upload.keep_metadata,
            uploaded_by: caller.user.id,
            uploaded_at: now,
        };
        let attachment = Attachment {
            id: row.id.clone(),
            kind,
            file_name: checked.file_name,
            media_type: checked.media_type,
            size_bytes: row.size_bytes,
            metadata_kept: row.metadata_kept,
            uploaded_at: now,
        };
        Ok((row, attachment))
    }

    /// Removes the bytes of an upload whose row was never written.
    pub(crate) async fn discard_upload(&self, row: &StoredAttachment) -> Result<(), AppError> {
        self.blobs().delete(&BlobId::parse(&row.id)?).await
    }

    /// One attachment's bytes for download; the read is audited.
    pub async fn attachment(
        &self,
        caller: &Caller,
        pseudonym: &str,
        id: &str,
    ) -> Result<(Attachment, Vec<u8>), AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ViewRecord)
            .await?;
        let found = self.attachment_bytes(stored.id, id).await?;
        self.audit_patient(
            caller,
            "patient.read_attachment",
            stored.id,
            Some(format!("attachment {id}")),
        )
        .await?;
        Ok(found)
    }

    /// One attachment of `patient` with its opened bytes, for a caller the
    /// use case already let in (and audits).
    pub(crate) async fn attachment_bytes(
        &self,
        patient: PatientId,
        id: &str,
    ) -> Result<(Attachment, Vec<u8>), AppError> {
        let blob = BlobId::parse(id).map_err(|_| AppError::not_found("That attachment"))?;
        let mut conn = self.store().read().await?;
        let row = repo::get(&mut conn, patient, blob.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("That attachment"))?;
        drop(conn);
        let bytes =
            self.blobs().get(&blob).await?.ok_or_else(|| {
                AppError::internal(format!("attachment {id} has no stored bytes"))
            })?;
        Ok((self.attachment_of(row)?, bytes))
    }

    /// The files on a record, oldest first; the read is audited.
    pub async fn attachments(
        &self,
        caller: &Caller,
        pseudonym: &str,
    ) -> Result<Vec<Attachment>, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ViewRecord)
            .await?;
        let attachments = self.attachments_of(stored.id).await?;
        self.audit_patient(caller, "patient.list_attachments", stored.id, None)
            .await?;
        Ok(attachments)
    }

    /// The attachments of a patient whose record the caller was allowed to
    /// read.
    pub(crate) async fn attachments_of(
        &self,
        patient: PatientId,
    ) -> Result<Vec<Attachment>, AppError> {
        let mut conn = self.store().read().await?;
        let rows = repo::of_patient(&mut conn, patient).await?;
        drop(conn);
        rows.into_iter().map(|r| self.attachment_of(r)).collect()
    }

    fn attachment_of(&self, row: StoredAttachment) -> Result<Attachment, AppError> {
        let blob = BlobId::parse(&row.id)?;
        let name = self
            .identity_cipher()
            .open(&name_context(row.patient, &blob), &row.file_name_sealed)?;
        let media_type = MediaType::from_mime(&row.media_type)
            .ok_or_else(|| AppError::internal("a stored attachment has an unknown type"))?;
        Ok(Attachment {
            file_name: String::from_utf8(name).map_err(AppError::internal)?,
            kind: AttachmentKind::parse(&row.kind),
            id: row.id,
            media_type,
            size_bytes: row.size_bytes,
            metadata_kept: row.metadata_kept,
            uploaded_at: row.uploaded_at,
        })
    }
}

/// Writes an attachment's row and its audit event.
pub(crate) async fn insert_attachment(
    tx: &mut WriteTx,
    caller: &Caller,
    row: &StoredAttachment,
) -> Result<(), AppError> {
    repo::insert(tx, row).await?;
    let event = NewEvent::new(
        "patient.attach",
        format!("patient:{}", row.patient),
        Outcome::Success,
    )
    .by(caller.user.id)
    .on_behalf_of(caller.clinician_acted_for())
    .from_addr(caller.client.addr.clone())
    .detail(format!(
        "{} {} ({}, {} bytes)",
        row.kind, row.id, row.media_type, row.size_bytes
    ));
    audit::append(tx, event, row.uploaded_at).await?;
    Ok(())
}

pub(super) fn name_context(patient: PatientId, blob: &BlobId) -> String {
    format!("patient:{patient}:attachment:{}:name", blob.as_str())
}
