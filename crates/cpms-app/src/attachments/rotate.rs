//! Key rotation for attachments: the sealed file name in the database and
//! the encrypted blob are both brought under the newest key, so that the
//! old key can leave the ring afterwards.

use cpms_store::repo::attachments as repo;

use super::BlobId;
use super::on_record::name_context;
use crate::patients::{Rotation, RotationError};
use crate::{App, AppError};

/// Attachments re-sealed per transaction.
const BATCH: i64 = 200;

impl App {
    /// Re-seals every stale attachment name and re-encrypts every stale
    /// blob, counting them in `rotation`. A blob is swapped before its
    /// batch commits; should the commit fail, the next run finds the name
    /// still stale and the blob already fresh, both readable.
    pub(crate) async fn rotate_attachment_keys(
        &self,
        rotation: &mut Rotation,
    ) -> Result<(), RotationError> {
        let cipher = self.identity_cipher();
        let mut after: Option<String> = None;
        loop {
            let mut tx = self.store().write().await?;
            let batch = repo::sealed_names(&mut tx, after.as_deref(), BATCH).await?;
            let Some(last) = batch.last() else {
                break;
            };
            after = Some(last.id.clone());
            for row in &batch {
                let unopenable = |cause: AppError| RotationError::Unopenable {
                    patient: row.patient,
                    cause,
                };
                let blob = BlobId::parse(&row.id)?;
                rotation.attachments_checked += 1;
                if self.blobs().reseal(&blob).await.map_err(unopenable)? {
                    rotation.blobs_reencrypted += 1;
                }
                if !cipher.is_stale(&row.file_name_sealed) {
                    continue;
                }
                let context = name_context(row.patient, &blob);
                let clear = cipher
                    .open(&context, &row.file_name_sealed)
                    .map_err(unopenable)?;
                let fresh = cipher.seal(&context, &clear)?;
                repo::set_name_sealed(&mut tx, &row.id, &fresh).await?;
                rotation.names_resealed += 1;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}
