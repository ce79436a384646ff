//! Where attachment bytes live: a port, so that an object store can replace
//! the filesystem, and the filesystem adapter under the data directory.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use rand::RngCore;

use crate::AppError;

/// A random name for stored bytes; never derived from the file's name or
/// the patient, so the store itself reveals nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobId(String);

impl BlobId {
    pub fn new() -> Self {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// An id read back from storage: 32 lowercase hex digits, so it is safe
    /// as a file name.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let valid = text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(AppError::invalid("That attachment id is not valid."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for BlobId {
    fn default() -> Self {
        Self::new()
    }
}

pub type BlobFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// Stores opaque bytes (already encrypted by [`super::SealedBlobs`]).
pub trait BlobStore: Send + Sync {
    fn put<'a>(&'a self, id: &'a BlobId, bytes: Vec<u8>) -> BlobFuture<'a, ()>;
    /// `None` when there is no such blob.
    fn get<'a>(&'a self, id: &'a BlobId) -> BlobFuture<'a, Option<Vec<u8>>>;
    /// Deleting a blob that is not there is not an error (erasure retries).
    fn delete<'a>(&'a self, id: &'a BlobId) -> BlobFuture<'a, ()>;
}

/// One file per blob in a directory readable by the server's user only.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn open(root: &Path) -> Result<Self, AppError> {
        std::fs::create_dir_all(root).map_err(|e| {
            AppError::internal(format!(
                "cannot create blob directory {}: {e}",
                root.display()
            ))
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o700))
                .map_err(AppError::internal)?;
        }
        Ok(Self {
            root: root.to_owned(),
        })
    }

    fn path(&self, id: &BlobId) -> PathBuf {
        self.root.join(id.as_str())
    }
}

impl BlobStore for FsBlobStore {
    fn put<'a>(&'a self, id: &'a BlobId, bytes: Vec<u8>) -> BlobFuture<'a, ()> {
        Box::pin(async move {
            // Written aside and renamed, so a crash never leaves half a file
            // under the blob's name.
            let partial = self.root.join(format!("{}.partial", id.as_str()));
            tokio::fs::write(&partial, bytes)
                .await
                .map_err(AppError::internal)?;
            tokio::fs::rename(&partial, self.path(id))
                .await
                .map_err(AppError::internal)
        })
    }

    fn get<'a>(&'a self, id: &'a BlobId) -> BlobFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            match tokio::fs::read(self.path(id)).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(AppError::internal(e)),
            }
        })
    }

    fn delete<'a>(&'a self, id: &'a BlobId) -> BlobFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(id)).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(AppError::internal(e)),
            }
        })
    }
}
