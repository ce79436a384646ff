//! Patients through HTTP on both engines: enrolment under care consent,
//! pseudonym typos, who is refused the record (and that the refusal is
//! audited), coding by HPO and ORPHA, genetics, laboratory results and
//! treatments, history, and identifying data that never reaches the
//! database file in clear.
#![allow(clippy::unwrap_used)]

use cpms_domain::audit::Outcome;
use cpms_store::repo::{audit, memberships, users};
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;

both_engines!(
    enrolment_needs_care_consent,
    the_owner_codes_the_record_and_sees_its_history,
    others_are_refused_the_record_and_refusals_are_audited,
    the_owner_draws_a_pedigree_and_downloads_it_as_ped,
    the_owner_records_genetics_laboratory_results_and_treatments,
);

const NAME: &str = "Zeferina Quattrocchi-Vallombrosa";
const RECORD_NUMBER: &str = "MRN-Q7731904";

async fn signed_in(server: &TestServer, username: &str) -> Client {
    let client = Client::new(&server.url(""));
    let response = client
        .sign_in(username, &server.training_password(username))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    client
}

/// The hospital code of a training account's first membership.
async fn hospital_of(server: &TestServer, username: &str) -> String {
    let mut conn = server.app().store().read().await.unwrap();
    let (user, _) = users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap();
    let ms = memberships::of_user(&mut conn, user.id).await.unwrap();
    ms[0].hcp_code.to_string()
}

async fn enrol(client: &Client, hcp: &str, care_consent_date: &str) -> reqwest::Response {
    let path = format!("/centres/{hcp}/patients/new");
    client
        .post_form(
            &path,
            &path,
            &[
                ("name", NAME),
                ("date_of_birth", "2014-02-17"),
                ("record_number", RECORD_NUMBER),
                ("sex", "female"),
                ("country", "IT"),
                ("nickname", "bed 4"),
                ("care_consent_date", care_consent_date),
                ("registry_consent", "on"),
            ],
        )
        .await
}

/// Enrols as `username`; returns the record's path.
async fn enrolled(server: &TestServer, client: &Client, username: &str) -> String {
    let hcp = hospital_of(server, username).await;
    let response = enrol(client, &hcp, "2026-01-10").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

async fn enrolment_needs_care_consent(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let hcp = hospital_of(&server, "bond-hp1").await;
    let response = enrol(&hp, &hcp, "").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Care consent is required"), "{page}");
    assert!(page.contains(NAME), "the form keeps what was typed");
    let (_, list) = hp.get_text(&format!("/centres/{hcp}/patients")).await;
    assert!(list.contains("No patients enrolled yet"));

    let record = enrolled(&server, &hp, "bond-hp1").await;
    let (status, list) = hp.get_text(&format!("/centres/{hcp}/patients")).await;
    assert_eq!(status, StatusCode::OK);
    let pseudonym = record.trim_start_matches("/patients/");
    assert!(list.contains(pseudonym) && list.contains(NAME) && list.contains("bed 4"));
    server.stop().await;
}

async fn the_owner_codes_the_record_and_sees_its_history(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrolled(&server, &hp, "bond-hp1").await;
    let (status, page) = hp.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(NAME) && page.contains(RECORD_NUMBER) && page.contains("2014-02-17"));

    let (status, hits) = hp.get_text("/api/v1/terminology?kind=hpo&q=seizu").await;
    assert_eq!(status, StatusCode::OK);
    let hits: serde_json::Value = serde_json::from_str(&hits).unwrap();
    assert_eq!(hits[0]["code"], "HP:0001250", "{hits}");

    let add = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let hp = &hp;
        let record = record.clone();
        async move { hp.post_form(&record, &path, &fields).await }
    };
    let response = add(
        format!("{record}/phenotypes"),
        vec![
            ("code", "hp:1250"),
            ("presence", "observed"),
            ("onset", "Infantile"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = add(
        format!("{record}/diagnoses"),
        vec![("code", "ORPHA:558"), ("status", "suspected")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = add(
        format!("{record}/phenotypes"),
        vec![("code", "HP:9999999"), ("presence", "observed")],
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "unknown codes are refused"
    );

    let (_, page) = hp.get_text(&record).await;
    assert!(page.contains("HP:0001250") && page.contains("Seizure"));
    assert!(page.contains("ORPHA:558") && page.contains("Marfan syndrome"));
    let (status, history) = hp.get_text(&format!("{record}/history?a=1&b=3")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(history.contains("Phenotype added: HP:0001250 Seizure"));
    assert!(history.contains("Diagnosis added: ORPHA:558 Marfan syndrome"));
    assert!(history.contains("Changes from version 1 to 3"));

    // A pseudonym with one character changed is rejected for its check character.
    let pseudonym = record.trim_start_matches("/patients/");
    let last = pseudonym.chars().last().unwrap();
    let typo = format!(
        "{}{}",
        &pseudonym[..pseudonym.len() - 1],
        if last == '7' { '8' } else { '7' }
    );
    let (status, page) = hp.get_text(&format!("/patients/{typo}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("check character"), "{page}");

    if engine == Engine::Sqlite {
        identifying_fields_are_not_in_the_database_files(&server);
    }
    server.stop().await;
}

/// Scans every file of the SQLite database (main file and write-ahead log)
/// for the identifying values typed at enrolment.
fn identifying_fields_are_not_in_the_database_files(server: &TestServer) {
    let mut scanned = 0;
    for entry in std::fs::read_dir(server.db.dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        scanned += bytes.len();
        for secret in [NAME, RECORD_NUMBER, "2014-02-17"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} is readable in the database"
            );
        }
    }
    assert!(scanned > 0, "the database files were scanned");
}

async fn others_are_refused_the_record_and_refusals_are_audited(engine: Engine) {
    let server = TestServer::training(engine).await;
    let owner = signed_in(&server, "bond-hp1").await;
    let record = enrolled(&server, &owner, "bond-hp1").await;
    let home = hospital_of(&server, "bond-hp1").await;
    let mut elsewhere = None;
    for n in 2..=5 {
        let username = format!("bond-hp{n}");
        if hospital_of(&server, &username).await != home {
            elsewhere = Some(username);
            break;
        }
    }
    let others = [elsewhere.unwrap(), "bond-coordinator".to_owned()];
    for username in &others {
        let client = signed_in(&server, username).await;
        let (status, page) = client.get_text(&record).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
        assert!(!page.contains(NAME));
        let (status, _) = client.get_text(&format!("{record}/history")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{username}");
    }
    let mut conn = server.app().store().read().await.unwrap();
    let denied: Vec<_> = audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.outcome == Outcome::Denied)
        .collect();
    assert_eq!(denied.len(), 4);
    assert!(
        denied
            .iter()
            .all(|e| e.event.action == "access.view_record"
                && e.event.target.starts_with("patient:"))
    );
    drop(conn);
    server.stop().await;
}

async fn the_owner_draws_a_pedigree_and_downloads_it_as_ped(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrolled(&server, &hp, "bond-hp1").await;
    let editor = format!("{record}/pedigree");
    let edit = |fields: Vec<(&'static str, &'static str)>| {
        let (hp, editor) = (&hp, editor.clone());
        async move { hp.post_form(&editor, &editor, &fields).await }
    };
    let response = edit(vec![("op", "add"), ("relation", "parents"), ("of", "1")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = edit(vec![
        ("op", "change"),
        ("id", "3"),
        ("sex", "male"),
        ("affection", "affected"),
        ("deceased", "on"),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // Refused edits leave the pedigree as it was and say why.
    let response = edit(vec![("op", "remove"), ("id", "1")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("cannot be removed"), "{page}");
    let response = edit(vec![("op", "change"), ("id", "2"), ("sex", "male")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let response = hp.get(&format!("{record}/pedigree.ped")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pseudonym = record.trim_start_matches("/patients/");
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"{pseudonym}.ped\"")
    );
    let ped = response.text().await.unwrap();
    assert_eq!(
        ped,
        format!(
            "{pseudonym}\t1\t3\t2\t2\t0\n{pseudonym}\t2\t0\t0\t2\t0\n{pseudonym}\t3\t0\t0\t1\t2\n"
        )
    );
    let (_, history) = hp.get_text(&format!("{record}/history")).await;
    assert_eq!(history.matches("Family history edited").count(), 2);

    // Another clinician (not the record's owner) does not get the file.
    let other = signed_in(&server, "bond-hp2").await;
    let (status, _) = other.get_text(&format!("{record}/pedigree.ped")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await;
}

async fn the_owner_records_genetics_laboratory_results_and_treatments(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrolled(&server, &hp, "bond-hp1").await;
    let (_, page) = hp.get_text(&record).await;
    for form in ["/variants", "/labs", "/treatments"] {
        assert!(
            page.contains(&format!(r#"action="{record}{form}""#)),
            "{form} form"
        );
    }
    let post = |path: &str, fields: Vec<(&'static str, &'static str)>| {
        let (hp, record, path) = (&hp, record.clone(), format!("{record}{path}"));
        async move { hp.post_form(&record, &path, &fields).await }
    };
    let accepted = [
        (
            "/variants",
            vec![
                ("gene", "FBN1"),
                ("hgvs", "NM_000138.5:c.1585C>T"),
                ("zygosity", "heterozygous"),
                ("classification", "likely_pathogenic"),
            ],
        ),
        (
            "/labs",
            vec![
                ("name", "Creatine kinase"),
                ("loinc", "2157-6"),
                ("value", "1450"),
                ("unit", "U/L"),
                ("reference_range", "30-200"),
                ("date", "2026-10-02"),
            ],
        ),
        (
            "/treatments",
            vec![
                ("name", "Losartan 50 mg daily"),
                ("started", "2026-03-01"),
                ("ended", ""),
                ("note", "blood pressure checked monthly"),
            ],
        ),
    ];
    for (path, fields) in accepted {
        let response = post(path, fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
    }
    let refused = [
        (
            "/variants",
            vec![
                ("gene", "fbn1"),
                ("hgvs", "c.1585C>T"),
                ("zygosity", "heterozygous"),
                ("classification", "benign"),
            ],
            "HGNC symbol",
        ),
        (
            "/variants",
            vec![
                ("gene", "FBN1"),
                ("hgvs", "1585 C to T"),
                ("zygosity", "heterozygous"),
                ("classification", "benign"),
            ],
            "HGVS",
        ),
        (
            "/variants",
            vec![
                ("gene", "FBN1"),
                ("hgvs", "c.1585C>T"),
                ("zygosity", "double"),
                ("classification", "benign"),
            ],
            "zygosity",
        ),
        (
            "/labs",
            vec![
                ("name", "CK"),
                ("loinc", "2157-5"),
                ("value", "1"),
                ("unit", "U/L"),
                ("date", "2026-10-02"),
            ],
            "LOINC",
        ),
        (
            "/labs",
            vec![
                ("name", "CK"),
                ("value", "1"),
                ("unit", "U/L"),
                ("date", "02/10/2026"),
            ],
            "not a date",
        ),
        (
            "/treatments",
            vec![
                ("name", "Losartan"),
                ("started", "2026-03-01"),
                ("ended", "2026-01-01"),
            ],
            "before the start",
        ),
        ("/treatments", vec![("name", " "), ("started", "")], "name"),
    ];
    for (path, fields, reason) in refused {
        let response = post(path, fields).await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{path} {reason}"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains(reason), "{path}: {reason} in {page}");
    }

    let (_, page) = hp.get_text(&record).await;
    assert!(page.contains("FBN1") && page.contains("NM_000138.5:c.1585C"));
    assert!(page.contains("likely pathogenic") && page.contains("heterozygous"));
    assert!(
        page.contains("Creatine kinase") && page.contains("2157-6") && page.contains("1450 U/L")
    );
    assert!(page.contains("30-200") && page.contains("2026-10-02"));
    assert!(
        page.contains("Losartan 50 mg daily")
            && page.contains("from 2026-03-01")
            && page.contains("(ongoing)")
    );
    let (_, history) = hp.get_text(&format!("{record}/history")).await;
    assert!(
        history.contains("Variant added: FBN1 NM_000138.5:c.1585C"),
        "{history}"
    );
    assert!(history.contains("Laboratory result added: Creatine kinase"));
    assert!(history.contains("Treatment added: Losartan 50 mg daily"));
    assert!(
        history.contains("Compare to version 4") && !history.contains("Compare to version 5"),
        "enrolment and three additions; refused input stored nothing"
    );

    // Another clinician of the same centre may not add to it.
    let other = signed_in(&server, "bond-hp2").await;
    let response = other
        .post_form(
            &record,
            &format!("{record}/labs"),
            &[("name", "CK"), ("value", "1"), ("date", "2026-10-02")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}
