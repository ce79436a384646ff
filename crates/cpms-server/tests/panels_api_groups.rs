//! Expert groups and guest invitations through the JSON API on both
//! engines, with mail through a real SMTP sink: a coordinator creates,
//! fills, trims, renames and deletes a group (a bad name and a bad expert
//! id are 422 problem+json; a clinician is refused with 403, audited); the
//! lead invites the group to a panel (its expert is told) and guests by
//! e-mail (a sign-up link mailed; an existing account told in the centre);
//! someone not on the panel may not invite; the OpenAPI document lists it.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::client::Client;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::SmtpSink;
use cpms_testkit::{Engine, both_engines};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::Row;
use support::clinic::{enrol, signed_in};
use support::notices::account;
use support::panel::user_id;

both_engines!(groups_and_guests_through_the_api);

const GROUPS: &str = "/api/v1/erns/BOND/expert-groups";

/// Sends a request (with the CSRF header unless it is a GET); returns the
/// status, the content type and the JSON body.
async fn send(
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, String, Value) {
    let mut request = client.http.request(method.clone(), client.url(path));
    if method != Method::GET {
        request = request.header("x-csrf-token", client.csrf("/").await);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    (
        status,
        content_type,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

async fn audited(server: &TestServer, action: &str) -> i64 {
    let mut conn = server.app().store().read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// The kinds of notification about `reference` in the caller's centre.
async fn told(client: &Client, reference: &str) -> Vec<String> {
    let (_, _, page) = send(client, Method::GET, "/api/v1/notifications", None).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["link"] == format!("/panels/{reference}"))
        .map(|n| n["event"].as_str().unwrap().to_owned())
        .collect()
}

async fn groups_and_guests_through_the_api(engine: Engine) {
    let sink = SmtpSink::start(SmtpSink::free_port().await).await;
    let server = TestServer::start(engine, Options::training_with_mail(sink.port)).await;
    let coordinator = signed_in(&server, "bond-coordinator").await;
    let lead = signed_in(&server, "bond-hp1").await;

    // Clinicians do not keep the network's groups.
    let (status, content_type, problem) =
        send(&lead, Method::POST, GROUPS, Some(json!({"name": "Mine"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(content_type.starts_with("application/problem+json"));
    assert_eq!(problem["code"], "access.forbidden");
    assert_eq!(audited(&server, "access.manage_expert_groups").await, 1);

    // A bad name and a bad expert id are named.
    let (status, content_type, problem) = send(
        &coordinator,
        Method::POST,
        GROUPS,
        Some(json!({"name": "  "})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(content_type.starts_with("application/problem+json"));
    assert!(
        problem["detail"].as_str().unwrap().starts_with("Name:"),
        "{problem}"
    );
    let (status, _, created) = send(
        &coordinator,
        Method::POST,
        GROUPS,
        Some(json!({"name": "Bone fragility"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().unwrap().to_owned();
    let group = format!("{GROUPS}/{id}");
    let (status, _, problem) = send(
        &coordinator,
        Method::POST,
        &format!("{group}/members"),
        Some(json!({"experts": ["not-a-person"]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    // Filled, trimmed, renamed.
    let (hp2, hp3) = (
        user_id(&server, "bond-hp2").await.to_string(),
        user_id(&server, "bond-hp3").await.to_string(),
    );
    let (status, _, _) = send(
        &coordinator,
        Method::POST,
        &format!("{group}/members"),
        Some(json!({"experts": [hp2, hp3]})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(
        &coordinator,
        Method::DELETE,
        &format!("{group}/members/{hp3}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(
        &coordinator,
        Method::PUT,
        &group,
        Some(json!({"name": "Bone fragility (children)"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, detail) = send(&coordinator, Method::GET, &group, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["name"], "Bone fragility (children)");
    let members: Vec<&str> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"].as_str().unwrap())
        .collect();
    assert_eq!(members, [hp2.as_str()]);
    let (_, _, list) = send(&coordinator, Method::GET, GROUPS, None).await;
    assert_eq!(
        list,
        json!([{"id": id, "name": "Bone fragility (children)", "members": 1}])
    );

    // The lead invites the group; its expert is told.
    let record = enrol(&server, &lead, "bond-hp1").await;
    let (status, _, panel) = send(
        &lead,
        Method::POST,
        "/api/v1/panels",
        Some(json!({
            "pseudonym": record.trim_start_matches("/patients/"),
            "ern": "BOND",
            "panel_type": "diagnosis",
            "questions": "Which collagen disorder?",
            "urgency": "routine",
            "submit": true,
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let reference = panel["reference"].as_str().unwrap().to_owned();
    let invitations = format!("/api/v1/panels/{reference}/group-invitations");
    let (status, _, done) = send(
        &lead,
        Method::POST,
        &invitations,
        Some(json!({"group": id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done, json!({"invited": 1, "skipped": 0}));
    let expert = signed_in(&server, "bond-hp2").await;
    assert_eq!(told(&expert, &reference).await, ["invitation"]);
    let (status, _, problem) = send(
        &lead,
        Method::POST,
        &invitations,
        Some(json!({"group": id})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Nobody to invite"),
        "{problem}"
    );

    // Guests by e-mail: a wrong address is named; a right one gets the
    // sign-up link; an address with an account is told in the centre.
    let guests = format!("/api/v1/panels/{reference}/guest-invitations");
    let (status, _, problem) = send(
        &lead,
        Method::POST,
        &guests,
        Some(json!({"name": "Dr Ada Guest", "email": "ada.guest"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"].as_str().unwrap().starts_with("E-mail:"),
        "{problem}"
    );
    let (status, _, sent) = send(
        &lead,
        Method::POST,
        &guests,
        Some(json!({"name": "Dr Ada Guest", "email": "ada.guest@example.org"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(sent["sent"], "sign_up_link_mailed");
    let mail = sink.wait_for("ada.guest@example.org").await;
    assert!(
        mail.parts()[0].contains("/guest-invitations/"),
        "{}",
        mail.data
    );
    let colleague_email = account(&server, "bond-hp4").await.email;
    let (status, _, sent) = send(
        &lead,
        Method::POST,
        &guests,
        Some(json!({"name": "A colleague", "email": colleague_email})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(sent["sent"], "sign_in_asked");
    let colleague = signed_in(&server, "bond-hp4").await;
    assert_eq!(told(&colleague, &reference).await, ["invitation"]);

    // Someone not on the panel invites no one.
    let outsider = signed_in(&server, "bond-hp5").await;
    let (status, content_type, _) = send(
        &outsider,
        Method::POST,
        &guests,
        Some(json!({"name": "Someone", "email": "someone@example.org"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(content_type.starts_with("application/problem+json"));

    // Deleted: gone from the network.
    let (status, _, _) = send(&coordinator, Method::DELETE, &group, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(&coordinator, Method::GET, &group, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, _, doc) = send(&lead, Method::GET, "/api/v1/openapi.json", None).await;
    for path in [
        "/api/v1/erns/{code}/expert-groups",
        "/api/v1/erns/{code}/expert-groups/{id}",
        "/api/v1/erns/{code}/expert-groups/{id}/members",
        "/api/v1/erns/{code}/expert-groups/{id}/members/{user}",
        "/api/v1/panels/{reference}/group-invitations",
        "/api/v1/panels/{reference}/guest-invitations",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} in the OpenAPI document"
        );
    }
    server.stop().await;
    sink.stop();
}
