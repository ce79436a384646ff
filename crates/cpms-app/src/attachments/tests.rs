use std::sync::Arc;

use super::*;
use crate::patients::IdentityCipher;

const LIMIT: usize = 64 * 1024;

fn pdf_with_author(author: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Title (Report) /Author ({author}) >> endobj\n\
         2 0 obj << /Author <FEFF0041> >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A JPEG with an APP0 (JFIF), an APP1 holding EXIF with a GPS tag's
/// name, a COM comment, then the start of scan and image data.
fn jpeg_with_exif() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01"));
    jpeg.extend(segment(0xE1, b"Exif\0\0GPSLatitude 45.4642"));
    jpeg.extend(segment(0xFE, b"taken in ward 4"));
    jpeg.extend(segment(0xDA, b"\x01\x01\x00"));
    jpeg.extend_from_slice(b"\x12\x34image\xFF\xD9");
    jpeg
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn content_must_match_the_declared_type() {
    let err = check_upload(
        "scan.pdf",
        "application/pdf",
        jpeg_with_exif(),
        LIMIT,
        false,
    )
    .unwrap_err();
    assert!(
        err.message.contains("declared as a PDF document"),
        "{}",
        err.message
    );
    let err = check_upload(
        "x.exe",
        "application/x-msdownload",
        b"MZ".to_vec(),
        LIMIT,
        false,
    )
    .unwrap_err();
    assert!(
        err.message.contains("cannot be attached"),
        "{}",
        err.message
    );
    let err = check_upload("a.pdf", "application/pdf", Vec::new(), LIMIT, false).unwrap_err();
    assert_eq!(err.message, "The file is empty.");
}

#[test]
fn files_over_the_limit_are_refused() {
    let mut big = pdf_with_author("x");
    big.resize(LIMIT + 1, b' ');
    let err = check_upload("big.pdf", "application/pdf", big, LIMIT, false).unwrap_err();
    assert!(
        err.message.contains("the limit is 64 KiB"),
        "{}",
        err.message
    );
}

#[test]
fn pdf_author_is_blanked_without_moving_offsets() {
    let original = pdf_with_author("Dr. Maria (née Rossi)");
    let checked = check_upload("r.pdf", "application/pdf", original.clone(), LIMIT, false).unwrap();
    assert_eq!(checked.bytes.len(), original.len());
    assert!(!contains(&checked.bytes, b"Rossi"));
    assert!(!contains(&checked.bytes, b"FEFF0041"));
    assert!(contains(&checked.bytes, b"/Title (Report)"));
    let kept = check_upload("r.pdf", "application/pdf", original.clone(), LIMIT, true).unwrap();
    assert_eq!(kept.bytes, original);
}

#[test]
fn jpeg_exif_and_comments_are_dropped_and_the_image_kept() {
    let checked = check_upload("p.jpg", "image/jpeg", jpeg_with_exif(), LIMIT, false).unwrap();
    assert!(!contains(&checked.bytes, b"GPSLatitude"));
    assert!(!contains(&checked.bytes, b"ward 4"));
    assert!(contains(&checked.bytes, b"JFIF"));
    assert!(checked.bytes.ends_with(b"\x12\x34image\xFF\xD9"));
}

#[test]
fn download_names_are_safe() {
    let name = |n: &str| safe_file_name(n, MediaType::Pdf);
    assert_eq!(name("C:\\Users\\x\\Lab report.PDF"), "Lab report.pdf");
    assert_eq!(name("../../etc/passwd"), "passwd.pdf");
    assert_eq!(name("a\"b\r\nc;.pdf"), "a_b__c.pdf");
    assert_eq!(name("report.exe"), "report.pdf");
    assert_eq!(name("..."), "attachment.pdf");
    assert_eq!(safe_file_name("Ünïcode.jpg", MediaType::Jpeg), "n_code.jpg");
}

#[tokio::test]
async fn blobs_are_encrypted_on_disk_and_bound_to_their_id() {
    let dir = tempfile::tempdir().unwrap();
    let fs = Arc::new(FsBlobStore::open(&dir.path().join("blobs")).unwrap());
    let cipher = Arc::new(IdentityCipher::new(&[[7u8; 32]]).unwrap());
    let blobs = SealedBlobs::new(fs.clone(), cipher);
    let secret = b"%PDF-1.4 Zeferina Quattrocchi".to_vec();
    let id = blobs.put(&secret).await.unwrap();

    let on_disk = std::fs::read(dir.path().join("blobs").join(id.as_str())).unwrap();
    assert!(!contains(&on_disk, b"Quattrocchi"));
    assert_eq!(blobs.get(&id).await.unwrap().unwrap(), secret);

    let other = BlobId::new();
    fs.put(&other, on_disk).await.unwrap();
    assert!(
        blobs.get(&other).await.is_err(),
        "moved bytes must not open"
    );

    blobs.delete(&id).await.unwrap();
    assert_eq!(blobs.get(&id).await.unwrap(), None);
    blobs.delete(&id).await.unwrap();
    assert!(BlobId::parse("../secret.key").is_err());
    assert_eq!(BlobId::parse(id.as_str()).unwrap(), id);
}
