//! De-identifying whatever parses must succeed or fail cleanly, and its output must parse.
#![no_main]

mod limits;

use cpms_dicom::deid::{self, DateShift, DeidOptions, Pseudonym};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = cpms_dicom::DicomFile::from_bytes(data, &limits::limits()) else {
        return;
    };
    let options = DeidOptions {
        uid_key: b"fuzz".to_vec(),
        pseudonym: Pseudonym {
            patient_name: "FUZZ^PSEUDONYM".into(),
            patient_id: "FUZZ1".into(),
        },
        retain_longitudinal: Some(DateShift { days: -17 }),
        retain_device_identity: data.len() % 2 == 0,
    };
    if let Ok(output) = deid::deidentify(file, &options, &mut |r| r.path.clone()) {
        let reparsed = cpms_dicom::DicomFile::from_bytes(&output.bytes, &cpms_dicom::Limits::default());
        assert!(reparsed.is_ok(), "de-identified output does not parse: {:?}", reparsed.err());
    }
});
