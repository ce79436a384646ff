//! Personal API tokens through HTTP on both engines: created on the account
//! page (shown once, validated), a bearer request is the token's owner for
//! the API (without CSRF), each use is audited; revoked, expired, unknown
//! tokens and suspended accounts get 401 problem+json, refusals audited.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_domain::audit::{AuditEvent, Outcome};
use cpms_store::repo::audit;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::clinic::{hospital_of, signed_in};
use support::tokens::{bearer, create_token};

both_engines!(
    a_token_is_shown_once_and_acts_as_its_owner,
    revoked_expired_unknown_and_suspended_tokens_are_refused,
);

async fn events(server: &TestServer) -> Vec<AuditEvent> {
    let mut conn = server.app().store().read().await.unwrap();
    audit::page(&mut conn, 0, 10_000).await.unwrap()
}

async fn get(server: &TestServer, path: &str, token: &str) -> (StatusCode, Value) {
    let response = bearer(Method::GET, &server.url(path), token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    if status == StatusCode::UNAUTHORIZED {
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_token_is_shown_once_and_acts_as_its_owner(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;

    for (fields, message) in [
        (vec![("name", "  ")], "Give the token a name"),
        (
            vec![("name", "viewer"), ("expires", "tomorrow")],
            "is not a date",
        ),
        (
            vec![("name", "viewer"), ("expires", "2001-01-01")],
            "must not be in the past",
        ),
    ] {
        let refused = hp
            .post_form("/account/tokens", "/account/tokens", &fields)
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains(message), "{message}");
    }

    let token = create_token(&hp, "Weasis on my workstation").await;
    assert!(token.starts_with("cpms_") && token.len() > 40, "{token}");
    let (_, list) = hp.get_text("/account/tokens").await;
    assert!(list.contains("Weasis on my workstation") && list.contains(">active<"));
    assert!(!list.contains(&token), "the secret is shown only once");

    let (status, me) = get(&server, "/api/v1/me", &token).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["username"], "bond-hp1");

    // A bearer request writes without a CSRF token, as its owner.
    let hcp = hospital_of(&server, "bond-hp1").await;
    let enrolled = bearer(
        Method::POST,
        &server.url(&format!("/api/v1/centres/{hcp}/patients")),
        &token,
    )
    .json(&serde_json::json!({
        "name": "Token Patient", "date_of_birth": "2012-01-02", "record_number": "T-1",
        "sex": "female", "country": "IT", "care_consent_date": "2026-02-01",
    }))
    .send()
    .await
    .unwrap();
    assert_eq!(enrolled.status(), StatusCode::CREATED);
    let (_, list) = hp.get_text("/account/tokens").await;
    assert!(
        !list.contains(">never</td>\n    <td><span"),
        "last use shown"
    );

    let log = events(&server).await;
    let created = log
        .iter()
        .find(|e| e.event.action == "auth.api_token_created")
        .unwrap();
    let used = log
        .iter()
        .find(|e| e.event.action == "auth.api_token_used")
        .unwrap();
    assert_eq!(created.event.actor, used.event.actor);
    assert!(
        used.event
            .detail
            .as_deref()
            .unwrap()
            .ends_with("Weasis on my workstation")
    );
    let enrol_event = log
        .iter()
        .rev()
        .find(|e| e.event.action.starts_with("patient."))
        .unwrap();
    assert_eq!(enrol_event.event.actor, used.event.actor);
    server.stop().await;
}

async fn revoked_expired_unknown_and_suspended_tokens_are_refused(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let revoked = create_token(&hp, "old laptop").await;
    let expiring = create_token(&hp, "short lived").await;
    let kept = create_token(&hp, "kept").await;
    assert_eq!(get(&server, "/api/v1/me", &revoked).await.0, StatusCode::OK);

    // Revoking: from the list; another person cannot revoke it.
    let (_, list) = hp.get_text("/account/tokens").await;
    let row = list
        .split("<tr")
        .find(|r| r.contains("old laptop"))
        .unwrap();
    let start = row.find("/account/tokens/").unwrap();
    let path = row[start..].split('"').next().unwrap().to_owned();
    let other = signed_in(&server, "bond-hp2").await;
    let not_theirs = other.post_form("/account/tokens", &path, &[]).await;
    assert_eq!(not_theirs.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&server, "/api/v1/me", &revoked).await.0, StatusCode::OK);
    let done = hp.post_form("/account/tokens", &path, &[]).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains(">revoked<"));
    let (status, problem) = get(&server, "/api/v1/me", &revoked).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["detail"], "This API token was revoked.");

    {
        let mut tx = server.app().store().write().await.unwrap();
        sqlx::query(
            "UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00.000000Z' WHERE name = 'short lived'",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let (status, problem) = get(&server, "/api/v1/me", &expiring).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["detail"], "This API token has expired.");
    let (_, list) = hp.get_text("/account/tokens").await;
    assert!(list.contains(">expired<"));

    let (status, problem) = get(&server, "/api/v1/me", "cpms_not-a-token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["detail"], "Unknown API token.");

    // Suspension refuses the account's tokens too.
    {
        let mut tx = server.app().store().write().await.unwrap();
        sqlx::query("UPDATE users SET status = 'suspended' WHERE username = 'bond-hp1'")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let (status, problem) = get(&server, "/api/v1/me", &kept).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        problem["detail"],
        "The account of this API token is not active."
    );

    let refusals: Vec<_> = events(&server)
        .await
        .into_iter()
        .filter(|e| e.event.action == "auth.api_token_refused")
        .collect();
    assert_eq!(refusals.len(), 3, "unknown tokens name no account");
    assert!(refusals.iter().all(|e| e.event.outcome == Outcome::Denied));
    assert!(
        refusals[0]
            .event
            .detail
            .as_deref()
            .unwrap()
            .contains("old laptop")
    );
    server.stop().await;
}
