//! Patients and the clinical record: enrolment under consent, the owner's
//! list, the record with its history, coded terms. Identifying fields are
//! sealed by [`IdentityCipher`] before they reach storage.

mod cipher;
mod consent_form;
mod consents;
mod demo;
mod enrol;
mod entries;
mod erase;
mod export;
mod list;
mod pedigree;
mod record;
mod rotate;
mod template_fields;
mod terms;

pub use cipher::{IdentityCipher, key_id};
pub use consents::ConsentForm;
pub(crate) use demo::synthetic_history;
pub use enrol::EnrolForm;
pub use entries::{LabForm, TreatmentForm, VariantForm};
pub use erase::ErasureMode;
pub use list::{ListRequest, PAGE_SIZE, PatientList, Total};
pub use pedigree::PedigreeEdit;
pub(crate) use record::editable;
pub use record::{History, RecordView};
pub use rotate::{Rotation, RotationError};
pub use terms::TermHit;
