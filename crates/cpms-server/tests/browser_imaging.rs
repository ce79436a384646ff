//! A clinician uploads a multi-file CT study from the record page in a
//! real browser: the progress bar fills while the files go up (the upload
//! is throttled so it can be watched), the result page reports what was
//! stored, the record lists the study and its page shows a thumbnail and a
//! rendered frame per series. Screenshots go to target/screenshots/.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_dicom::synth::{self, Identity};
use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
use serde_json::json;
use support::clinic::{enrol, signed_in};

const SLICES: u32 = 12;

#[tokio::test]
async fn a_study_goes_up_with_progress_and_shows_its_series() {
    let server = TestServer::training(Engine::Sqlite).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let folder = tempfile::tempdir().unwrap();
    let paths: Vec<String> = synth::ct_study(&Identity::sample(), SLICES, 256, 256)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let path = folder.path().join(format!("IM{:04}.dcm", i + 1));
            std::fs::write(&path, bytes).unwrap();
            path.display().to_string()
        })
        .collect();

    let browser = Browser::start(1280, 900).await;
    browser
        .submit_password(
            &server.url("/signin"),
            "bond-hp1",
            &server.training_password("bond-hp1"),
        )
        .await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
    browser.goto(&server.url(&record)).await;
    browser.find("#study-files").await;
    // Several paths, one per line, choose several files.
    browser
        .choose_file("#study-files", std::path::Path::new(&paths.join("\n")))
        .await;
    assert_eq!(
        browser
            .script(
                "return document.querySelector('#study-files').files.length",
                json!([])
            )
            .await,
        json!(SLICES)
    );
    // About 1.6 MB at 400 kB/s: a few seconds of visible progress.
    browser.throttle_upload(400_000).await;
    browser
        .script(
            "document.querySelector('#studies').scrollIntoView()",
            json!([]),
        )
        .await;
    browser.click("#upload-study").await;
    browser
        .wait_for_script(
            "const p = document.querySelector('.upload-progress progress'); \
             return !!p && !p.closest('.upload-progress').hidden && p.value > 0 && p.value < 100",
            json!(true),
        )
        .await;
    let status = browser.text(".upload-status").await;
    assert!(status.starts_with("Uploading: "), "{status}");
    browser
        .screenshot(&screenshot_path("imaging-01-upload-progress"), false)
        .await;

    browser
        .wait_for_script(
            "return !!document.querySelector('#upload-report')",
            json!(true),
        )
        .await;
    browser.throttle_upload(100_000_000).await;
    let report = browser.text("#upload-report").await;
    assert!(
        report.contains(&format!("{SLICES} image(s) stored")),
        "{report}"
    );
    browser
        .screenshot(&screenshot_path("imaging-02-upload-report"), true)
        .await;

    browser.click("#stored-study-links a").await;
    browser.wait_for_url(|u| u.contains("/studies/")).await;
    browser
        .wait_for_script(
            "return [...document.images].length >= 2 && \
             [...document.images].every(i => i.complete && i.naturalWidth > 0)",
            json!(true),
        )
        .await;
    let sizes = browser
        .script(
            "return [...document.images].map(i => [i.className, i.naturalWidth])",
            json!([]),
        )
        .await;
    assert_eq!(
        sizes,
        json!([["thumbnail", 160], ["frame", 512]]),
        "{sizes}"
    );
    browser
        .screenshot(&screenshot_path("imaging-03-study-page"), true)
        .await;

    browser.goto(&server.url(&record)).await;
    let listed = browser.text("#study-list").await;
    assert!(
        listed.contains("CT") && listed.contains(&SLICES.to_string()),
        "{listed}"
    );
    browser
        .script(
            "document.querySelector('#studies').scrollIntoView()",
            json!([]),
        )
        .await;
    browser
        .screenshot(&screenshot_path("imaging-04-record-studies"), false)
        .await;
    browser.quit().await;
}
