//! Per-ERN case templates from the file named by `case_templates`: the
//! record page of a patient of that ERN shows the fields, values are
//! checked against their definitions (number with unit and bounds, date,
//! choice, coded term, text), stored as versions with history; a bad file
//! stops start-up with exit code 2.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use support::clinic::{enrol, signed_in};
use support::{cpms, stderr};

both_engines!(template_fields_are_validated_stored_and_shown,);

const TEMPLATE: &str = r#"
[[template]]
ern = "BOND"

[[template.field]]
key = "bone_density_z"
label = "Bone density Z-score"
kind = "number"
unit = "SD"
min = -6
max = 6
help = "Lumbar spine, DXA."

[[template.field]]
key = "fractures"
label = "Fractures in the last year"
kind = "choice"
choices = ["none", "1-2", "3 or more"]

[[template.field]]
key = "last_fracture"
label = "Last fracture"
kind = "date"

[[template.field]]
key = "main_sign"
label = "Leading sign"
kind = "coded"
terminology = "hpo"

[[template.field]]
key = "orthosis"
label = "Orthosis"
kind = "text"
"#;

async fn template_fields_are_validated_stored_and_shown(engine: Engine) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), TEMPLATE).unwrap();
    let server = TestServer::start(
        engine,
        Options {
            training: true,
            env: vec![(
                "CPMS_CASE_TEMPLATES".to_owned(),
                file.path().display().to_string(),
            )],
        },
    )
    .await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let (status, page) = hp.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Network fields") && page.contains("Bone density Z-score (SD)"));
    assert!(page.contains("Lumbar spine, DXA.") && page.contains("<option>3 or more</option>"));

    let set = |key: &'static str, value: &'static str| {
        let (hp, record) = (&hp, record.clone());
        async move {
            hp.post_form(
                &record,
                &format!("{record}/fields"),
                &[("key", key), ("value", value)],
            )
            .await
        }
    };
    for (key, value) in [
        ("bone_density_z", "-2,5"),
        ("fractures", "3 or more"),
        ("last_fracture", "2025-11-02"),
        ("main_sign", "hp:1250"),
        ("orthosis", "Night splint, left leg"),
    ] {
        let response = set(key, value).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{key}={value}");
    }
    for (key, value, says) in [
        ("bone_density_z", "9", "outside"),
        ("bone_density_z", "low", "is not a number"),
        ("fractures", "many", "not one of the choices"),
        ("last_fracture", "2025-13-01", "is not a date"),
        ("main_sign", "HP:9999999", "not a known code"),
        ("height", "120", "case template has no field"),
    ] {
        let response = set(key, value).await;
        assert!(response.status().is_client_error(), "{key}={value}");
        let text = response.text().await.unwrap();
        assert!(text.contains(says), "{key}={value}: {text}");
    }

    let (_, page) = hp.get_text(&record).await;
    for shown in [
        "-2.5 SD",
        "3 or more",
        "2025-11-02",
        "HP:0001250 Seizure",
        "Night splint, left leg",
    ] {
        assert!(page.contains(shown), "{shown}");
    }
    let (_, history) = hp.get_text(&format!("{record}/history?a=1&b=6")).await;
    assert!(
        history.contains("Bone density Z-score set: -2.5 SD"),
        "{history}"
    );
    assert!(
        history.contains("Leading sign: HP:0001250 Seizure"),
        "{history}"
    );

    // Another network's patients show no BOND fields.
    let other = signed_in(&server, "cranio-hp1").await;
    let elsewhere = enrol(&server, &other, "cranio-hp1").await;
    let (_, page) = other.get_text(&elsewhere).await;
    assert!(!page.contains("Network fields"));
    server.stop().await;

    let data_dir = tempfile::tempdir().unwrap();
    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        bad.path(),
        TEMPLATE.replace(
            "choices = [\"none\", \"1-2\", \"3 or more\"]",
            "choices = []",
        ),
    )
    .unwrap();
    let out = cpms(
        &["config", "check"],
        &[
            ("CPMS_CASE_TEMPLATES", bad.path().to_str().unwrap()),
            ("CPMS_DATA_DIR", data_dir.path().to_str().unwrap()),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("case_templates") && stderr(&out).contains("has no choices"),
        "{}",
        stderr(&out)
    );
}
