//! Imaging uploads through the record page's form: synthetic studies with
//! identifying values, zip archives, and reading back what was stored.

use std::io::Write;

use cpms_dicom::synth::{self, Identity};
use cpms_testkit::client::Client;
use reqwest::multipart::{Form, Part};

/// `slices` CT slices of 32 × 32 carrying `identity`, named like a scanner
/// would.
pub fn ct_files(identity: &Identity, slices: u32) -> Vec<(String, Vec<u8>)> {
    synth::ct_study(identity, slices, 32, 32)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| (format!("IM{:04}.dcm", i + 1), bytes))
        .collect()
}

/// A zip archive of `files`, deflated.
pub fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// Posts the record page's study upload form with `files`; returns the
/// status and page.
pub async fn upload(
    client: &Client,
    record: &str,
    files: &[(String, Vec<u8>)],
) -> (reqwest::StatusCode, String) {
    let csrf = client.csrf(record).await;
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part(
            "files",
            Part::bytes(bytes.clone())
                .file_name(name.clone())
                .mime_str("application/octet-stream")
                .unwrap(),
        );
    }
    let response = client
        .http
        .post(client.url(&format!("{record}/studies?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// The study links (`/studies/{uid}`) on a page, in order.
pub fn study_links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/studies/") && !href.contains("/series/"))
        .map(str::to_owned)
        .collect()
}

/// Files in a directory (none when it does not exist).
pub fn files_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}
