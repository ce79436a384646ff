//! Patients through the JSON API on both engines (enrol, list, code,
//! summary, history, problem+json errors, the OpenAPI document), and a
//! researcher and an administrator refused the record by page and by API,
//! each refusal audited.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_domain::audit::Outcome;
use cpms_domain::ids::MembershipId;
use cpms_domain::org::{MembershipStatus, Role};
use cpms_store::repo::{audit, memberships, users};
use cpms_testkit::client::Client;
use cpms_testkit::identity::{add_account, enrol_totp};
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::api::send;
use support::clinic::{NAME, RECORD_NUMBER, enrol, hospital_of, signed_in};

both_engines!(
    the_api_enrols_codes_and_shows_the_record_and_history,
    the_api_answers_bad_requests_with_problems,
    a_researcher_and_an_administrator_are_refused_the_record,
);

const PASSWORD: &str = "a long enough passphrase 42";

fn enrolment(care_consent_date: &str) -> Value {
    json!({
        "name": NAME,
        "date_of_birth": "2011-09-03",
        "record_number": RECORD_NUMBER,
        "sex": "male",
        "country": "IT",
        "nickname": "api bed",
        "care_consent_date": care_consent_date,
        "research_contact_consent": true,
    })
}

async fn the_api_enrols_codes_and_shows_the_record_and_history(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let hcp = hospital_of(&server, "bond-hp1").await;
    let patients = format!("/api/v1/centres/{hcp}/patients");

    let (status, problem, headers) =
        send(&hp, reqwest::Method::POST, &patients, Some(enrolment(""))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(problem["code"], "input.invalid");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Care consent is required")
    );

    let (status, enrolled, headers) = send(
        &hp,
        reqwest::Method::POST,
        &patients,
        Some(enrolment("2026-02-01")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{enrolled}");
    let pseudonym = enrolled["pseudonym"].as_str().unwrap().to_owned();
    let record = format!("/api/v1/patients/{pseudonym}");
    assert_eq!(headers["location"], record.as_str());

    let (status, list, _) = send(&hp, reqwest::Method::GET, &patients, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(
        (&list["total_exact"], &list["pages"], &list["more"]),
        (&json!(true), &json!(1), &json!(false))
    );
    assert_eq!(list["patients"][0]["pseudonym"], pseudonym.as_str());
    assert_eq!(list["patients"][0]["identity"]["name"], NAME);
    let (_, none, _) = send(
        &hp,
        reqwest::Method::GET,
        &format!("{patients}?q=zzz"),
        None,
    )
    .await;
    assert_eq!(none["total"], 0);

    let steps = [
        (
            format!("{record}/phenotypes"),
            json!({"code": "hp:1250", "presence": "observed", "onset": "infantile"}),
            2,
        ),
        (
            format!("{record}/diagnoses"),
            json!({"code": "ORPHA:558", "status": "suspected"}),
            3,
        ),
    ];
    for (path, body, version) in steps {
        let (status, answer, _) = send(&hp, reqwest::Method::POST, &path, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        assert_eq!(answer["version"], version);
    }
    let (status, answer, _) = send(
        &hp,
        reqwest::Method::PUT,
        &format!("{record}/summary"),
        Some(json!({"text": "Seizures since infancy."})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["version"], 4);

    let (status, view, _) = send(&hp, reqwest::Method::GET, &record, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["version"], 4);
    assert_eq!(view["patient"]["identity"]["record_number"], RECORD_NUMBER);
    assert_eq!(view["patient"]["consents"][0]["kind"], "care");
    assert_eq!(
        view["record"]["phenotypes"][0]["term"]["code"],
        "HP:0001250"
    );
    assert_eq!(view["record"]["phenotypes"][0]["term"]["name"], "Seizure");
    assert_eq!(
        view["record"]["diagnoses"][0]["term"]["name"],
        "Marfan syndrome"
    );
    assert_eq!(view["record"]["summary"], "Seizures since infancy.");

    let (status, history, _) = send(
        &hp,
        reqwest::Method::GET,
        &format!("{record}/history?a=1&b=3"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history["versions"].as_array().unwrap().len(), 4);
    assert_eq!(history["versions"][0]["version"], 4);
    let lines = history["compared"]["lines"].as_array().unwrap();
    assert!(lines.iter().all(|l| l["added"] == true));
    assert!(
        lines
            .iter()
            .any(|l| l["section"] == "diagnoses"
                && l["text"].as_str().unwrap().contains("ORPHA:558"))
    );

    let mut conn = server.app().store().read().await.unwrap();
    let actions: Vec<String> = audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.target.starts_with("patient:"))
        .map(|e| e.event.action)
        .collect();
    drop(conn);
    for action in [
        "patient.enrol",
        "patient.update",
        "patient.read",
        "patient.read_history",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} audited: {actions:?}"
        );
    }

    let (status, doc) = hp.get_text("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&doc).unwrap();
    for path in [
        "/api/v1/centres/{code}/patients",
        "/api/v1/patients/{pseudonym}",
        "/api/v1/patients/{pseudonym}/phenotypes",
        "/api/v1/patients/{pseudonym}/diagnoses",
        "/api/v1/patients/{pseudonym}/summary",
        "/api/v1/patients/{pseudonym}/history",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["paths"]["/api/v1/centres/{code}/patients"]["post"].is_object());
    server.stop().await;
}

async fn the_api_answers_bad_requests_with_problems(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let api = format!("/api/v1{record}");

    let cases = [
        (
            format!("{api}/phenotypes"),
            json!({"code": "HP:9999999"}),
            "not a known",
        ),
        (
            format!("{api}/phenotypes"),
            json!({"presence": "observed"}),
            "code",
        ),
        (
            format!("{api}/diagnoses"),
            json!({"code": "ORPHA:558", "status": "probable"}),
            "status",
        ),
        (
            format!("{api}/diagnoses"),
            json!({"code": "HP:0001250", "status": "confirmed"}),
            "not a known",
        ),
    ];
    for (path, body, says) in cases {
        let (status, problem, headers) =
            send(&hp, reqwest::Method::POST, &path, Some(body.clone())).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(headers["content-type"], "application/problem+json");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{body}: {problem}"
        );
    }

    let not_json = hp
        .http
        .post(hp.url(&format!("{api}/phenotypes")))
        .header("x-csrf-token", hp.csrf("/").await)
        .body("code=HP:0001250")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = not_json.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );

    let pseudonym = record.trim_start_matches("/patients/");
    let last = pseudonym.chars().last().unwrap();
    let typo = format!(
        "{}{}",
        &pseudonym[..pseudonym.len() - 1],
        if last == '7' { '8' } else { '7' }
    );
    let (status, problem, _) = send(
        &hp,
        reqwest::Method::GET,
        &format!("/api/v1/patients/{typo}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("check character"),
        "{problem}"
    );

    let anonymous = Client::new(&server.url(""));
    let (status, problem, _) = send(&anonymous, reqwest::Method::GET, &api, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["code"], "auth.not_signed_in");

    let (status, problem, _) = send(
        &hp,
        reqwest::Method::GET,
        &format!(
            "/api/v1/centres/{}/patients?sort=sideways",
            hospital_of(&server, "bond-hp1").await
        ),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["detail"].as_str().unwrap().contains("sort"));
    server.stop().await;
}

/// A researcher at the owner's own hospital, with an authenticator app.
async fn researcher_beside(server: &TestServer, owner: &str) -> Client {
    let user = add_account(server, "rhea.researcher", PASSWORD, false).await;
    let mut tx = server.app().store().write().await.unwrap();
    let (owner, _) = users::find_by_username(&mut tx, owner)
        .await
        .unwrap()
        .unwrap();
    let mut membership = memberships::of_user(&mut tx, owner.id).await.unwrap()[0].clone();
    membership.id = MembershipId::new();
    membership.user = user;
    membership.role = Role::Researcher;
    membership.status = MembershipStatus::Approved;
    memberships::insert(&mut tx, &membership, jiff::Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let client = Client::new(&server.url(""));
    enrol_totp(&client, "rhea.researcher", PASSWORD).await;
    client
}

async fn a_researcher_and_an_administrator_are_refused_the_record(engine: Engine) {
    let server = TestServer::training(engine).await;
    let owner = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &owner, "bond-hp1").await;
    let researcher = researcher_beside(&server, "bond-hp1").await;
    add_account(&server, "ada.admin", PASSWORD, true).await;
    let admin = Client::new(&server.url(""));
    enrol_totp(&admin, "ada.admin", PASSWORD).await;

    for (who, client) in [("researcher", &researcher), ("administrator", &admin)] {
        let (status, page) = client.get_text(&record).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: page");
        assert!(!page.contains(NAME) && !page.contains(RECORD_NUMBER));
        let (status, problem, _) = send(
            client,
            reqwest::Method::GET,
            &format!("/api/v1{record}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: API");
        assert_eq!(problem["code"], "access.forbidden");
        assert!(!problem.to_string().contains(NAME));
        let (status, _, _) = send(
            client,
            reqwest::Method::POST,
            &format!("/api/v1{record}/phenotypes"),
            Some(json!({"code": "HP:0001250"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: change");
    }

    let mut conn = server.app().store().read().await.unwrap();
    let mut refused = Vec::new();
    for username in ["rhea.researcher", "ada.admin"] {
        let (user, _) = users::find_by_username(&mut conn, username)
            .await
            .unwrap()
            .unwrap();
        let denied: Vec<String> = audit::page(&mut conn, 0, 10_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.event.outcome == Outcome::Denied && e.event.actor == Some(user.id))
            .filter(|e| e.event.target.starts_with("patient:"))
            .map(|e| e.event.action)
            .collect();
        refused.push((username, denied));
    }
    drop(conn);
    for (username, denied) in refused {
        assert_eq!(
            denied,
            [
                "access.view_record",
                "access.view_record",
                "access.edit_record"
            ],
            "{username}"
        );
    }
    server.stop().await;
}
