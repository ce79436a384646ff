//! Parsing arbitrary bytes must give a value or a typed error, never a panic.
#![no_main]

mod limits;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = cpms_dicom::DicomFile::from_bytes(data, &limits::limits()) {
        let _ = cpms_dicom::InstanceSummary::of(&file);
        let _ = file.to_bytes();
    }
});
