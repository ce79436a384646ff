//! The rest of the record through the JSON API, on both engines: consents
//! (recorded after enrolment, care consent withdrawn), attachments (raw
//! upload with the page's checks, list, safe download), the pedigree (JSON,
//! whole replacement validated by the domain, PED, SVG), variants, labs,
//! treatments and case-template fields, history with a diff, export and
//! erasure. Each group: the happy path, a refusal of a clinician of another
//! hospital (audited), and bad input answered with a specific 422.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_domain::audit::Outcome;
use cpms_store::repo::{audit, users};
use cpms_testkit::client::Client;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::{Engine, both_engines};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::api::{problem, send};
use support::clinic::{NAME, clinician_elsewhere, enrol, signed_in};

both_engines!(
    consents_are_recorded_and_care_consent_withdrawn,
    files_are_uploaded_listed_and_downloaded,
    the_pedigree_is_read_replaced_and_exported,
    entries_and_template_fields_are_added_and_listed,
    the_record_is_exported_and_erased,
    the_openapi_document_lists_every_record_path,
);

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

[[template.field]]
key = "fractures"
label = "Fractures in the last year"
kind = "choice"
choices = ["none", "1-2", "3 or more"]
"#;

/// A training server with a 1 MiB attachment limit and a BOND template;
/// the file must outlive the server.
async fn server(engine: Engine) -> (TestServer, tempfile::NamedTempFile) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), TEMPLATE).unwrap();
    let server = TestServer::start(
        engine,
        Options {
            training: true,
            env: vec![
                ("CPMS_ATTACHMENTS_MAX_SIZE_MIB".into(), "1".into()),
                (
                    "CPMS_CASE_TEMPLATES".into(),
                    file.path().display().to_string(),
                ),
            ],
        },
    )
    .await;
    (server, file)
}

/// bond-hp1 signed in with one enrolled patient, and the record's API path.
async fn owner_with_patient(server: &TestServer) -> (Client, String) {
    let hp = signed_in(server, "bond-hp1").await;
    let record = enrol(server, &hp, "bond-hp1").await;
    (hp, format!("/api/v1{record}"))
}

/// A clinician of another hospital, signed in.
async fn outsider(server: &TestServer) -> (Client, String) {
    let username = clinician_elsewhere(server, "bond-hp1").await;
    (signed_in(server, &username).await, username)
}

/// The actions of `username`'s refused attempts on patients, in order.
async fn denied(server: &TestServer, username: &str) -> Vec<String> {
    let mut conn = server.app().store().read().await.unwrap();
    let (user, _) = users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap();
    audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.outcome == Outcome::Denied && e.event.actor == Some(user.id))
        .filter(|e| e.event.target.starts_with("patient:"))
        .map(|e| e.event.action)
        .collect()
}

/// The actions audited as successes on patients.
async fn audited(server: &TestServer) -> Vec<String> {
    let mut conn = server.app().store().read().await.unwrap();
    audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.outcome == Outcome::Success && e.event.target.starts_with("patient:"))
        .map(|e| e.event.action)
        .collect()
}

async fn consents_are_recorded_and_care_consent_withdrawn(engine: Engine) {
    let (server, _template) = server(engine).await;
    let (hp, api) = owner_with_patient(&server).await;
    let consents = format!("{api}/consents");

    let (status, list, _) = send(&hp, Method::GET, &consents, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list["consents"][0],
        json!({"kind": "care", "status": "given", "date": "2026-02-01"})
    );
    assert_eq!(
        list["consents"][1]["status"], "refused",
        "not given at enrolment"
    );

    let body = json!({"kind": "registry", "status": "given", "date": "2026-03-01"});
    let (status, answer, _) = send(&hp, Method::POST, &consents, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["version"], 2);
    let body = json!({"kind": "research_contact", "status": "refused", "date": "2026-03-02"});
    let (status, _, _) = send(&hp, Method::POST, &consents, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, list, _) = send(&hp, Method::GET, &consents, None).await;
    let kinds: Vec<(&str, &str)> = list["consents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("care", "given"),
            ("registry", "given"),
            ("research_contact", "refused")
        ]
    );
    let (_, history, _) = send(&hp, Method::GET, &format!("{api}/history"), None).await;
    assert_eq!(
        history["versions"][1]["description"],
        "Consent registry: given on 2026-03-01"
    );

    for (body, says) in [
        (
            json!({"kind": "care", "status": "withdrawn", "date": "2026-03-01"}),
            "Care consent is given at enrolment",
        ),
        (
            json!({"kind": "registry", "status": "given", "date": "2999-01-01"}),
            "cannot be dated in the future",
        ),
        (
            json!({"kind": "registry", "status": "maybe", "date": "2026-03-01"}),
            "unknown status 'maybe'",
        ),
        (
            json!({"kind": "registry", "status": "given", "date": "1 March"}),
            "is not a date",
        ),
    ] {
        let (status, detail) = problem(&hp, Method::POST, &consents, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(detail.contains(says), "{body}: {detail}");
    }

    // The record page's form records through the same use case.
    let page = api.trim_start_matches("/api/v1").to_owned();
    let form = format!("{page}/consents");
    let response = hp
        .post_form(
            &page,
            &form,
            &[
                ("kind", "registry"),
                ("status", "withdrawn"),
                ("date", "2026-03-03"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, list, _) = send(&hp, Method::GET, &consents, None).await;
    assert_eq!(list["consents"][1]["status"], "withdrawn");
    let response = hp
        .post_form(
            &page,
            &form,
            &[
                ("kind", "care"),
                ("status", "withdrawn"),
                ("date", "2026-03-03"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Care consent is given at enrolment")
    );

    let (outsider, username) = outsider(&server).await;
    let (status, _, _) = send(&outsider, Method::GET, &consents, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body = json!({"kind": "registry", "status": "withdrawn", "date": "2026-03-01"});
    let (status, _, _) = send(&outsider, Method::POST, &consents, Some(body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &outsider,
        Method::POST,
        &format!("{api}/withdraw-consent"),
        Some(json!({"confirm": true})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        denied(&server, &username).await,
        [
            "access.view_record",
            "access.edit_record",
            "access.edit_record"
        ]
    );

    let withdraw = format!("{api}/withdraw-consent");
    let (status, detail) = problem(&hp, Method::POST, &withdraw, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(detail.contains("Tick the box to confirm"), "{detail}");
    let (status, _, _) = send(&hp, Method::POST, &withdraw, Some(json!({"confirm": true}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, view, _) = send(&hp, Method::GET, &api, None).await;
    assert_eq!(view["patient"]["status"], "locked");
    assert_eq!(view["patient"]["consents"][0]["status"], "withdrawn");
    let body = json!({"kind": "registry", "status": "withdrawn", "date": "2026-03-05"});
    let (status, detail) = problem(&hp, Method::POST, &consents, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(detail.contains("locked"), "{detail}");

    let done = audited(&server).await;
    for action in [
        "patient.read_consents",
        "patient.update",
        "patient.withdraw_consent",
    ] {
        assert!(done.iter().any(|a| a == action), "{action}: {done:?}");
    }
    server.stop().await;
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

/// Uploads `bytes` as the raw body, declared as `mime`.
async fn upload(
    client: &Client,
    api: &str,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    client
        .http
        .post(client.url(&format!("{api}/attachments")))
        .query(&[("name", name)])
        .header("x-csrf-token", client.csrf("/").await)
        .header("content-type", mime)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn files_are_uploaded_listed_and_downloaded(engine: Engine) {
    let (server, _template) = server(engine).await;
    let (hp, api) = owner_with_patient(&server).await;

    let response = upload(
        &hp,
        &api,
        "../exome \"final\".pdf",
        "application/pdf",
        pdf_by("Dr Quirino Fasolato", 2_000),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let attached: Value = response.json().await.unwrap();
    assert_eq!(attached["file_name"], "exome _final.pdf");
    assert_eq!(attached["media_type"], "application/pdf");
    assert_eq!(attached["metadata_kept"], false);
    assert_eq!(attached["href"], location.as_str());

    let (status, list, _) = send(&hp, Method::GET, &format!("{api}/attachments"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["attachments"].as_array().unwrap().len(), 1);
    assert_eq!(list["attachments"][0]["id"], attached["id"]);

    let download = hp.get(&location).await;
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"exome _final.pdf\""
    );
    assert_eq!(headers["cache-control"], "no-store");
    let bytes = download.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4"));
    assert!(!contains(&bytes, b"Quirino"), "the PDF author was stripped");

    let refusals = [
        (
            "notes.html",
            "text/html",
            b"<html></html>".to_vec(),
            "cannot be attached",
        ),
        (
            "scan.png",
            "image/png",
            pdf_by("x", 10),
            "declared as a PNG image but its content is a PDF document",
        ),
        (
            "big.pdf",
            "application/pdf",
            pdf_by("x", 1_100_000),
            "larger than the limit of 1024 KiB",
        ),
        (
            "empty.pdf",
            "application/pdf",
            Vec::new(),
            "The file is empty",
        ),
    ];
    for (name, mime, bytes, says) in refusals {
        let response = upload(&hp, &api, name, mime, bytes).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.unwrap();
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{name}: {problem}"
        );
    }
    let (_, list, _) = send(&hp, Method::GET, &format!("{api}/attachments"), None).await;
    assert_eq!(
        list["attachments"].as_array().unwrap().len(),
        1,
        "nothing refused was stored"
    );

    let (outsider, username) = outsider(&server).await;
    assert_eq!(
        outsider.get(&location).await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, _, _) = send(&outsider, Method::GET, &format!("{api}/attachments"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let response = upload(&outsider, &api, "x.pdf", "application/pdf", pdf_by("x", 10)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        denied(&server, &username).await,
        [
            "access.view_record",
            "access.view_record",
            "access.edit_record"
        ]
    );
    let done = audited(&server).await;
    for action in [
        "patient.attach",
        "patient.list_attachments",
        "patient.read_attachment",
    ] {
        assert!(done.iter().any(|a| a == action), "{action}: {done:?}");
    }
    server.stop().await;
}

async fn the_pedigree_is_read_replaced_and_exported(engine: Engine) {
    let (server, _template) = server(engine).await;
    let (hp, api) = owner_with_patient(&server).await;
    let pedigree = format!("{api}/pedigree");

    let (status, alone, _) = send(&hp, Method::GET, &pedigree, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(alone["individuals"].as_array().unwrap().len(), 1);
    assert_eq!(alone["individuals"][0]["proband"], true);
    assert_eq!(alone["individuals"][0]["sex"], "male");

    let family = json!({
        "individuals": [
            {"id": 1, "sex": "male", "affection": "affected", "proband": true, "mother": 2, "father": 3},
            {"id": 2, "sex": "female", "affection": "unaffected", "carrier": true, "label": "mother"},
            {"id": 3, "sex": "male", "affection": "unknown", "deceased": true, "birth_year": 1960},
        ],
        "partnerships": [{"a": 2, "b": 3, "consanguineous": true}],
    });
    let (status, answer, _) = send(&hp, Method::PUT, &pedigree, Some(family)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["version"], 2);
    let (_, stored, _) = send(&hp, Method::GET, &pedigree, None).await;
    assert_eq!(stored["individuals"].as_array().unwrap().len(), 3);
    assert_eq!(stored["individuals"][1]["carrier"], true);
    assert_eq!(stored["partnerships"][0]["consanguineous"], true);
    assert_eq!(stored["next_id"], 4);

    let pseudonym = api.rsplit('/').next().unwrap();
    let ped = hp.get(&format!("{pedigree}.ped")).await;
    assert_eq!(ped.status(), StatusCode::OK);
    assert!(
        ped.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = ped.text().await.unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(
        text.starts_with(&format!("{pseudonym}\t1\t3\t2\t1\t2")),
        "{text}"
    );
    let svg = hp.get(&format!("{pedigree}.svg")).await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    let drawing = svg.text().await.unwrap();
    assert!(drawing.contains("<svg") && drawing.contains(pseudonym));

    let broken = json!({
        "individuals": [
            {"id": 1, "sex": "male", "affection": "affected", "proband": true, "mother": 2, "father": 3},
            {"id": 2, "sex": "male", "affection": "unknown"},
            {"id": 3, "sex": "male", "affection": "unknown"},
        ],
        "partnerships": [{"a": 2, "b": 3}],
    });
    let (status, detail) = problem(&hp, Method::PUT, &pedigree, broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        detail.contains("the mother (2) of individual 1 is recorded as male"),
        "{detail}"
    );
    let no_proband = json!({
        "individuals": [{"id": 1, "sex": "male", "affection": "affected"}],
        "partnerships": [],
    });
    let (status, detail) = problem(&hp, Method::PUT, &pedigree, no_proband).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(detail.contains("no proband"), "{detail}");
    let (_, unchanged, _) = send(&hp, Method::GET, &pedigree, None).await;
    assert_eq!(unchanged, stored, "refused pedigrees stored nothing");

    let (outsider, username) = outsider(&server).await;
    for path in [
        pedigree.clone(),
        format!("{pedigree}.ped"),
        format!("{pedigree}.svg"),
    ] {
        assert_eq!(
            outsider.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let (status, _, _) = send(&outsider, Method::PUT, &pedigree, Some(stored)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        denied(&server, &username).await,
        [
            "access.view_record",
            "access.view_record",
            "access.view_record",
            "access.edit_record"
        ]
    );
    let done = audited(&server).await;
    for action in [
        "patient.read_pedigree",
        "patient.export_pedigree",
        "patient.update",
    ] {
        assert!(done.iter().any(|a| a == action), "{action}: {done:?}");
    }
    server.stop().await;
}

async fn entries_and_template_fields_are_added_and_listed(engine: Engine) {
    let (server, _template) = server(engine).await;
    let (hp, api) = owner_with_patient(&server).await;

    let additions = [
        (
            "variants",
            json!({"gene": "FBN1", "hgvs": "NM_000138.5:c.1585C>T", "zygosity": "heterozygous", "classification": "likely_pathogenic"}),
        ),
        (
            "labs",
            json!({"name": "Creatine kinase", "loinc": "2157-6", "value": "1840", "unit": "U/L", "reference_range": "30-200", "date": "2026-10-02"}),
        ),
        (
            "treatments",
            json!({"name": "Losartan 50 mg daily", "started": "2026-01-10", "note": "well tolerated"}),
        ),
    ];
    for (n, (section, body)) in additions.iter().enumerate() {
        let path = format!("{api}/{section}");
        let (status, answer, _) = send(&hp, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{section}: {answer}");
        assert_eq!(answer["version"], n + 2);
        let (status, list, _) = send(&hp, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["version"], n + 2);
        let entry = &list["entries"][0];
        for (key, value) in body.as_object().unwrap() {
            assert_eq!(&entry[key], value, "{section}.{key}");
        }
    }
    let (_, treatments, _) = send(&hp, Method::GET, &format!("{api}/treatments"), None).await;
    assert_eq!(treatments["entries"][0]["ended"], "", "ongoing");

    let fields = format!("{api}/fields");
    let (status, template, _) = send(&hp, Method::GET, &fields, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(template["ern"], "BOND");
    assert_eq!(template["fields"][0]["key"], "bone_density_z");
    assert_eq!(template["fields"][0]["kind"], "number");
    assert_eq!(template["fields"][0]["unit"], "SD");
    assert_eq!(template["fields"][0]["value"], Value::Null);
    assert_eq!(
        template["fields"][1]["choices"],
        json!(["none", "1-2", "3 or more"])
    );
    let (status, answer, _) = send(
        &hp,
        Method::POST,
        &fields,
        Some(json!({"key": "bone_density_z", "value": "-2,5"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["version"], 5);
    let (_, template, _) = send(&hp, Method::GET, &fields, None).await;
    assert_eq!(template["version"], 5);
    assert_eq!(template["fields"][0]["value"], "-2.5");
    assert_eq!(template["fields"][0]["shown"], "-2.5 SD");

    for (path, body, says) in [
        (
            "variants",
            json!({"gene": "FBN1", "hgvs": "NM_000138.5:c.1585C>T", "zygosity": "triploid", "classification": "benign"}),
            "zygosity",
        ),
        (
            "labs",
            json!({"name": "CK", "loinc": "2157-5", "value": "1", "date": "2026-10-02"}),
            "loinc",
        ),
        (
            "treatments",
            json!({"name": "Losartan", "started": "2026-05-01", "ended": "2026-01-01"}),
            "end",
        ),
        (
            "fields",
            json!({"key": "bone_density_z", "value": "9"}),
            "outside",
        ),
        (
            "fields",
            json!({"key": "height", "value": "120"}),
            "case template has no field 'height'",
        ),
        (
            "fields",
            json!({"key": "fractures"}),
            "missing field `value`",
        ),
    ] {
        let (status, detail) =
            problem(&hp, Method::POST, &format!("{api}/{path}"), body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(detail.contains(says), "{body}: {detail}");
    }
    let (_, history, _) = send(&hp, Method::GET, &format!("{api}/history?a=2&b=5"), None).await;
    assert_eq!(
        history["versions"].as_array().unwrap().len(),
        5,
        "refused input stored nothing"
    );
    let added: Vec<&str> = history["compared"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["added"] == true)
        .map(|l| l["section"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["labs", "treatments", "network_fields"]);

    let (outsider, username) = outsider(&server).await;
    for section in [
        "variants",
        "labs",
        "treatments",
        "fields",
        "history?a=2&b=5",
    ] {
        let path = format!("{api}/{section}");
        let (status, _, _) = send(&outsider, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{section}");
    }
    let (status, _, _) = send(
        &outsider,
        Method::POST,
        &format!("{api}/variants"),
        Some(additions[0].1.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refused = denied(&server, &username).await;
    assert_eq!(refused.len(), 6);
    assert_eq!(refused[..5], ["access.view_record"; 5]);
    assert_eq!(refused[5], "access.edit_record");
    server.stop().await;
}

async fn the_record_is_exported_and_erased(engine: Engine) {
    let (server, _template) = server(engine).await;
    let (hp, api) = owner_with_patient(&server).await;
    let response = upload(&hp, &api, "letter.pdf", "application/pdf", pdf_by("x", 10)).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let (status, export, _) = send(&hp, Method::GET, &format!("{api}/export"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(export["format"], "ern-cpms-patient-export/1");
    assert_eq!(export["identity"]["name"], NAME);
    assert_eq!(export["attachments"][0]["file_name"], "letter.pdf");
    assert!(
        export["attachments"][0]["content_base64"]
            .as_str()
            .unwrap()
            .starts_with("JVBERi0")
    );
    assert_eq!(export["record_versions"].as_array().unwrap().len(), 1);

    let (outsider, username) = outsider(&server).await;
    let pseudonym = api.rsplit('/').next().unwrap().to_owned();
    let (status, _, _) = send(&outsider, Method::GET, &format!("{api}/export"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &outsider,
        Method::POST,
        &format!("{api}/erasure"),
        Some(json!({"confirmation": pseudonym})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        denied(&server, &username).await,
        ["access.export_patient", "access.erase_patient"]
    );

    let erasure = format!("{api}/erasure");
    let (status, detail) =
        problem(&hp, Method::POST, &erasure, json!({"confirmation": "yes"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        detail.contains("type the patient's pseudonym exactly"),
        "{detail}"
    );
    let (status, _, _) = send(
        &hp,
        Method::POST,
        &erasure,
        Some(json!({"confirmation": pseudonym.replace('-', "")})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, view, _) = send(&hp, Method::GET, &api, None).await;
    assert_eq!(view["patient"]["status"], "erased");
    assert_eq!(view["patient"]["identity"], Value::Null);
    let (_, list, _) = send(&hp, Method::GET, &format!("{api}/attachments"), None).await;
    assert_eq!(list["attachments"], json!([]));
    let (status, detail) = problem(
        &hp,
        Method::POST,
        &erasure,
        json!({"confirmation": pseudonym}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(detail.contains("already erased"), "{detail}");
    let done = audited(&server).await;
    for action in ["patient.export", "patient.erase"] {
        assert!(done.iter().any(|a| a == action), "{action}: {done:?}");
    }
    server.stop().await;
}

async fn the_openapi_document_lists_every_record_path(engine: Engine) {
    let (server, _template) = server(engine).await;
    let anonymous = Client::new(&server.url(""));
    let (status, doc) = anonymous.get_text("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&doc).unwrap();
    let paths = &doc["paths"];
    let expected = [
        ("consents", &["get", "post"][..]),
        ("withdraw-consent", &["post"]),
        ("attachments", &["get", "post"]),
        ("attachments/{id}", &["get"]),
        ("pedigree", &["get", "put"]),
        ("pedigree.ped", &["get"]),
        ("pedigree.svg", &["get"]),
        ("variants", &["get", "post"]),
        ("labs", &["get", "post"]),
        ("treatments", &["get", "post"]),
        ("fields", &["get", "post"]),
        ("history", &["get"]),
        ("erasure", &["post"]),
        ("export", &["get"]),
    ];
    for (tail, methods) in expected {
        let path = format!("/api/v1/patients/{{pseudonym}}/{tail}");
        for method in methods {
            assert!(
                paths[&path][method].is_object(),
                "{method} {path} documented"
            );
        }
    }
    let upload = &paths["/api/v1/patients/{pseudonym}/attachments"]["post"];
    assert!(upload["requestBody"]["content"]["application/pdf"].is_object());
    assert!(
        paths["/api/v1/patients/{pseudonym}/pedigree"]["put"]["requestBody"]["content"]
            ["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap()
            .ends_with("PedigreeJson")
    );
    server.stop().await;
}
