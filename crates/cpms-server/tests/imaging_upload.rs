//! Study uploads through the record page on both engines: a study stored
//! once (re-uploading adds nothing), listed on the record, its study page
//! with a thumbnail and a rendered frame per series; a broken file in a zip
//! stores nothing and leaves no blob; limits (file count, zip bomb ratio,
//! image size) refuse with messages naming what and which file; an
//! outsider is refused and audited until a panel shares the study with
//! them; what a crashed upload left is swept.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_dicom::synth::{self, Identity};
use cpms_store::repo::{audit, imaging};
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use support::clinic::{enrol, hospital_of, signed_in};
use support::imaging::{ct_files, files_in, study_links, upload, zip_of};
use support::panel;

both_engines!(
    a_study_is_stored_once_and_seen_by_its_panel,
    a_broken_file_in_a_zip_stores_nothing,
    limits_refuse_with_clear_messages,
    crashed_uploads_are_swept,
);

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

fn blobs(server: &TestServer) -> usize {
    files_in(&server.data_path().join("attachments")).len()
}

async fn a_study_is_stored_once_and_seen_by_its_panel(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let mut files = ct_files(&Identity::sample(), 4);
    files.push(("README.txt".into(), b"Exported by the PACS".to_vec()));

    let (status, page) = upload(&hp, &record, &files).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("4 image(s) stored"), "{page}");
    assert!(page.contains("README.txt: not a DICOM file"), "{page}");
    assert_eq!(blobs(&server), 4);
    assert!(
        files_in(&server.data_path().join("imaging-staging"))
            .into_iter()
            .all(|dir| files_in(&dir).is_empty()),
        "the raw upload is gone"
    );

    let (_, page) = hp.get_text(&record).await;
    let links = study_links(&page);
    assert_eq!(links.len(), 1, "{page}");
    let study = &links[0];
    assert!(page.contains("CT"));

    let (status, page) = hp.get_text(study).await;
    assert_eq!(status, StatusCode::OK);
    let thumbnail = page
        .split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|src| src.ends_with("/thumbnail"))
        .unwrap()
        .to_owned();
    let frame = page
        .split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|src| src.ends_with("/frames/1/rendered"))
        .unwrap()
        .to_owned();
    for src in [&thumbnail, &frame] {
        let response = hp.get(src).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "image/png");
        let bytes = response.bytes().await.unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
    let lung = hp.get(&format!("{frame}?preset=lung")).await;
    assert_eq!(lung.status(), StatusCode::OK);
    let missing = hp.get(&frame.replace("/frames/1/", "/frames/9/")).await;
    assert_eq!(missing.status(), StatusCode::OK);
    assert_eq!(missing.headers()["x-preview-unavailable"], "true");
    assert_eq!(missing.headers()["content-type"], "image/svg+xml");

    // The same instances again: nothing new.
    let (status, page) = upload(&hp, &record, &files[..4]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("0 image(s) stored, 4 already present"),
        "{page}"
    );
    assert_eq!(blobs(&server), 4);

    // Someone elsewhere cannot see it (audited) until a panel shares it.
    let username = clinician_elsewhere(&server).await;
    let outsider = signed_in(&server, &username).await;
    let (status, _) = outsider.get_text(study).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        outsider.get(&thumbnail).await.status(),
        StatusCode::FORBIDDEN
    );
    let mut conn = server.app().store().read().await.unwrap();
    let denied = audit::page(&mut conn, 0, 10_000).await.unwrap();
    drop(conn);
    assert!(
        denied
            .iter()
            .any(|e| e.event.action == "access.view_record" && e.event.outcome.as_str() == "denied"),
        "the refusal is audited"
    );

    let uid = study.trim_start_matches("/studies/").to_owned();
    let form = format!("{record}/consultation");
    let response = hp
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                ("questions", "Is this a fracture?"),
                ("urgency", "routine"),
                ("sections", "summary"),
                ("studies", &uid),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let panel_path = response.headers()["location"].to_str().unwrap().to_owned();
    panel::invite(
        &hp,
        &panel_path,
        &[panel::user_id(&server, &username).await],
    )
    .await;
    panel::accept(&outsider, &panel_path).await;
    let (_, page) = outsider.get_text(&panel_path).await;
    assert!(
        page.contains(study.as_str()),
        "the panel page links the study"
    );
    let (status, page) = outsider.get_text(study).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(panel_path.as_str()), "seen through the panel");
    assert_eq!(outsider.get(&thumbnail).await.status(), StatusCode::OK);
    let mut conn = server.app().store().read().await.unwrap();
    let events = audit::page(&mut conn, 0, 10_000).await.unwrap();
    assert!(
        events.iter().any(|e| e.event.action == "imaging.read"
            && e.event
                .detail
                .as_deref()
                .is_some_and(|d| d.contains("via panel"))),
        "reads through the panel are audited"
    );
    assert!(events.iter().any(|e| e.event.action == "imaging.upload"));
}

async fn a_broken_file_in_a_zip_stores_nothing(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let mut files = ct_files(&Identity::sample(), 3);
    let truncated = files[0].1[..600].to_vec();
    files.push(("series2/broken.dcm".into(), truncated));
    let archive = zip_of(&files);

    let (status, page) = upload(&hp, &record, &[("study.zip".into(), archive)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(
        page.contains("study.zip: series2/broken.dcm: DICOM data is truncated"),
        "{page}"
    );
    assert!(page.contains("Nothing was stored."));
    assert_eq!(blobs(&server), 0, "no blob left behind");
    let (_, page) = hp.get_text(&record).await;
    assert!(study_links(&page).is_empty());
    let mut conn = server.app().store().read().await.unwrap();
    assert!(
        imaging::stale_uploads(
            &mut conn,
            jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)
        )
        .await
        .unwrap()
        .is_empty(),
        "the journal is empty"
    );
}

async fn limits_refuse_with_clear_messages(engine: Engine) {
    let server = TestServer::start(
        engine,
        Options {
            training: true,
            env: vec![
                ("CPMS_IMAGING_MAX_FILES".into(), "3".into()),
                ("CPMS_IMAGING_MAX_PIXEL_MIB".into(), "1".into()),
            ],
        },
    )
    .await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;

    let (status, page) = upload(&hp, &record, &ct_files(&Identity::sample(), 4)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("The upload holds more than 3 files"),
        "{page}"
    );
    let zipped = zip_of(&ct_files(&Identity::sample(), 4));
    let (status, page) = upload(&hp, &record, &[("four.zip".into(), zipped)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("four.zip: the archive has 4 entries, more than the limit of 3"),
        "{page}"
    );

    let bomb = zip_of(&[("zeros.dcm".into(), vec![0u8; 8 << 20])]);
    let (status, page) = upload(&hp, &record, &[("bomb.zip".into(), bomb)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("bomb.zip: entry zeros.dcm expands")
            && page.contains("more than the limit of 200:1"),
        "{page}"
    );

    // 1024 × 1024 × 16 bits is 2 MiB of pixels, over the 1 MiB limit.
    let large = synth::radiograph(&Identity::sample(), 1024, 1024).unwrap();
    let (status, page) = upload(&hp, &record, &[("chest.dcm".into(), large)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("chest.dcm:") && page.contains("exceeds the limit of 1048576"),
        "{page}"
    );
    assert_eq!(blobs(&server), 0);
}

async fn crashed_uploads_are_swept(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let (status, _) = upload(&hp, &record, &ct_files(&Identity::sample(), 1)).await;
    assert_eq!(status, StatusCode::OK);
    let pseudonym = record.trim_start_matches("/patients/");
    let mut conn = server.app().store().read().await.unwrap();
    let patient = cpms_store::repo::patients::get_by_pseudonym(
        &mut conn,
        &cpms_domain::patient::Pseudonym::parse(pseudonym).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);

    // What a crash between staging and indexing leaves: a journaled row and
    // its sealed blob, and the raw upload folder.
    let long_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    let blob = "0123456789abcdef0123456789abcdef";
    let mut tx = server.app().store().write().await.unwrap();
    imaging::begin_upload(&mut tx, "crashed", patient.id, long_ago)
        .await
        .unwrap();
    let row = imaging::NewInstance {
        blob_id: blob.into(),
        sop_uid: "2.25.99".into(),
        series_uid: "2.25.98".into(),
        study_uid: "2.25.97".into(),
        sop_class_uid: "1.2.840.10008.5.1.4.1.1.2".into(),
        instance_number: Some(1),
        rows: Some(32),
        columns: Some(32),
        frames: 1,
        transfer_syntax: "1.2.840.10008.1.2.1".into(),
        size_bytes: 10,
        burned_in: None,
        metadata: "{}".into(),
    };
    imaging::stage(&mut tx, "crashed", &[row], long_ago)
        .await
        .unwrap();
    imaging::begin_upload(&mut tx, "running", patient.id, jiff::Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let attachments = server.data_path().join("attachments");
    std::fs::write(attachments.join(blob), b"sealed bytes").unwrap();
    let leftover = server
        .data_path()
        .join("imaging-staging")
        .join("upload-crashed");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("0"), b"raw DICOM with a name").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in [leftover.join("0"), leftover.clone()] {
        std::fs::File::open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    assert_eq!(blobs(&server), 2);

    let swept = server
        .app()
        .sweep_imaging_uploads(jiff::SignedDuration::from_mins(10))
        .await
        .unwrap();
    assert_eq!(swept, 1, "only the idle upload");
    assert_eq!(blobs(&server), 1, "the crashed upload's blob is gone");
    assert!(!leftover.exists(), "the raw upload folder is gone");
    let mut conn = server.app().store().read().await.unwrap();
    assert!(
        imaging::staged_blobs(&mut conn, "crashed")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        imaging::stale_uploads(
            &mut conn,
            jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)
        )
        .await
        .unwrap(),
        ["running"],
        "a running upload is left alone"
    );
    let (_, page) = hp.get_text(&record).await;
    assert_eq!(study_links(&page).len(), 1, "the finished study is intact");
}
