//! Attachments through HTTP on both engines: a PDF and a JPEG attached and
//! downloaded with their metadata stripped (and kept when asked), a file
//! whose content is not its declared type and one over the configured limit
//! refused with a clear message, the stored bytes encrypted, another
//! clinician refused, every read and write audited; the model consent form
//! and the signed one attached at enrolment.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_store::repo::audit;
use cpms_testkit::client::Client;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use support::clinic::{enrol, hospital_of, signed_in};
use support::files::{download_links, upload};

both_engines!(
    files_are_checked_stripped_sealed_and_downloaded,
    refused_uploads_say_why_and_other_clinicians_cannot_download,
    enrolment_offers_the_model_form_and_takes_the_signed_one,
);

async fn server(engine: Engine) -> TestServer {
    TestServer::start(
        engine,
        Options {
            training: true,
            env: vec![("CPMS_ATTACHMENTS_MAX_SIZE_MIB".into(), "1".into())],
        },
    )
    .await
}

fn pdf_by(author: &str, padding: usize) -> Vec<u8> {
    let mut pdf = format!(
        "%PDF-1.4\n1 0 obj << /Title (Genetic report) /Author ({author}) >> endobj\n\
         trailer << /Info 1 0 R >>\n"
    )
    .into_bytes();
    pdf.extend(std::iter::repeat_n(b'%', padding));
    pdf.extend_from_slice(b"\n%%EOF\n");
    pdf
}

/// A JPEG with an EXIF segment naming a GPS position.
fn photo_with_gps() -> Vec<u8> {
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01"));
    jpeg.extend(segment(0xE1, b"Exif\0\0GPSLatitude 45.4642"));
    jpeg.extend(segment(0xDA, b"\x01\x01\x00"));
    jpeg.extend_from_slice(b"\x12\x34pixels\xFF\xD9");
    jpeg
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A training clinician at another hospital than bond-hp1's.
async fn clinician_elsewhere(server: &TestServer) -> String {
    let home = hospital_of(server, "bond-hp1").await;
    for n in 2..=5 {
        let username = format!("bond-hp{n}");
        if hospital_of(server, &username).await != home {
            return username;
        }
    }
    panic!("every training clinician works at bond-hp1's hospital");
}

async fn files_are_checked_stripped_sealed_and_downloaded(engine: Engine) {
    let server = server(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;

    let pdf = pdf_by("Dr Quirino Fasolato", 10_000);
    let response = upload(
        &hp,
        &record,
        "C:\\Reports\\exome \"final\".pdf",
        "application/pdf",
        pdf,
        false,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = upload(
        &hp,
        &record,
        "rash.jpeg",
        "image/jpeg",
        photo_with_gps(),
        false,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let kept = upload(
        &hp,
        &record,
        "kept.jpg",
        "image/jpeg",
        photo_with_gps(),
        true,
    )
    .await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);

    let (_, page) = hp.get_text(&record).await;
    assert!(
        page.contains("exome _final.pdf") && page.contains("rash.jpg"),
        "{page}"
    );
    assert!(page.contains("metadata kept"));
    let links = download_links(&hp, &record).await;
    assert_eq!(links.len(), 3, "{links:?}");

    let response = hp.get(&links[0]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"exome _final.pdf\""
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4") && contains(&bytes, b"Genetic report"));
    assert!(!contains(&bytes, b"Fasolato"), "the PDF author is blanked");

    let photo = hp.get(&links[1]).await.bytes().await.unwrap();
    assert!(photo.starts_with(&[0xFF, 0xD8]) && contains(&photo, b"pixels"));
    assert!(!contains(&photo, b"GPSLatitude"), "EXIF is stripped");
    let kept = hp.get(&links[2]).await.bytes().await.unwrap();
    assert!(contains(&kept, b"GPSLatitude"), "kept when asked");

    // Encrypted at rest: no stored blob shows a file's content.
    let blobs: Vec<_> = std::fs::read_dir(server.data_path().join("attachments"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(blobs.len(), 3);
    assert!(
        blobs
            .iter()
            .all(|b| !contains(b, b"%PDF") && !contains(b, b"pixels"))
    );

    let mut conn = server.app().store().read().await.unwrap();
    let actions: Vec<String> = audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event.action)
        .collect();
    drop(conn);
    let count = |a: &str| actions.iter().filter(|x| *x == a).count();
    assert_eq!(count("patient.attach"), 3);
    assert_eq!(count("patient.read_attachment"), 3);
    server.stop().await;
}

async fn refused_uploads_say_why_and_other_clinicians_cannot_download(engine: Engine) {
    let server = server(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let response = upload(&hp, &record, "scan.pdf", "application/pdf", png, false).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("declared as a PDF document but its content is a PNG image"),
        "{page}"
    );

    let response = upload(
        &hp,
        &record,
        "huge.pdf",
        "application/pdf",
        pdf_by("x", 1_500_000),
        false,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    assert!(page.contains("the limit is 1024 KiB"), "{page}");

    let response = upload(
        &hp,
        &record,
        "ok.pdf",
        "application/pdf",
        pdf_by("x", 0),
        false,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let links = download_links(&hp, &record).await;
    assert_eq!(links.len(), 1, "only the accepted file is listed");

    let other = signed_in(&server, &clinician_elsewhere(&server).await).await;
    let response = other.get(&links[0]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = upload(
        &other,
        &record,
        "x.pdf",
        "application/pdf",
        pdf_by("x", 0),
        false,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

/// Posts the enrolment page's form (multipart) with a signed consent form.
async fn enrol_with_signed_form(
    client: &Client,
    hcp: &str,
    file_name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let csrf = client.csrf("/").await;
    let file = Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str(mime)
        .unwrap();
    let form = Form::new()
        .text("name", support::clinic::NAME)
        .text("date_of_birth", "2011-09-03")
        .text("record_number", support::clinic::RECORD_NUMBER)
        .text("sex", "male")
        .text("country", "IT")
        .text("care_consent_date", "2026-02-01")
        .text("registry_consent", "on")
        .part("signed_consent", file);
    client
        .http
        .post(client.url(&format!("/centres/{hcp}/patients/new?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn enrolment_offers_the_model_form_and_takes_the_signed_one(engine: Engine) {
    let server = server(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let hcp = hospital_of(&server, "bond-hp1").await;
    let (_, page) = hp.get_text(&format!("/centres/{hcp}/patients/new")).await;
    let form_link = format!("/centres/{hcp}/patients/consent-form.pdf");
    assert!(page.contains(&form_link), "{page}");
    let response = hp.get(&form_link).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"));
    let other = signed_in(&server, &clinician_elsewhere(&server).await).await;
    assert_eq!(other.get(&form_link).await.status(), StatusCode::FORBIDDEN);

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let response = enrol_with_signed_form(&hp, &hcp, "signed.pdf", "application/pdf", png).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("declared as a PDF document"), "{page}");
    assert!(
        page.contains(support::clinic::NAME),
        "the form keeps what was typed"
    );
    let (_, list) = hp.get_text(&format!("/centres/{hcp}/patients")).await;
    assert!(
        list.contains("No patients enrolled yet"),
        "a refused file refuses the enrolment"
    );
    let blobs = std::fs::read_dir(server.data_path().join("attachments")).unwrap();
    assert_eq!(blobs.count(), 0, "nothing left in the blob store");

    let response = enrol_with_signed_form(
        &hp,
        &hcp,
        "consent signed.pdf",
        "application/pdf",
        pdf_by("x", 0),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let record = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = hp.get_text(&record).await;
    assert!(
        page.contains("consent signed.pdf") && page.contains("Signed consent form"),
        "{page}"
    );
    assert!(page.contains("given</span> ERN registries"), "{page}");
    server.stop().await;
}
