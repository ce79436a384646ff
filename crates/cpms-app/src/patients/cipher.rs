//! Identifying fields at rest: AES-256-GCM under a key ring. Each sealed
//! value names the key that sealed it, so keys can be rotated: the newest
//! key seals, any key of the ring opens, and `cpms keys rotate` re-seals
//! everything under the newest. The associated data binds a value to its
//! row, so a sealed value copied onto another patient does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppError;

const NONCE_BYTES: usize = 12;

/// The keys that may open identifying data; the last one seals.
pub struct IdentityCipher {
    keys: Vec<(String, Aes256Gcm)>,
}

impl std::fmt::Debug for IdentityCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("IdentityCipher")
            .field("key_ids", &ids)
            .finish()
    }
}

/// A short public name for a key: the start of a hash of it.
pub fn key_id(key: &[u8; 32]) -> String {
    let mut hash = Sha256::new();
    hash.update(b"cpms identity key id\0");
    hash.update(key);
    hex::encode(&hash.finalize()[..4])
}

impl IdentityCipher {
    /// `keys` oldest first; there must be at least one.
    pub fn new(keys: &[[u8; 32]]) -> Result<Self, AppError> {
        if keys.is_empty() {
            return Err(AppError::internal("no identity key configured"));
        }
        let keys = keys
            .iter()
            .map(|k| (key_id(k), Aes256Gcm::new(&Key::<Aes256Gcm>::from(*k))))
            .collect();
        Ok(Self { keys })
    }

    /// The id of the key that seals.
    pub fn current_key_id(&self) -> &str {
        self.keys.last().map_or("", |(id, _)| id.as_str())
    }

    /// Encrypts `plaintext` bound to `context` (the row and field) under
    /// the newest key: `KEYID:base64(nonce ‖ ciphertext ‖ tag)`.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<String, AppError> {
        let (id, cipher) = self
            .keys
            .last()
            .ok_or_else(|| AppError::internal("no identity key configured"))?;
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                &nonce.into(),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("encryption failed"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{id}:{}", STANDARD_NO_PAD.encode(bytes)))
    }

    /// Decrypts what [`seal`](Self::seal) wrote for the same `context`.
    pub fn open(&self, context: &str, sealed: &str) -> Result<Vec<u8>, AppError> {
        let (id, body) = sealed
            .split_once(':')
            .ok_or_else(|| AppError::internal("sealed value has no key id"))?;
        let (_, cipher) = self.keys.iter().find(|(k, _)| k == id).ok_or_else(|| {
            AppError::internal(format!(
                "identifying data is sealed with key {id}, which is not configured"
            ))
        })?;
        let bytes = STANDARD_NO_PAD
            .decode(body)
            .map_err(|_| AppError::internal("sealed value is not base64"))?;
        if bytes.len() < NONCE_BYTES {
            return Err(AppError::internal("sealed value is truncated"));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce
            .try_into()
            .map_err(|_| AppError::internal("sealed value is truncated"))?;
        cipher
            .decrypt(
                &nonce.into(),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("identifying data failed its integrity check"))
    }

    /// Whether a sealed value was sealed by an older key.
    pub fn is_stale(&self, sealed: &str) -> bool {
        !sealed.starts_with(&format!("{}:", self.current_key_id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_in_their_context() {
        let cipher = IdentityCipher::new(&[[7; 32]]).unwrap();
        let sealed = cipher.seal("patient:1:identity", b"Anna Rossi").unwrap();
        assert!(!sealed.contains("Anna"));
        assert_ne!(
            sealed,
            cipher.seal("patient:1:identity", b"Anna Rossi").unwrap(),
            "fresh nonce"
        );
        assert_eq!(
            cipher.open("patient:1:identity", &sealed).unwrap(),
            b"Anna Rossi"
        );
        assert!(cipher.open("patient:2:identity", &sealed).is_err());
    }

    #[test]
    fn rotation_keeps_old_values_readable_and_marks_them_stale() {
        let old = IdentityCipher::new(&[[1; 32]]).unwrap();
        let sealed = old.seal("c", b"x").unwrap();
        let rotated = IdentityCipher::new(&[[1; 32], [2; 32]]).unwrap();
        assert_eq!(rotated.open("c", &sealed).unwrap(), b"x");
        assert!(rotated.is_stale(&sealed));
        let resealed = rotated.seal("c", b"x").unwrap();
        assert!(!rotated.is_stale(&resealed));
        let err = IdentityCipher::new(&[[2; 32]])
            .unwrap()
            .open("c", &sealed)
            .unwrap_err();
        assert!(err.message.contains("not configured"), "{err}");
    }
}
