//! Panels through the JSON API on both engines: request (with a
//! problem+json for a bad one), invitation, answer, the shared record,
//! posts, steps to closing, the network's list and queue, refusals, and
//! the OpenAPI document listing the endpoints.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_store::repo::users;
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::clinic::{NAME, enrol, signed_in};

both_engines!(the_api_runs_a_panel_from_request_to_closing);

async fn send(
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client.http.request(method, client.url(path));
    if let Some(body) = body {
        request = request
            .header("x-csrf-token", client.csrf("/").await)
            .json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn user_id(server: &TestServer, username: &str) -> String {
    let mut conn = server.app().store().read().await.unwrap();
    let (user, _) = users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap();
    user.id.to_string()
}

async fn the_api_runs_a_panel_from_request_to_closing(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &lead, "bond-hp1").await;
    let pseudonym = record.trim_start_matches("/patients/").to_owned();
    for (path, fields) in [
        ("summary", vec![("summary", "Fractures since infancy.")]),
        (
            "phenotypes",
            vec![("code", "HP:0002757"), ("presence", "observed")],
        ),
    ] {
        let r = lead
            .post_form(&record, &format!("{record}/{path}"), &fields)
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let mut request = json!({
        "pseudonym": pseudonym,
        "ern": "BOND",
        "panel_type": "treatment",
        "questions": "",
        "urgency": "routine",
        "sections": ["phenotype"],
        "submit": true,
    });
    let (status, problem) =
        send(&lead, Method::POST, "/api/v1/panels", Some(request.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Clinical questions: is required"),
        "{problem}"
    );
    request["questions"] = json!("Is bisphosphonate treatment indicated?");
    let (status, created) = send(&lead, Method::POST, "/api/v1/panels", Some(request)).await;
    assert_eq!(status, StatusCode::CREATED);
    let reference = created["reference"].as_str().unwrap().to_owned();
    let panel = format!("/api/v1/panels/{reference}");
    let (status, p) = send(&lead, Method::GET, &panel, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["state"], "open");
    assert_eq!(p["my_role"], "lead");

    let expert = user_id(&server, "bond-hp2").await;
    let (status, _) = send(
        &lead,
        Method::POST,
        &format!("{panel}/invitations"),
        Some(json!({ "experts": [expert] })),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let member = signed_in(&server, "bond-hp2").await;
    let (_, mine) = send(&member, Method::GET, "/api/v1/panels", None).await;
    assert_eq!(mine["invited"][0]["reference"], reference.as_str());
    assert_eq!(mine["waiting"][0]["what"], "Invitation to answer");
    let (status, _) = send(&member, Method::GET, &format!("{panel}/shared"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not before accepting");
    let (status, _) = send(
        &member,
        Method::POST,
        &format!("{panel}/answer"),
        Some(json!({ "accept": true })),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, shared) = send(&member, Method::GET, &format!("{panel}/shared"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shared["pseudonym"], pseudonym.as_str());
    assert_eq!(shared["sections"], json!(["phenotype"]));
    assert_eq!(
        shared["record"]["phenotypes"][0]["term"]["code"],
        "HP:0002757"
    );
    assert_eq!(shared["record"]["summary"], "");
    assert!(!shared.to_string().contains(NAME));

    let (status, posted) = send(
        &member,
        Method::POST,
        &format!("{panel}/posts"),
        Some(json!({ "kind": "contribution", "body": "Yes, start pamidronate." })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(posted["id"].is_string());

    let (status, _) = send(
        &lead,
        Method::POST,
        &format!("{panel}/transitions"),
        Some(json!({ "transition": "start_outcome" })),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let draft = format!("{panel}/outcome/draft");
    let (status, saved) = send(
        &lead,
        Method::PUT,
        &draft,
        Some(json!({ "plan": "Pamidronate.", "send": true })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "an incomplete draft is saved");
    assert_eq!(saved["sent"], false);
    let fields: Vec<&str> = saved["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"diagnoses") && fields.contains(&"discussion"),
        "{saved}"
    );
    let complete = json!({
        "case_summary": "Fractures since infancy.",
        "questions": ["Start bisphosphonates?"],
        "discussion": "One expert advises treatment.",
        "diagnoses": [{ "code": "ORPHA:558", "certainty": "excluded" }],
        "investigations": [],
        "plan": "Pamidronate.",
        "follow_up": "Bone density in a year.",
        "send": true
    });
    let (status, saved) = send(&lead, Method::PUT, &draft, Some(complete)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(saved["sent"], true, "{saved}");
    let (status, outcome) = send(&member, Method::GET, &format!("{panel}/outcome"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome["state"], "sign_off");
    assert_eq!(outcome["document"]["conclusions"]["plan"], "Pamidronate.");
    assert_eq!(
        outcome["document"]["conclusions"]["diagnoses"][0]["label"],
        "Marfan syndrome"
    );
    assert!(outcome["draft"].is_null(), "members see what was sent");
    assert_eq!(outcome["may_sign_off"], true);
    let (status, _) = send(
        &member,
        Method::POST,
        &format!("{panel}/outcome/sign-off"),
        Some(json!({ "sign": true })),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(
        &member,
        Method::PUT,
        &draft,
        Some(json!({ "plan": "Mine" })),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "members do not write the outcome"
    );

    let day = jiff::Zoned::now()
        .date()
        .saturating_add(jiff::ToSpan::days(20));
    let meeting = json!({
        "date": day.to_string(), "time": "09:00", "time_zone": "Europe/Brussels",
        "duration_minutes": 45, "agenda": "Agree the outcome"
    });
    let meetings = format!("{panel}/meetings");
    let (status, created) = send(&lead, Method::POST, &meetings, Some(meeting.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = send(&member, Method::POST, &meetings, Some(meeting)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members do not schedule");
    let (status, list) = send(&member, Method::GET, &meetings, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], created["id"]);
    assert_eq!(list[0]["time_zone"], "Europe/Brussels");
    assert_eq!(list[0]["sequence"], 0);
    assert!(
        list[0]["video_link"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let close = |confirm: bool| json!({ "transition": "close", "confirm_few_contributions": confirm, "comment": "Advice given" });
    let (status, problem) = send(
        &lead,
        Method::POST,
        &format!("{panel}/transitions"),
        Some(close(false)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("1 contribution(s)")
    );
    let (status, _) = send(
        &lead,
        Method::POST,
        &format!("{panel}/transitions"),
        Some(close(true)),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, p) = send(&member, Method::GET, &panel, None).await;
    assert_eq!(p["state"], "closed");
    assert_eq!(p["closed_few_contributions"], true);
    assert!(p["first_contribution_at"].is_string() && p["closed_at"].is_string());
    assert_eq!(p["posts"][0]["kind"], "contribution");
    assert_eq!(
        p["log"].as_array().unwrap().last().unwrap()["comment"],
        "Advice given"
    );
    let (status, versions) = send(
        &member,
        Method::GET,
        &format!("{panel}/outcome/versions"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(versions[0]["closed_at"].is_string());
    let pdf = member.get(versions[0]["pdf"].as_str().unwrap()).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");

    let coordinator = signed_in(&server, "bond-coordinator").await;
    let (status, list) = send(
        &coordinator,
        Method::GET,
        "/api/v1/erns/BOND/panels?state=closed",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["panels"][0]["reference"], reference.as_str());
    assert!(list["next"].is_null());
    let (status, queue) = send(&coordinator, Method::GET, "/api/v1/erns/BOND/triage", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue, json!([]));
    let (status, _) = send(&coordinator, Method::GET, &format!("{panel}/shared"), None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "staff do not read the record"
    );

    let outsider = signed_in(&server, "bond-hp4").await;
    let (status, problem) = send(&outsider, Method::GET, &panel, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["code"], "access.forbidden");
    let (status, _) = send(&outsider, Method::GET, "/api/v1/erns/BOND/panels", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, doc) = send(&outsider, Method::GET, "/api/v1/openapi.json", None).await;
    for path in [
        "/api/v1/panels",
        "/api/v1/panels/{reference}/shared",
        "/api/v1/panels/{reference}/shared/attachments/{id}",
        "/api/v1/panels/{reference}/transitions",
        "/api/v1/panels/{reference}/outcome/draft",
        "/api/v1/panels/{reference}/outcome/versions/{version}/pdf",
        "/api/v1/panels/{reference}/meetings/{meeting}",
        "/api/v1/erns/{code}/panels",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} in the OpenAPI document"
        );
    }
    server.stop().await;
}
