//! `cpms demo patients` on both engines: enrols synthetic patients for a
//! clinician, each with consent, phenotypes, a diagnosis and a history,
//! prints their pseudonyms; refuses owners who may not enrol.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use support::clinic::{hospital_of, signed_in};
use support::{cpms, stderr, stdout};

both_engines!(
    synthetic_patients_fill_the_clinicians_list,
    owners_who_may_not_enrol_are_refused,
);

fn demo(server: &TestServer, count: &str, owner: &str) -> std::process::Output {
    let data_dir = server.data_path();
    cpms(
        &[
            "demo",
            "patients",
            "--count",
            count,
            "--owner",
            owner,
            "--data-dir",
            data_dir.to_str().unwrap(),
        ],
        &[("CPMS_DATABASE_URL", &server.db.url)],
    )
}

async fn synthetic_patients_fill_the_clinicians_list(engine: Engine) {
    let mut server = TestServer::training(engine).await;
    let hcp = hospital_of(&server, "bond-hp1").await;
    if let Some(running) = server.running.take() {
        running.stop().await.unwrap();
    }
    let out = demo(&server, "1203", "bond-hp1");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    let pseudonyms: Vec<&str> = printed.lines().collect();
    assert_eq!(pseudonyms.len(), 1203, "one per line, across batches");
    let distinct: std::collections::BTreeSet<_> = pseudonyms.iter().collect();
    assert_eq!(distinct.len(), 1203);

    server.restart().await;
    let hp = signed_in(&server, "bond-hp1").await;
    let (status, list) = hp.get_text(&format!("/centres/{hcp}/patients")).await;
    assert_eq!(status, StatusCode::OK);
    // Counting stops at 1,000; paging goes on to the last patient.
    assert!(list.contains("1,000+ patients · page 1<"), "{list}");
    assert!(list.contains(r#"rel="next""#));
    let (_, last) = hp
        .get_text(&format!("/centres/{hcp}/patients?sort=oldest&page=49"))
        .await;
    assert!(last.contains("1,000+ patients · page 49<"), "{last}");
    assert!(last.contains(pseudonyms[0]) && last.contains(pseudonyms[2]));
    assert_eq!(last.matches(r#"class="pseudonym""#).count(), 3);
    assert!(!last.contains(r#"rel="next""#) && last.contains(r#"rel="prev""#));
    let record = format!("/patients/{}", pseudonyms[0]);
    let (status, page) = hp.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("HP:") && page.contains("ORPHA:"), "{page}");
    let (status, history) = hp.get_text(&format!("{record}/history?a=1&b=4")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(history.contains("Phenotype added") && history.contains("Diagnosis added"));
    assert!(history.contains("Changes from version 1 to 4"), "{history}");

    // Another clinician of the same centre sees none of them.
    let other = signed_in(&server, "bond-hp2").await;
    let (status, _) = other.get_text(&record).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await;
}

async fn owners_who_may_not_enrol_are_refused(engine: Engine) {
    let mut server = TestServer::training(engine).await;
    if let Some(running) = server.running.take() {
        running.stop().await.unwrap();
    }
    let out = demo(&server, "5", "bond-registry");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("may not enrol"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());

    let out = demo(&server, "5", "nobody-here");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("User 'nobody-here' was not found"),
        "{}",
        stderr(&out)
    );

    let out = demo(&server, "many", "bond-hp1");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
