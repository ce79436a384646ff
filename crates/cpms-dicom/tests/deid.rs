//! De-identification: no identifying value survives anywhere, UIDs are consistent, options work.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use cpms_dicom::deid::{self, BurnedInReason, DateShift, DeidOptions, Pseudonym};
use cpms_dicom::synth::{self, Encoding, Identity, InstanceIds, TestImage};
use cpms_dicom::{DicomFile, Limits};
use dicom_core::header::HasLength;
use dicom_dictionary_std::tags;

fn options(key: &[u8]) -> DeidOptions {
    DeidOptions {
        uid_key: key.to_vec(),
        pseudonym: Pseudonym {
            patient_name: "ERN-PSEUDO-0001".into(),
            patient_id: "ERNP0001".into(),
        },
        retain_longitudinal: None,
        retain_device_identity: false,
    }
}

fn run(bytes: &[u8], options: &DeidOptions) -> deid::Deidentified {
    let file = DicomFile::from_bytes(bytes, &Limits::default()).unwrap();
    deid::deidentify(file, options, &mut |r| format!("bulk/{}", r.path)).unwrap()
}

fn ct_instance(identity: &Identity, encoding: Encoding) -> Vec<u8> {
    let image = TestImage::ct_slice(64, 64, 0.5, 1);
    synth::instance(&image, encoding, identity, &InstanceIds::derived("leak", 1)).unwrap()
}

fn text_of(obj: &dicom_object::InMemDicomObject, tag: dicom_core::Tag) -> String {
    obj.element(tag)
        .unwrap()
        .to_str()
        .unwrap()
        .trim()
        .to_string()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}

/// Every form in which a value could survive: as given, DICOM-padded, upper and lower case.
fn forms(value: &str) -> Vec<String> {
    vec![
        value.to_string(),
        format!("{value} "),
        format!("{value}\0"),
        value.to_uppercase(),
        value.to_lowercase(),
    ]
}

fn assert_no_leak(identity: &Identity, original_uids: &[String], output: &deid::Deidentified) {
    let json = output.json.to_string();
    let summary = serde_json::to_string(&output.summary).unwrap();
    for value in identity
        .values()
        .into_iter()
        .map(String::from)
        .chain(original_uids.iter().cloned())
    {
        for form in forms(&value) {
            assert!(
                !contains(&output.bytes, &form),
                "{form:?} survives in the output bytes"
            );
            assert!(!json.contains(&form), "{form:?} survives in the JSON");
            assert!(!summary.contains(&form), "{form:?} survives in the summary");
        }
    }
}

#[test]
fn no_identifying_value_survives_in_any_transfer_syntax() {
    let identity = Identity::sample();
    let ids = InstanceIds::derived("leak", 1);
    let original_uids = vec![ids.study.clone(), ids.series.clone(), ids.instance.clone()];
    for encoding in [
        Encoding::ExplicitVrLittleEndian,
        Encoding::ImplicitVrLittleEndian,
        Encoding::ExplicitVrBigEndian,
        Encoding::DeflatedExplicitVrLittleEndian,
        Encoding::RleLossless,
    ] {
        let input = ct_instance(&identity, encoding);
        for value in identity.values() {
            if encoding != Encoding::DeflatedExplicitVrLittleEndian {
                assert!(
                    contains(&input, value),
                    "{value} missing from the synthetic input"
                );
            }
        }
        let output = run(&input, &options(b"key-1"));
        assert_no_leak(&identity, &original_uids, &output);
        let reparsed = DicomFile::from_bytes(&output.bytes, &Limits::default()).unwrap();
        assert_eq!(reparsed.transfer_syntax(), encoding.uid());
        assert_eq!(
            reparsed.object().meta().media_storage_sop_instance_uid(),
            output.summary.sop_instance_uid
        );
    }
}

#[test]
fn pseudonym_and_deidentification_markers_are_written() {
    let output = run(
        &ct_instance(&Identity::sample(), Encoding::ExplicitVrLittleEndian),
        &options(b"k"),
    );
    let obj = output.file.object();
    let text = |tag| text_of(obj, tag);
    assert_eq!(text(tags::PATIENT_NAME), "ERN-PSEUDO-0001");
    assert_eq!(text(tags::PATIENT_ID), "ERNP0001");
    assert_eq!(text(tags::PATIENT_IDENTITY_REMOVED), "YES");
    assert!(
        text(tags::DEIDENTIFICATION_METHOD).contains("Basic Application Confidentiality Profile")
    );
    let codes = obj
        .element(tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE)
        .unwrap();
    let first = &codes.items().unwrap()[0];
    assert_eq!(
        first
            .element(tags::CODE_VALUE)
            .unwrap()
            .to_str()
            .unwrap()
            .trim(),
        "113100"
    );
    assert_eq!(
        text(tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED),
        "REMOVED"
    );
    // Study Date is Z: present but empty; Patient's Address is X: gone; private tags gone.
    assert!(obj.element(tags::STUDY_DATE).unwrap().is_empty());
    assert!(obj.element_opt(tags::PATIENT_ADDRESS).unwrap().is_none());
    assert!(
        obj.element_opt(dicom_core::Tag(0x0009, 0x0010))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        output.json["00100010"]["Value"][0]["Alphabetic"],
        "ERN-PSEUDO-0001"
    );
    assert_eq!(output.json["7FE00010"]["BulkDataURI"], "bulk/7FE00010");
    assert_eq!(output.summary.modality.as_deref(), Some("CT"));
    assert_eq!(output.summary.rows, Some(64));
    assert_eq!(output.burned_in, None);
}

#[test]
fn uids_are_consistent_per_key_and_differ_between_keys() {
    let input = ct_instance(&Identity::sample(), Encoding::ExplicitVrLittleEndian);
    let a = run(&input, &options(b"key-a"));
    let again = run(&input, &options(b"key-a"));
    let b = run(&input, &options(b"key-b"));
    assert_eq!(
        a.summary.study_instance_uid,
        again.summary.study_instance_uid
    );
    assert_eq!(a.summary.sop_instance_uid, again.summary.sop_instance_uid);
    assert_eq!(a.bytes, again.bytes);
    assert_ne!(a.summary.study_instance_uid, b.summary.study_instance_uid);
    assert_ne!(a.summary.series_instance_uid, b.summary.series_instance_uid);
    let original = InstanceIds::derived("leak", 1);
    assert_eq!(
        a.summary.study_instance_uid,
        deid::replace_uid(b"key-a", &original.study)
    );
    assert!(a.summary.study_instance_uid.starts_with("2.25."));
    assert!(a.summary.study_instance_uid.len() <= 64);
    // Standard UIDs (SOP class) are kept.
    assert_eq!(a.summary.sop_class_uid, "1.2.840.10008.5.1.4.1.1.2");
}

#[test]
fn instances_of_one_study_keep_a_shared_study_uid_and_distinct_instance_uids() {
    let identity = Identity::sample();
    let study = synth::ct_study(&identity, 3, 32, 32).unwrap();
    let outputs: Vec<_> = study
        .iter()
        .map(|bytes| run(bytes, &options(b"k")))
        .collect();
    assert!(
        outputs
            .iter()
            .all(|o| o.summary.study_instance_uid == outputs[0].summary.study_instance_uid)
    );
    assert!(
        outputs
            .iter()
            .all(|o| o.summary.series_instance_uid == outputs[0].summary.series_instance_uid)
    );
    assert_ne!(
        outputs[0].summary.sop_instance_uid,
        outputs[1].summary.sop_instance_uid
    );
}

#[test]
fn nested_sequences_are_cleaned_and_uids_inside_replaced() {
    let ids = InstanceIds::derived("leak", 1);
    let output = run(
        &ct_instance(&Identity::sample(), Encoding::ExplicitVrLittleEndian),
        &options(b"k"),
    );
    let obj = output.file.object();
    // X sequences are gone entirely.
    assert!(
        obj.element_opt(tags::REFERENCED_PATIENT_SEQUENCE)
            .unwrap()
            .is_none()
    );
    assert!(
        obj.element_opt(tags::REQUEST_ATTRIBUTES_SEQUENCE)
            .unwrap()
            .is_none()
    );
    // X/Z/U* sequence is kept with the referenced instance UID replaced consistently.
    let source = obj.element(tags::SOURCE_IMAGE_SEQUENCE).unwrap();
    let item = &source.items().unwrap()[0];
    let referenced = item
        .element(tags::REFERENCED_SOP_INSTANCE_UID)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        referenced.trim_end_matches('\0'),
        deid::replace_uid(b"k", &format!("{}.7", ids.series))
    );
    let class = item
        .element(tags::REFERENCED_SOP_CLASS_UID)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(class.trim_end_matches('\0'), "1.2.840.10008.5.1.4.1.1.2");
}

#[test]
fn longitudinal_option_shifts_dates_and_keeps_times() {
    let identity = Identity::sample();
    let mut opts = options(b"k");
    opts.retain_longitudinal = Some(DateShift { days: -10 });
    let output = run(
        &ct_instance(&identity, Encoding::ExplicitVrLittleEndian),
        &opts,
    );
    let obj = output.file.object();
    let text = |tag| text_of(obj, tag);
    assert_eq!(text(tags::STUDY_DATE), "20230904");
    assert_eq!(text(tags::CONTENT_DATE), "20230904");
    assert_eq!(text(tags::STUDY_TIME), "101530");
    assert_eq!(
        text(tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED),
        "MODIFIED"
    );
    // Birth date is never shifted into the output: it stays empty.
    assert!(obj.element(tags::PATIENT_BIRTH_DATE).unwrap().is_empty());
    assert_eq!(output.summary.study_date.as_deref(), Some("20230904"));
    assert!(text(tags::DEIDENTIFICATION_METHOD).contains("Retain Longitudinal"));
}

#[test]
fn device_identity_option_keeps_device_attributes_only() {
    let identity = Identity::sample();
    let input = ct_instance(&identity, Encoding::ExplicitVrLittleEndian);
    let plain = run(&input, &options(b"k"));
    let mut opts = options(b"k");
    opts.retain_device_identity = true;
    let kept = run(&input, &opts);
    assert!(!contains(&plain.bytes, &identity.station_name));
    assert!(!contains(&plain.bytes, &identity.device_serial_number));
    assert!(contains(&kept.bytes, &identity.station_name));
    assert!(contains(&kept.bytes, &identity.device_serial_number));
    assert!(!contains(&kept.bytes, &identity.institution));
    assert!(!contains(&kept.bytes, &identity.patient_name));
}

#[test]
fn burned_in_annotation_is_reported() {
    let identity = Identity::sample();
    let ids = InstanceIds::derived("sc", 1);
    let palette = synth::instance(
        &TestImage::palette(16, 16),
        Encoding::ExplicitVrLittleEndian,
        &identity,
        &ids,
    )
    .unwrap();
    let output = run(&palette, &options(b"k"));
    assert_eq!(
        output.burned_in,
        Some(BurnedInReason::TypicallyBurnedInSopClass {
            sop_class_uid: "1.2.840.10008.5.1.4.1.1.7".into()
        })
    );
}
