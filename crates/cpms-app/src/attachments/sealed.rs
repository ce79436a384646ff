//! Attachments encrypted at rest: AES-256-GCM under the same key ring as
//! identifying fields (with its key ids, so rotation covers blobs too),
//! bound to the blob's id so that bytes moved to another id do not open.

use std::sync::Arc;

use super::{BlobId, BlobStore};
use crate::AppError;
use crate::patients::IdentityCipher;

pub struct SealedBlobs {
    store: Arc<dyn BlobStore>,
    cipher: Arc<IdentityCipher>,
}

impl SealedBlobs {
    pub fn new(store: Arc<dyn BlobStore>, cipher: Arc<IdentityCipher>) -> Self {
        Self { store, cipher }
    }

    /// Encrypts and stores `plaintext`; returns the new blob's id.
    pub async fn put(&self, plaintext: &[u8]) -> Result<BlobId, AppError> {
        let id = BlobId::new();
        self.put_as(&id, plaintext).await?;
        Ok(id)
    }

    /// Encrypts and stores `plaintext` under an id chosen beforehand (an
    /// imaging upload journals the id before the blob exists).
    pub async fn put_as(&self, id: &BlobId, plaintext: &[u8]) -> Result<(), AppError> {
        let sealed = self.cipher.seal(&context(id), plaintext)?;
        self.store.put(id, sealed.into_bytes()).await
    }

    pub async fn get(&self, id: &BlobId) -> Result<Option<Vec<u8>>, AppError> {
        let Some(sealed) = self.store.get(id).await? else {
            return Ok(None);
        };
        let sealed = String::from_utf8(sealed)
            .map_err(|_| AppError::internal("a stored attachment is not a sealed value"))?;
        self.cipher.open(&context(id), &sealed).map(Some)
    }

    /// Key rotation: re-encrypts a blob sealed under an older key. The new
    /// bytes are written aside and renamed over the old (the store's `put`),
    /// so a crash leaves either the old or the new blob, both readable while
    /// the old key is in the ring. Returns whether the blob was stale.
    pub async fn reseal(&self, id: &BlobId) -> Result<bool, AppError> {
        let Some(sealed) = self.store.get(id).await? else {
            return Err(AppError::internal(format!(
                "attachment blob {} is missing",
                id.as_str()
            )));
        };
        let sealed = String::from_utf8(sealed)
            .map_err(|_| AppError::internal("a stored attachment is not a sealed value"))?;
        if !self.cipher.is_stale(&sealed) {
            return Ok(false);
        }
        let clear = self.cipher.open(&context(id), &sealed)?;
        let fresh = self.cipher.seal(&context(id), &clear)?;
        self.store.put(id, fresh.into_bytes()).await?;
        Ok(true)
    }

    pub async fn delete(&self, id: &BlobId) -> Result<(), AppError> {
        self.store.delete(id).await
    }
}

fn context(id: &BlobId) -> String {
    format!("blob:{}", id.as_str())
}
