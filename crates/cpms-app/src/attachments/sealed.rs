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
        let sealed = self.cipher.seal(&context(&id), plaintext)?;
        self.store.put(&id, sealed.into_bytes()).await?;
        Ok(id)
    }

    pub async fn get(&self, id: &BlobId) -> Result<Option<Vec<u8>>, AppError> {
        let Some(sealed) = self.store.get(id).await? else {
            return Ok(None);
        };
        let sealed = String::from_utf8(sealed)
            .map_err(|_| AppError::internal("a stored attachment is not a sealed value"))?;
        self.cipher.open(&context(id), &sealed).map(Some)
    }

    pub async fn delete(&self, id: &BlobId) -> Result<(), AppError> {
        self.store.delete(id).await
    }
}

fn context(id: &BlobId) -> String {
    format!("blob:{}", id.as_str())
}
