//! Patients and the clinical record: enrolment under consent, the owner's
//! list, the record with its history, erasure and export. Identifying
//! fields are sealed by [`IdentityCipher`] before they reach storage.

mod cipher;

pub use cipher::{IdentityCipher, key_id};
