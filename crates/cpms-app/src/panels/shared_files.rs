//! Downloading an attachment a panel shares: the same access decision as
//! the shared record (so decliners and outsiders are refused, archived
//! panels still read), the same sealed-file reading as the record owner's
//! download, and a file name made from the panel, never the uploaded name
//! (names often identify).

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::panel::Activity;
use cpms_store::repo::audit;
use cpms_store::repo::panels as repo;

use super::access::Loaded;
use crate::attachments::{MediaType, safe_file_name};
use crate::{App, AppError, Caller};

/// A shared attachment ready to download.
#[derive(Debug, Clone)]
pub struct SharedFile {
    /// `<panel>-<kind>-<id prefix>.<ext>`, safe for a download header.
    pub file_name: String,
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
}

impl App {
    /// The attachment `id` if the panel shares it and the caller may see
    /// the shared record; audited as a read of the patient's data. An
    /// attachment of the record that the panel does not share is refused
    /// as if it did not exist, and the attempt is audited.
    pub async fn panel_shared_file(
        &self,
        caller: &Caller,
        reference: &str,
        id: &str,
    ) -> Result<SharedFile, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::ViewShared)
            .await?;
        let mut conn = self.store().read().await?;
        let shares = repo::shares(&mut conn, loaded.panel.id).await?;
        drop(conn);
        if !shares.attachments.iter().any(|shared| shared == id) {
            return Err(self.refuse_unshared(caller, &loaded, id).await);
        }
        let (attachment, bytes) = self.attachment_bytes(loaded.panel.patient, id).await?;
        self.audit_patient(
            caller,
            "panel.read_shared",
            loaded.panel.patient,
            Some(format!(
                "{} attachment {}",
                loaded.panel.reference, attachment.id
            )),
        )
        .await?;
        let short_id: String = attachment.id.chars().take(8).collect();
        let stem = format!(
            "{}-{}-{short_id}",
            loaded.panel.reference,
            attachment.kind.as_str()
        );
        Ok(SharedFile {
            file_name: safe_file_name(&stem, attachment.media_type),
            media_type: attachment.media_type,
            bytes,
        })
    }

    /// Audits an attempt on an attachment the panel does not share; the
    /// answer is "not found" so that nothing tells whether it exists.
    async fn refuse_unshared(&self, caller: &Caller, loaded: &Loaded, id: &str) -> AppError {
        // The id comes from the URL: keep only what an id can hold.
        let shown: String = id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(32)
            .collect();
        let event = NewEvent::new("panel.read_shared", loaded.target(), Outcome::Denied)
            .by(caller.user.id)
            .on_behalf_of(caller.clinician_acted_for())
            .from_addr(caller.client.addr.clone())
            .detail(format!(
                "{} attachment {shown} is not shared with the panel",
                loaded.panel.reference
            ));
        let written = async {
            let mut tx = self.store().write().await?;
            audit::append(&mut tx, event, self.now()).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        };
        match written.await {
            Ok(()) => AppError::not_found("That attachment"),
            Err(err) => err,
        }
    }
}
