//! Consistent, keyed replacement of UIDs.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Root of the UIDs the DICOM standard itself defines (SOP classes, transfer syntaxes, coding
/// schemes); they identify no one and must survive de-identification unchanged.
const STANDARD_UID_ROOT: &str = "1.2.840.10008.";

/// Replaces `uid` with `2.25.` + the decimal value of the first 128 bits of
/// HMAC-SHA256(key, uid). The same key and UID always give the same result, so references
/// between instances stay intact; without the key the original cannot be recovered or
/// confirmed by guessing.
pub fn replace_uid(key: &[u8], uid: &str) -> String {
    let uid = uid.trim_end_matches(['\0', ' ']);
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(uid.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    format!("2.25.{}", u128::from_be_bytes(first))
}

/// Replaces every UID in a backslash-separated value, keeping standard-defined UIDs.
pub(crate) fn replace_uid_list(key: &[u8], value: &str) -> String {
    value
        .split('\\')
        .map(|uid| {
            let uid = uid.trim_matches(['\0', ' ']);
            if uid.is_empty() || uid.starts_with(STANDARD_UID_ROOT) {
                uid.to_string()
            } else {
                replace_uid(key, uid)
            }
        })
        .collect::<Vec<_>>()
        .join("\\")
}
