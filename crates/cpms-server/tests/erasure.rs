//! The end of a record through HTTP on both engines: withdrawal of care
//! consent locks it; erasure, confirmed by typing the pseudonym, leaves no
//! identifying value anywhere in the database (SQLite: every byte of its
//! files; PostgreSQL: every text column of every table) or the blob store,
//! deletes or anonymises the clinical data as configured, and keeps the
//! audit trail. The data-subject export holds the whole record.
#![allow(clippy::unwrap_used)]

mod support;

use base64::Engine as _;
use cpms_store::repo::audit;
use cpms_testkit::client::Client;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sqlx::Row;
use support::clinic::{NAME, RECORD_NUMBER, enrol, signed_in};

both_engines!(
    withdrawal_locks_the_record,
    erasure_deletes_and_leaves_no_identifying_value_anywhere,
    erasure_can_keep_the_record_anonymised,
    the_export_holds_the_whole_record_and_is_audited,
);

const DATE_OF_BIRTH: &str = "2011-09-03";

async fn server(engine: Engine, erasure: &str) -> TestServer {
    TestServer::start(
        engine,
        Options {
            training: true,
            env: vec![("CPMS_ERASURE_CLINICAL_DATA".into(), erasure.into())],
        },
    )
    .await
}

async fn actions(server: &TestServer) -> Vec<String> {
    let mut conn = server.app().store().read().await.unwrap();
    audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event.action)
        .collect()
}

/// A record with identifying values in free text, a coded phenotype and a
/// letter whose name and content name the patient.
async fn record_naming_the_patient(server: &TestServer, hp: &Client) -> String {
    let record = enrol(server, hp, "bond-hp1").await;
    let summary = format!("{NAME} ({RECORD_NUMBER}, born {DATE_OF_BIRTH}) seen for seizures.");
    let response = hp
        .post_form(
            &record,
            &format!("{record}/summary"),
            &[("summary", &summary)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = hp
        .post_form(
            &record,
            &format!("{record}/phenotypes"),
            &[("code", "HP:0001250"), ("presence", "observed")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let csrf = hp.csrf("/").await;
    let letter = format!("%PDF-1.4\n(Letter about {NAME}, {RECORD_NUMBER})\n%%EOF\n");
    let file = Part::bytes(letter.into_bytes())
        .file_name(format!("{NAME} letter.pdf"))
        .mime_str("application/pdf")
        .unwrap();
    let response = hp
        .http
        .post(hp.url(&format!("{record}/attachments?csrf={csrf}")))
        .multipart(Form::new().part("file", file))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    record
}

async fn erase(hp: &Client, record: &str, confirmation: &str) -> reqwest::Response {
    hp.post_form(
        record,
        &format!("{record}/erase"),
        &[("confirmation", confirmation)],
    )
    .await
}

async fn withdrawal_locks_the_record(engine: Engine) {
    let server = server(engine, "delete").await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let withdraw = format!("{record}/withdraw-consent");

    let response = hp.post_form(&record, &withdraw, &[]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("Tick the box"));
    let response = hp.post_form(&record, &withdraw, &[("confirm", "on")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (status, page) = hp.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This record is locked"), "{page}");
    assert!(page.contains("withdrawn"));
    assert!(
        !page.contains("id=\"attach\""),
        "no upload form on a locked record"
    );
    let response = hp
        .post_form(
            &record,
            &format!("{record}/summary"),
            &[("summary", "more")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    assert!(page.contains("care consent was withdrawn"), "{page}");
    let response = hp.post_form(&record, &withdraw, &[("confirm", "on")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        actions(&server)
            .await
            .contains(&"patient.withdraw_consent".to_owned())
    );
    server.stop().await;
}

async fn erasure_deletes_and_leaves_no_identifying_value_anywhere(engine: Engine) {
    let server = server(engine, "delete").await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = record_naming_the_patient(&server, &hp).await;
    let pseudonym = record.trim_start_matches("/patients/").to_owned();

    let response = erase(&hp, &record, "not the pseudonym").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("type the patient"));
    let (_, page) = hp.get_text(&record).await;
    assert!(page.contains(NAME), "a refused erasure changes nothing");

    let response = erase(&hp, &record, &pseudonym).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, page) = hp.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Erased.") && !page.contains(NAME));
    assert!(
        page.contains("No phenotype recorded"),
        "clinical data deleted"
    );
    assert!(page.contains("No files attached"));
    let (_, history) = hp.get_text(&format!("{record}/history")).await;
    assert!(history.contains("Patient erased; clinical data deleted"));
    assert!(
        !history.contains("Clinical summary edited"),
        "the history is gone"
    );

    no_identifying_value_anywhere(&server).await;
    let actions = actions(&server).await;
    for kept in [
        "patient.enrol",
        "patient.update",
        "patient.attach",
        "patient.erase",
    ] {
        assert!(
            actions.contains(&kept.to_owned()),
            "{kept} kept in the audit trail"
        );
    }
    let response = erase(&hp, &record, &pseudonym).await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "erased once only"
    );
    server.stop().await;
}

async fn erasure_can_keep_the_record_anonymised(engine: Engine) {
    let server = server(engine, "anonymise").await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = record_naming_the_patient(&server, &hp).await;
    let pseudonym = record.trim_start_matches("/patients/").to_owned();
    let response = erase(&hp, &record, &pseudonym).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    let (_, page) = hp.get_text(&record).await;
    assert!(page.contains("HP:0001250"), "coded entries kept");
    assert!(!page.contains("seen for seizures"), "free text removed");
    no_identifying_value_anywhere(&server).await;
    server.stop().await;
}

/// Scans the database and the blob directory for the identifying values
/// typed at enrolment (and written into the summary and the letter).
async fn no_identifying_value_anywhere(server: &TestServer) {
    let secrets = [NAME, RECORD_NUMBER, DATE_OF_BIRTH];
    let blob_dir = server.data_path().join("attachments");
    let blobs: Vec<_> = std::fs::read_dir(&blob_dir).unwrap().collect();
    assert!(blobs.is_empty(), "the blobs are deleted");
    match server.db.engine {
        Engine::Sqlite => {
            let mut scanned = 0;
            for entry in std::fs::read_dir(server.db.dir.path()).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                scanned += bytes.len();
                for secret in secrets {
                    assert!(
                        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                        "{secret} is in the database files"
                    );
                }
            }
            assert!(scanned > 0);
        }
        Engine::Postgres => {
            let mut conn = server.app().store().read().await.unwrap();
            let columns = sqlx::query(
                "SELECT table_name::text AS t, column_name::text AS c \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND data_type IN ('text', 'character varying')",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert!(columns.len() > 20, "every text column is scanned");
            for column in &columns {
                let (table, name): (String, String) = (column.get("t"), column.get("c"));
                for secret in secrets {
                    let sql =
                        format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE \"{name}\" LIKE $1");
                    let found: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(format!("%{secret}%"))
                        .fetch_one(&mut *conn)
                        .await
                        .unwrap()
                        .get("n");
                    assert_eq!(found, 0, "{secret} is in {table}.{name}");
                }
            }
        }
    }
}

async fn the_export_holds_the_whole_record_and_is_audited(engine: Engine) {
    let server = server(engine, "delete").await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = record_naming_the_patient(&server, &hp).await;
    let response = hp.get(&format!("{record}/export")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("-export.json")
    );
    let export: serde_json::Value = response.json().await.unwrap();
    assert_eq!(export["identity"]["name"], NAME);
    assert_eq!(export["identity"]["record_number"], RECORD_NUMBER);
    assert_eq!(export["status"], "active");
    let versions = export["record_versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3, "enrolment, summary, phenotype");
    assert_eq!(
        versions[2]["content"]["phenotypes"][0]["term"]["code"],
        "HP:0001250"
    );
    let letter = &export["attachments"][0];
    assert_eq!(letter["media_type"], "application/pdf");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(letter["content_base64"].as_str().unwrap())
        .unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("Letter about"));
    assert!(
        actions(&server)
            .await
            .contains(&"patient.export".to_owned())
    );

    let other = signed_in(&server, "bond-coordinator").await;
    assert_eq!(
        other.get(&format!("{record}/export")).await.status(),
        StatusCode::FORBIDDEN
    );
    server.stop().await;
}
