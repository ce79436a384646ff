//! `cpms import-terminology DIR`: a newer release set, checked and copied
//! into the data directory, is what the server searches from its next
//! start; incomplete or broken sets are refused with their exit codes and
//! leave the previous import in place.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};

use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use support::clinic::signed_in;
use support::{cpms, stderr, stdout};

both_engines!(an_imported_release_replaces_the_shipped_one,);

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/terminology")
        .join(name)
}

/// A "newer release": the shipped files, with one HPO name changed in a
/// plain-text hp.obo.
fn newer_release(dir: &Path) {
    let obo = std::process::Command::new("gzip")
        .arg("-dc")
        .arg(shipped("hp.obo.gz"))
        .output()
        .unwrap();
    assert!(obo.status.success());
    let text = String::from_utf8(obo.stdout).unwrap();
    assert!(text.contains("\nname: Seizure\n"));
    let text = text.replacen("\nname: Seizure\n", "\nname: Seizure, newer release\n", 1);
    std::fs::write(dir.join("hp.obo"), text).unwrap();
    std::fs::copy(shipped("phenotype.hpoa.gz"), dir.join("phenotype.hpoa.gz")).unwrap();
    std::fs::copy(shipped("icd10-2019.xml.gz"), dir.join("icd10-2019.xml.gz")).unwrap();
}

fn import(server: &TestServer, from: &Path) -> std::process::Output {
    let data_dir = server.data_path();
    cpms(
        &[
            "import-terminology",
            from.to_str().unwrap(),
            "--data-dir",
            data_dir.to_str().unwrap(),
        ],
        &[("CPMS_DATABASE_URL", &server.db.url)],
    )
}

async fn seizure_name(server: &TestServer) -> String {
    let hp = signed_in(server, "bond-hp1").await;
    let (status, hits) = hp
        .get_text("/api/v1/terminology?kind=hpo&q=HP:0001250")
        .await;
    assert_eq!(status, StatusCode::OK);
    let hits: serde_json::Value = serde_json::from_str(&hits).unwrap();
    hits[0]["name"].as_str().unwrap().to_owned()
}

async fn an_imported_release_replaces_the_shipped_one(engine: Engine) {
    let mut server = TestServer::training(engine).await;
    assert_eq!(seizure_name(&server).await, "Seizure", "shipped by default");
    let release = tempfile::tempdir().unwrap();
    newer_release(release.path());

    let out = import(&server, release.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported HPO 2025-01-16"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("ICD-10 2019"), "{}", stdout(&out));
    server.restart().await;
    assert_eq!(seizure_name(&server).await, "Seizure, newer release");

    // Incomplete: no ICD-10 file. Refused before anything is written.
    let incomplete = tempfile::tempdir().unwrap();
    std::fs::copy(shipped("hp.obo.gz"), incomplete.path().join("hp.obo.gz")).unwrap();
    std::fs::copy(
        shipped("phenotype.hpoa.gz"),
        incomplete.path().join("phenotype.hpoa.gz"),
    )
    .unwrap();
    let out = import(&server, incomplete.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no ICD-10 XML file"),
        "{}",
        stderr(&out)
    );

    // Broken: the annotations file where hp.obo should be.
    std::fs::copy(
        shipped("phenotype.hpoa.gz"),
        incomplete.path().join("hp.obo.gz"),
    )
    .unwrap();
    std::fs::copy(
        shipped("icd10-2019.xml.gz"),
        incomplete.path().join("icd10.xml.gz"),
    )
    .unwrap();
    let out = import(&server, incomplete.path());
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(stderr(&out).contains("hp.obo"), "{}", stderr(&out));

    server.restart().await;
    assert_eq!(
        seizure_name(&server).await,
        "Seizure, newer release",
        "the previous import is kept"
    );
    server.stop().await;
}
