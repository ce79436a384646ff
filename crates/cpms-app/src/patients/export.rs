//! The data subject's copy: everything held about one patient as one JSON
//! document (identity, consents, every record version, attachments as
//! base64), for an access request under GDPR article 15.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cpms_domain::policy::Action;
use cpms_store::repo::patients;
use serde_json::{Value, json};

use crate::attachments::BlobId;
use crate::{App, AppError, Caller};

/// Bumped when the shape of the export changes.
const FORMAT: &str = "ern-cpms-patient-export/1";

impl App {
    pub async fn export_patient(
        &self,
        caller: &Caller,
        pseudonym: &str,
    ) -> Result<Value, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ExportPatient)
            .await?;
        let mut conn = self.store().read().await?;
        let versions = patients::versions(&mut conn, stored.id).await?;
        drop(conn);
        let mut files = Vec::new();
        for attachment in self.attachments_of(stored.id).await? {
            let bytes = self
                .blobs()
                .get(&BlobId::parse(&attachment.id)?)
                .await?
                .ok_or_else(|| {
                    AppError::internal(format!("attachment {} has no stored bytes", attachment.id))
                })?;
            files.push(json!({
                "kind": attachment.kind.as_str(),
                "file_name": attachment.file_name,
                "media_type": attachment.media_type.mime(),
                "uploaded_at": attachment.uploaded_at.to_string(),
                "metadata_kept": attachment.metadata_kept,
                "content_base64": STANDARD.encode(bytes),
            }));
        }
        let history: Vec<Value> = versions
            .iter()
            .rev()
            .map(|v| {
                json!({
                    "version": v.version,
                    "at": v.at.to_string(),
                    "description": v.description,
                    "content": v.content,
                })
            })
            .collect();
        let id = stored.id;
        let patient = self.patient_of(stored)?;
        let export = json!({
            "format": FORMAT,
            "exported_at": self.now().to_string(),
            "pseudonym": patient.pseudonym.as_str(),
            "identity": patient.identity,
            "nickname": patient.nickname,
            "sex": format!("{:?}", patient.sex).to_lowercase(),
            "birth_year": patient.birth_year,
            "country": patient.country.as_str(),
            "network": patient.ern.as_str(),
            "enrolled_at": patient.enrolled_at.to_string(),
            "status": patient.status.as_str(),
            "consents": patient.consents,
            "record_versions": history,
            "attachments": files,
        });
        self.audit_patient(caller, "patient.export", id, None)
            .await?;
        Ok(export)
    }
}
