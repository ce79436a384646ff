//! DICOMweb against a client not written here: the PyPI package
//! `dicomweb-client` (installed by scripts/prerequisites) stores a synthetic
//! CT study on a record with a personal API token, searches it at the
//! record's and the global root, retrieves series metadata (de-identified),
//! a rendered frame and the instance; a store at the global root is
//! refused. A clinician of another hospital finds nothing and is refused
//! the record and the study, each refusal audited. Both engines.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use cpms_dicom::synth::{self, Identity};
use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use serde_json::Value;
use support::clinic::{enrol, hospital_of, signed_in};
use support::tokens::create_token;

both_engines!(the_external_client_stores_searches_and_retrieves);

const SLICES: u32 = 4;
const SIDE: u16 = 64;

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/dicomweb")
        .join(name)
}

/// Runs a script of tests/dicomweb with python3; its stdout as JSON. On a
/// blocking thread, so the server (on this test's runtime) can answer it.
async fn python(name: &str, args: &[&str]) -> Value {
    let mut command = Command::new("python3");
    command.arg(script(name)).args(args);
    let out = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("python3 (scripts/prerequisites installs dicomweb-client)");
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn the_external_client_stores_searches_and_retrieves(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let token = create_token(&hp, "dicomweb-client").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let pseudonym = record.rsplit('/').next().unwrap().to_owned();

    let identity = Identity::sample();
    let folder = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (n, bytes) in synth::ct_study(&identity, SLICES, SIDE, SIDE)
        .unwrap()
        .into_iter()
        .enumerate()
    {
        let path = folder.path().join(format!("{n}.dcm"));
        std::fs::write(&path, bytes).unwrap();
        files.push(path.display().to_string());
    }
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let mut args = vec![base, token.as_str(), pseudonym.as_str()];
    args.extend(files.iter().map(String::as_str));
    let out = python("round_trip.py", &args).await;

    assert_eq!(
        out["stored"].as_array().unwrap().len(),
        SLICES as usize,
        "{out}"
    );
    let studies = out["record_studies"].as_array().unwrap();
    assert_eq!(studies.len(), 1, "{out}");
    let study = studies[0].as_str().unwrap();
    assert_ne!(study, out["sent_study_uid"], "UIDs are replaced");
    assert!(study.starts_with("2.25."));
    assert_eq!(out["study_patient_ids"][0], pseudonym.as_str());
    assert_eq!(out["modalities"][0], "CT");
    assert!(
        out["global_studies"]
            .as_array()
            .unwrap()
            .contains(&studies[0])
    );
    assert_eq!(out["global_unmatched"], 0);
    assert_eq!(out["series_instances"], SLICES);
    assert_eq!(out["paged_instances"], 2, "limit and offset");
    assert_eq!(out["metadata_count"], SLICES);
    assert_eq!(out["metadata_patient_names"][0], pseudonym.as_str());
    let metadata = out["metadata_text"].as_str().unwrap();
    for value in identity.values() {
        assert!(
            !metadata.contains(value),
            "{value} leaked into the metadata"
        );
    }
    assert_eq!(out["png_magic"], "89504e470d0a1a0a");
    assert_eq!(
        (&out["png_width"], &out["png_height"]),
        (&SIDE.into(), &SIDE.into())
    );
    assert_eq!(out["retrieved_patient_id"], pseudonym.as_str());
    assert_eq!(out["retrieved_rows"], SIDE);
    assert_eq!(out["global_store"], 409);

    // A clinician of another hospital: finds nothing, is refused the
    // record and the study.
    assert_ne!(
        hospital_of(&server, "bond-hp1").await,
        hospital_of(&server, "bond-hp2").await
    );
    let other = signed_in(&server, "bond-hp2").await;
    let other_token = create_token(&other, "outsider").await;
    let refused = python("outsider.py", &[base, &other_token, &pseudonym, study]).await;
    assert_eq!(refused["global_studies"], 0, "{refused}");
    assert_eq!(refused["record_search"], 403);
    assert_eq!(refused["study_metadata"], 403);

    let mut conn = server.app().store().read().await.unwrap();
    let log = audit::page(&mut conn, 0, 10_000).await.unwrap();
    drop(conn);
    let owner_reads = log
        .iter()
        .filter(|e| e.event.action.starts_with("imaging.") && e.event.outcome == Outcome::Success)
        .count();
    assert!(owner_reads >= 5, "store, searches and reads are audited");
    let denied: Vec<_> = log
        .iter()
        .filter(|e| e.event.outcome == Outcome::Denied && e.event.action == "access.view_record")
        .collect();
    assert_eq!(denied.len(), 2, "both refusals are audited");
    server.stop().await;
}
