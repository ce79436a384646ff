//! The per-patient secrets of de-identification: the UID key and the date
//! shift are both derived from the configured key and the patient's id, so
//! they are stable across uploads of one record and unrelated between
//! records.

use cpms_dicom::deid::{DateShift, DeidOptions, Pseudonym};
use cpms_domain::ids::PatientId;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::ImagingSettings;

/// Dates move back by 1 to this many days.
const MAX_SHIFT_DAYS: u32 = 3650;

fn derive(key: &[u8; 32], purpose: &str, patient: PatientId) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(purpose.as_bytes());
    mac.update(patient.to_string().as_bytes());
    mac.finalize().into_bytes().into()
}

/// The de-identification options for one patient's uploads.
pub(super) fn deid_options(
    settings: &ImagingSettings,
    patient: PatientId,
    pseudonym: &str,
) -> DeidOptions {
    let shift = settings.retain_dates.then(|| {
        let bytes = derive(&settings.uid_key, "imaging-date-shift:", patient);
        let value = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let days = 1 + value % MAX_SHIFT_DAYS;
        DateShift {
            days: -i32::try_from(days).unwrap_or(1),
        }
    });
    DeidOptions {
        uid_key: derive(&settings.uid_key, "imaging-uid:", patient).to_vec(),
        pseudonym: Pseudonym {
            patient_name: pseudonym.to_owned(),
            patient_id: pseudonym.to_owned(),
        },
        retain_longitudinal: shift,
        retain_device_identity: settings.retain_device_identity,
    }
}
