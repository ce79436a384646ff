//! Key rotation: every identity still sealed under an older key of the
//! ring is opened and sealed again under the newest, in batches so a large
//! database is not held in one transaction. Running it twice is harmless:
//! the second run finds nothing stale.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::PatientId;
use cpms_store::repo::{audit, patients};

use super::record::identity_context;
use crate::{App, AppError};

/// Identities re-sealed per transaction.
const BATCH: i64 = 500;

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The key everything is now sealed under.
    pub key_id: String,
    /// Sealed identities looked at.
    pub checked: u64,
    /// Of those, re-sealed because an older key had sealed them.
    pub resealed: u64,
    /// Attachments looked at.
    pub attachments_checked: u64,
    /// Attachment file names re-sealed.
    pub names_resealed: u64,
    /// Attachment blobs re-encrypted.
    pub blobs_reencrypted: u64,
}

/// Why a rotation stopped.
#[derive(Debug)]
pub enum RotationError {
    /// A sealed identity does not open with any configured key: the ring
    /// lacks the key that sealed it, or the value was altered.
    Unopenable {
        patient: PatientId,
        cause: AppError,
    },
    Other(AppError),
}

impl From<AppError> for RotationError {
    fn from(err: AppError) -> Self {
        Self::Other(err)
    }
}

impl From<cpms_store::StoreError> for RotationError {
    fn from(err: cpms_store::StoreError) -> Self {
        Self::Other(err.into())
    }
}

impl App {
    /// Re-seals every stale identity under the newest key; audited.
    pub async fn rotate_identity_keys(&self) -> Result<Rotation, RotationError> {
        let cipher = self.identity_cipher();
        let mut rotation = Rotation {
            key_id: cipher.current_key_id().to_owned(),
            checked: 0,
            resealed: 0,
            attachments_checked: 0,
            names_resealed: 0,
            blobs_reencrypted: 0,
        };
        let mut after = None;
        loop {
            let mut tx = self.store().write().await?;
            let batch = patients::sealed_identities(&mut tx, after, BATCH).await?;
            let Some((last, _)) = batch.last() else {
                break;
            };
            after = Some(*last);
            for (patient, sealed) in &batch {
                rotation.checked += 1;
                if !cipher.is_stale(sealed) {
                    continue;
                }
                let context = identity_context(*patient);
                let clear =
                    cipher
                        .open(&context, sealed)
                        .map_err(|cause| RotationError::Unopenable {
                            patient: *patient,
                            cause,
                        })?;
                let fresh = cipher.seal(&context, &clear)?;
                patients::set_identity(&mut tx, *patient, Some(&fresh)).await?;
                rotation.resealed += 1;
            }
            tx.commit().await?;
        }
        self.rotate_attachment_keys(&mut rotation).await?;
        let mut tx = self.store().write().await?;
        let event =
            NewEvent::new("keys.rotate", "identity_keys", Outcome::Success).detail(format!(
                "{} of {} identities, {} attachment names and {} blobs of {} attachments \
                 re-sealed under key {}",
                rotation.resealed,
                rotation.checked,
                rotation.names_resealed,
                rotation.blobs_reencrypted,
                rotation.attachments_checked,
                rotation.key_id
            ));
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(rotation)
    }
}
