//! Parsing limits and hostile input: every bad input is a typed error, never a panic or a
//! huge allocation.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use std::io::Write;
use std::time::Instant;

use cpms_dicom::synth::{self, Encoding, Identity, InstanceIds, TestImage};
use cpms_dicom::{DicomError, DicomFile, Limits, syntax};
use dicom_object::FileMetaTableBuilder;
use proptest::prelude::*;

/// Preamble, DICM, a meta group for `ts`, then the raw `dataset` bytes.
fn part10(ts: &str, dataset: &[u8]) -> Vec<u8> {
    let meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid("1.2.840.10008.5.1.4.1.1.7")
        .media_storage_sop_instance_uid("1.2.3.4")
        .transfer_syntax(ts)
        .implementation_class_uid("1.2.3.4.5")
        .build()
        .unwrap();
    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    meta.write(&mut out).unwrap();
    out.extend_from_slice(dataset);
    out
}

/// An explicit VR little-endian element.
fn element(group: u16, elem: u16, vr: &[u8; 2], value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&group.to_le_bytes());
    out.extend_from_slice(&elem.to_le_bytes());
    out.extend_from_slice(vr);
    if matches!(vr, b"OB" | b"OW" | b"SQ" | b"UN" | b"UT") {
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&(value.len() as u32).to_le_bytes());
    } else {
        out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    }
    out.extend_from_slice(value);
    out
}

fn uids() -> Vec<u8> {
    [
        element(0x0008, 0x0016, b"UI", b"1.2.840.10008.5.1.4.1.1.7\0"),
        element(0x0008, 0x0018, b"UI", b"1.2.3.4\0"),
        element(0x0020, 0x000D, b"UI", b"1.2.3.5\0"),
        element(0x0020, 0x000E, b"UI", b"1.2.3.6\0"),
    ]
    .concat()
}

fn parse(bytes: &[u8]) -> Result<DicomFile, DicomError> {
    DicomFile::from_bytes(bytes, &Limits::default())
}

fn sample() -> Vec<u8> {
    synth::instance(
        &TestImage::ct_slice(32, 32, 0.5, 0),
        Encoding::ExplicitVrLittleEndian,
        &Identity::sample(),
        &InstanceIds::derived("parse", 1),
    )
    .unwrap()
}

#[test]
fn valid_minimal_instance_parses_with_and_without_preamble() {
    let bytes = part10(syntax::EXPLICIT_VR_LE, &uids());
    let file = parse(&bytes).unwrap();
    assert_eq!(file.sop_instance_uid(), "1.2.3.4");
    assert_eq!(file.geometry(), None);
    assert!(parse(&bytes[128..]).is_ok());
}

#[test]
fn not_dicom_inputs_are_named() {
    assert!(matches!(parse(b""), Err(DicomError::NotDicom(_))));
    assert!(matches!(parse(&[0u8; 500]), Err(DicomError::NotDicom(_))));
    assert!(matches!(
        parse(b"%PDF-1.7 not an image at all, really not"),
        Err(DicomError::NotDicom(_))
    ));
    let no_ts = [
        vec![0u8; 128],
        b"DICM".to_vec(),
        element(0x0002, 0x0001, b"OB", &[0, 1]),
    ]
    .concat();
    assert!(matches!(parse(&no_ts), Err(DicomError::NotDicom(_))));
}

#[test]
fn missing_required_attributes_are_named() {
    let without_instance_uid = part10(
        syntax::EXPLICIT_VR_LE,
        &[
            element(0x0008, 0x0016, b"UI", b"1.2\0"),
            element(0x0020, 0x000D, b"UI", b"1.3\0"),
        ]
        .concat(),
    );
    assert!(matches!(
        parse(&without_instance_uid),
        Err(DicomError::MissingAttribute("SOPInstanceUID"))
    ));
    let image_without_rows = part10(
        syntax::EXPLICIT_VR_LE,
        &[uids(), element(0x7FE0, 0x0010, b"OW", &[0; 8])].concat(),
    );
    assert!(matches!(
        parse(&image_without_rows),
        Err(DicomError::MissingAttribute("Rows"))
    ));
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let bytes = sample();
    for cut in (0..bytes.len())
        .step_by(37)
        .chain([bytes.len() - 1, bytes.len() - 2])
    {
        // A cut exactly between elements leaves a valid instance without pixel data.
        if let Ok(file) = parse(&bytes[..cut]) {
            assert!(file.geometry().is_none(), "cut at {cut} kept an image");
        }
    }
    let cut_in_pixels = bytes.len() - 500;
    assert!(matches!(
        parse(&bytes[..cut_in_pixels]),
        Err(DicomError::Truncated(_))
    ));
}

#[test]
fn absurd_lengths_fail_fast_without_allocating() {
    // A 4 GB length in a small file.
    let mut dataset = uids();
    dataset.extend_from_slice(&[
        0x10, 0x00, 0x10, 0x00, b'U', b'T', 0, 0, 0xF0, 0xFF, 0xFF, 0xFF,
    ]);
    dataset.extend_from_slice(&[b'A'; 900]);
    let bytes = part10(syntax::EXPLICIT_VR_LE, &dataset);
    let started = Instant::now();
    let err = parse(&bytes).unwrap_err();
    assert!(
        matches!(err, DicomError::Truncated(ref m) if m.contains("4294967280")),
        "{err}"
    );
    assert!(started.elapsed().as_millis() < 100);
    // The same in implicit VR and big endian.
    let mut implicit = Vec::new();
    implicit.extend_from_slice(&[0x10, 0x00, 0x10, 0x00, 0xF0, 0xFF, 0xFF, 0x7F]);
    assert!(matches!(
        parse(&part10(syntax::IMPLICIT_VR_LE, &implicit)),
        Err(DicomError::Truncated(_))
    ));
    let big = [
        0x00, 0x10, 0x00, 0x10, b'U', b'T', 0, 0, 0x7F, 0xFF, 0xFF, 0xF0,
    ];
    assert!(matches!(
        parse(&part10(syntax::EXPLICIT_VR_BE, &big)),
        Err(DicomError::Truncated(_))
    ));
    // An item that claims more than its sequence holds.
    let mut sequence = element(
        0x0008,
        0x1140,
        b"SQ",
        &[0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0x0F],
    );
    sequence.extend_from_slice(&[0; 16]);
    assert!(
        parse(&part10(
            syntax::EXPLICIT_VR_LE,
            &[uids(), sequence].concat()
        ))
        .is_err()
    );
    // Undefined length on a plain value.
    let undefined = [
        0x10, 0x00, 0x10, 0x00, b'U', b'T', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
    ];
    assert!(matches!(
        parse(&part10(syntax::EXPLICIT_VR_LE, &undefined)),
        Err(DicomError::Malformed(_))
    ));
}

/// `depth` nested undefined-length sequences.
fn nested(depth: usize) -> Vec<u8> {
    let mut inner = Vec::new();
    for _ in 0..depth {
        let mut out = vec![
            0x08, 0x00, 0x40, 0x11, b'S', b'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
        ];
        out.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
        out.extend_from_slice(&inner);
        out.extend_from_slice(&[0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]);
        out.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        inner = out;
    }
    inner
}

#[test]
fn deep_sequence_nesting_is_bounded() {
    let shallow = part10(syntax::EXPLICIT_VR_LE, &[uids(), nested(5)].concat());
    assert!(parse(&shallow).is_ok());
    let deep = part10(syntax::EXPLICIT_VR_LE, &[uids(), nested(10_000)].concat());
    let err = parse(&deep).unwrap_err();
    assert!(
        matches!(
            err,
            DicomError::TooLarge {
                what: "sequence nesting depth",
                limit: 16,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn image_limits_are_enforced() {
    let ct = sample();
    let instance = |image: TestImage| {
        synth::instance(
            &image,
            Encoding::ExplicitVrLittleEndian,
            &Identity::sample(),
            &InstanceIds::derived("m", 1),
        )
        .unwrap()
    };
    let multi = instance(TestImage::grey8(4, 4, 5));
    let colour = instance(TestImage::color(4, 4, "RGB"));
    let cases: [(&[u8], Limits, &str, u64); 7] = [
        (
            &ct,
            Limits {
                max_rows: 16,
                ..Limits::default()
            },
            "rows",
            16,
        ),
        (
            &ct,
            Limits {
                max_columns: 16,
                ..Limits::default()
            },
            "columns",
            16,
        ),
        (
            &ct,
            Limits {
                max_bits_allocated: 8,
                ..Limits::default()
            },
            "bits allocated",
            8,
        ),
        (
            &ct,
            Limits {
                max_pixel_bytes: 1000,
                ..Limits::default()
            },
            "decoded pixel data bytes",
            1000,
        ),
        (
            &ct,
            Limits {
                max_file_bytes: 1000,
                ..Limits::default()
            },
            "file size",
            1000,
        ),
        (
            &multi,
            Limits {
                max_frames: 4,
                ..Limits::default()
            },
            "number of frames",
            4,
        ),
        (
            &colour,
            Limits {
                max_samples_per_pixel: 1,
                ..Limits::default()
            },
            "samples per pixel",
            1,
        ),
    ];
    for (bytes, limits, what, limit) in cases {
        let err = DicomFile::from_bytes(bytes, &limits).unwrap_err();
        assert!(
            matches!(err, DicomError::TooLarge { what: w, limit: l, .. } if w == what && l == limit),
            "{what}: {err}"
        );
    }
}

#[test]
fn short_pixel_data_and_unknown_syntaxes_are_rejected() {
    let dataset = [
        uids(),
        element(0x0028, 0x0002, b"US", &1u16.to_le_bytes()),
        element(0x0028, 0x0010, b"US", &64u16.to_le_bytes()),
        element(0x0028, 0x0011, b"US", &64u16.to_le_bytes()),
        element(0x0028, 0x0100, b"US", &16u16.to_le_bytes()),
        element(0x7FE0, 0x0010, b"OW", &[0; 64]),
    ]
    .concat();
    let err = parse(&part10(syntax::EXPLICIT_VR_LE, &dataset)).unwrap_err();
    assert!(
        matches!(err, DicomError::Malformed(ref m) if m.contains("8192")),
        "{err}"
    );
    let err = parse(&part10("1.2.3.999", &uids())).unwrap_err();
    assert!(
        matches!(err, DicomError::UnsupportedTransferSyntax(ref uid) if uid == "1.2.3.999"),
        "{err}"
    );
}

#[test]
fn deflate_bombs_are_bounded() {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&uids()).unwrap();
    let mut padding = element(0x0009, 0x1001, b"OB", &[]);
    let pad_len = 4 << 20;
    padding.truncate(padding.len() - 4);
    padding.extend_from_slice(&(pad_len as u32).to_le_bytes());
    encoder.write_all(&padding).unwrap();
    encoder.write_all(&vec![0u8; pad_len]).unwrap();
    let deflated = encoder.finish().unwrap();
    let bytes = part10(syntax::DEFLATED_EXPLICIT_VR_LE, &deflated);
    assert!(bytes.len() < 20_000);
    assert!(parse(&bytes).is_ok());
    let err = DicomFile::from_bytes(
        &bytes,
        &Limits {
            max_file_bytes: 1 << 20,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            DicomError::TooLarge {
                what: "inflated data set size",
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        parse(&part10(syntax::DEFLATED_EXPLICIT_VR_LE, b"not deflate")),
        Err(DicomError::Malformed(_))
    ));
}

#[test]
fn reader_input_is_capped() {
    let bytes = sample();
    assert!(DicomFile::from_reader(bytes.as_slice(), &Limits::default()).is_ok());
    let err = DicomFile::from_reader(
        std::io::repeat(0),
        &Limits {
            max_file_bytes: 10_000,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            DicomError::TooLarge {
                what: "file size",
                limit: 10_000,
                actual: 10_001
            }
        ),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = sample();
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        if let Ok(file) = parse(&bytes) {
            let _ = cpms_dicom::render::render_frame(&file, &cpms_dicom::render::RenderOptions::default());
        }
    }
}

/// Rewrites `bytes` with `tag` set to the US value `value`.
fn with_us(bytes: &[u8], tag: dicom_core::Tag, value: u16) -> Vec<u8> {
    let mut obj = parse(bytes).unwrap().into_object();
    obj.put(dicom_core::DataElement::new(
        tag,
        dicom_core::VR::US,
        dicom_core::value::PrimitiveValue::from(value),
    ));
    let mut out = Vec::new();
    obj.write_all(&mut out).unwrap();
    out
}

#[test]
fn fuzz_findings_stay_fixed() {
    // A meta group length that disagrees with the group made dicom-object read the data set
    // from the wrong offset and allocate gigabytes.
    let mut bytes = sample();
    let group_length = bytes
        .windows(6)
        .position(|w| w == [0x02, 0x00, 0x00, 0x00, b'U', b'L'])
        .unwrap();
    bytes[group_length + 8] = bytes[group_length + 8].wrapping_add(2);
    assert!(
        matches!(parse(&bytes), Err(DicomError::Malformed(ref m)) if m.contains("meta group length"))
    );

    // A numeric value whose length is not a whole number of values desynchronised the parser.
    let odd = part10(
        syntax::IMPLICIT_VR_LE,
        &[vec![0, 0, 0, 0, 26, 0, 0, 0], vec![b'x'; 26]].concat(),
    );
    assert!(
        matches!(parse(&odd), Err(DicomError::Malformed(ref m)) if m.contains("not a multiple"))
    );

    // Codec streams that disagree with Rows/Columns are reported instead of overrunning buffers.
    let options = cpms_dicom::render::RenderOptions::default();
    for encoding in [
        Encoding::JpegBaseline(90),
        Encoding::JpegLsLossless,
        Encoding::Jpeg2000Lossless,
        Encoding::RleLossless,
    ] {
        let bytes = synth::instance(
            &TestImage::grey8(16, 16, 1),
            encoding,
            &Identity::sample(),
            &InstanceIds::derived("f", 1),
        )
        .unwrap();
        let wrong = parse(&with_us(&bytes, dicom_dictionary_std::tags::ROWS, 24)).unwrap();
        let err = cpms_dicom::render::render_frame(&wrong, &options).unwrap_err();
        assert!(
            matches!(err, cpms_dicom::RenderError::Unsupported { .. }),
            "{encoding:?}: {err}"
        );
    }

    // File meta elements inside the data set must not reach the de-identified output.
    let bytes = part10(
        syntax::EXPLICIT_VR_LE,
        &[uids(), element(0x0002, 0x0010, b"UI", b"1.2.3\0")].concat(),
    );
    let options = cpms_dicom::deid::DeidOptions {
        uid_key: b"k".to_vec(),
        pseudonym: cpms_dicom::deid::Pseudonym {
            patient_name: "P".into(),
            patient_id: "P".into(),
        },
        retain_longitudinal: None,
        retain_device_identity: false,
    };
    let out =
        cpms_dicom::deid::deidentify(parse(&bytes).unwrap(), &options, &mut |r| r.path.clone())
            .unwrap();
    assert!(parse(&out.bytes).is_ok());
}
