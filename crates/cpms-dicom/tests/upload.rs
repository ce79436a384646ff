//! Upload helpers: zip archives with bomb limits, DICOMDIR folders and loose files.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use std::io::{Cursor, Write};

use cpms_dicom::Limits;
use cpms_dicom::synth::{self, Identity};
use cpms_dicom::upload::{self, UploadError, UploadItem, ZipLimits};
use zip::write::SimpleFileOptions;

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.add_directory("study/", options).unwrap();
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn names(items: &[UploadItem]) -> (Vec<String>, Vec<(String, String)>) {
    let mut dicom = Vec::new();
    let mut skipped = Vec::new();
    for item in items {
        match item {
            UploadItem::Dicom { name, .. } => dicom.push(name.clone()),
            UploadItem::Skipped { name, reason } => skipped.push((name.clone(), reason.clone())),
        }
    }
    (dicom, skipped)
}

#[test]
fn zip_yields_instances_and_explains_skips() {
    let ct = synth::ct_study(&Identity::sample(), 2, 16, 16).unwrap();
    let mut truncated = ct[0].clone();
    truncated.truncate(truncated.len() - 100);
    let archive = zip_of(&[
        ("study/IM1.dcm", ct[0].clone()),
        ("study/IM2", ct[1].clone()),
        ("study/readme.txt", b"hello".to_vec()),
        ("study/broken.dcm", truncated),
        ("../escape.dcm", ct[0].clone()),
        (
            "DICOMDIR",
            synth::dicomdir(&[vec!["STUDY", "IM2"]]).unwrap(),
        ),
    ]);
    let items: Vec<UploadItem> = upload::zip_files(
        Cursor::new(archive),
        ZipLimits::default(),
        Limits::default(),
    )
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap();
    let (dicom, skipped) = names(&items);
    assert_eq!(dicom, ["study/IM1.dcm", "study/IM2"]);
    let reasons: Vec<(&str, &str)> = skipped
        .iter()
        .map(|(n, r)| (n.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        reasons[0],
        ("study/readme.txt", "not a DICOM file (no DICM marker)")
    );
    assert_eq!(reasons[1].0, "study/broken.dcm");
    assert!(
        reasons[1].1.contains("truncated") || reasons[1].1.contains("pixel data"),
        "{}",
        reasons[1].1
    );
    assert_eq!(reasons[2], ("../escape.dcm", "unsafe path in archive"));
    assert_eq!(reasons[3], ("DICOMDIR", "DICOMDIR index, not an instance"));
}

#[test]
fn zip_bombs_are_stopped() {
    let zeros = vec![0u8; 8 << 20];
    let bomb = zip_of(&[("zeros.dcm", zeros)]);
    let mut files = upload::zip_files(
        Cursor::new(bomb.clone()),
        ZipLimits::default(),
        Limits::default(),
    )
    .unwrap();
    assert!(matches!(
        files.next(),
        Some(Err(UploadError::CompressionRatio { limit: 200, .. }))
    ));
    assert!(files.next().is_none(), "iteration must stop after a bomb");

    let total = ZipLimits {
        max_total_bytes: 1 << 20,
        max_ratio: u64::MAX,
        ..ZipLimits::default()
    };
    let mut files = upload::zip_files(Cursor::new(bomb), total, Limits::default()).unwrap();
    assert!(matches!(
        files.next(),
        Some(Err(UploadError::TotalTooLarge { limit: 1_048_576 }))
    ));

    let many = zip_of(&[("a", vec![1]), ("b", vec![2]), ("c", vec![3])]);
    let few = ZipLimits {
        max_entries: 3,
        ..ZipLimits::default()
    };
    assert!(matches!(
        upload::zip_files(Cursor::new(many), few, Limits::default()),
        Err(UploadError::TooManyEntries {
            limit: 3,
            actual: 4
        })
    ));
    assert!(matches!(
        upload::zip_files(
            Cursor::new(b"not a zip".to_vec()),
            ZipLimits::default(),
            Limits::default()
        ),
        Err(UploadError::Zip(_))
    ));
}

#[test]
fn dicomdir_folder_lists_referenced_files() {
    let dir = tempfile::tempdir().unwrap();
    let ct = synth::ct_study(&Identity::sample(), 2, 16, 16).unwrap();
    std::fs::create_dir_all(dir.path().join("ct")).unwrap();
    std::fs::write(dir.path().join("ct/im0001"), &ct[0]).unwrap();
    std::fs::write(dir.path().join("ct/im0002"), &ct[1]).unwrap();
    std::fs::write(
        dir.path().join("DICOMDIR"),
        synth::dicomdir(&[vec!["CT", "IM0001"], vec!["CT", "IM0002"]]).unwrap(),
    )
    .unwrap();
    let files = upload::dicomdir_files(dir.path(), &Limits::default()).unwrap();
    assert_eq!(
        files,
        [dir.path().join("ct/im0001"), dir.path().join("ct/im0002")]
    );
    for file in &files {
        assert!(matches!(
            upload::check_file(file, &Limits::default()),
            UploadItem::Dicom { .. }
        ));
    }
    std::fs::write(
        dir.path().join("DICOMDIR"),
        synth::dicomdir(&[vec!["..", "etc", "passwd"]]).unwrap(),
    )
    .unwrap();
    assert!(matches!(
        upload::dicomdir_files(dir.path(), &Limits::default()),
        Err(UploadError::DicomDir(_))
    ));
}

#[test]
fn loose_files_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.dcm");
    std::fs::write(
        &path,
        synth::ct_study(&Identity::sample(), 1, 8, 8)
            .unwrap()
            .remove(0),
    )
    .unwrap();
    assert!(matches!(
        upload::check_file(&path, &Limits::default()),
        UploadItem::Dicom { .. }
    ));
    let small = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let UploadItem::Skipped { reason, .. } = upload::check_file(&path, &small) else {
        panic!("expected a skip")
    };
    assert!(reason.contains("too large"), "{reason}");
    let UploadItem::Skipped { reason, .. } =
        upload::check_file(&dir.path().join("missing"), &Limits::default())
    else {
        panic!("expected a skip")
    };
    assert!(reason.starts_with("cannot read"), "{reason}");
}
