//! Sessions and account administration through the real server on both
//! engines: "My sessions" lists and revokes, sign-out everywhere, idle
//! sessions expire, suspending an account (page and API) ends its sessions
//! at once, and a second-factor reset sends the person back to enrolment.
#![allow(clippy::unwrap_used)]

use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::client::Client;
use cpms_testkit::identity::{add_account, enrol_totp, location};
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;

both_engines!(
    my_sessions_lists_and_revokes_sessions,
    sign_out_everywhere_ends_every_session,
    an_idle_session_has_expired,
    suspending_an_account_ends_its_sessions_at_once,
    the_api_suspends_for_administrators_only,
    a_second_factor_reset_sends_the_person_back_to_enrolment,
);

const PASSWORD: &str = "a long enough passphrase 42";

async fn events(server: &TestServer) -> Vec<cpms_domain::audit::AuditEvent> {
    let mut conn = server.app().store().read().await.unwrap();
    audit::page(&mut conn, 0, 10_000).await.unwrap()
}

async fn trainee(server: &TestServer, username: &str) -> Client {
    let client = Client::new(&server.url(""));
    let response = client
        .sign_in(username, &server.training_password(username))
        .await;
    assert_eq!(location(&response), "/");
    client
}

/// An administrator with an authenticator app, signed in.
async fn administrator(server: &TestServer) -> Client {
    add_account(server, "admin.local", PASSWORD, true).await;
    let client = Client::new(&server.url(""));
    enrol_totp(&client, "admin.local", PASSWORD).await;
    client
}

fn is_signed_out(response: &reqwest::Response) -> bool {
    response.status() == StatusCode::SEE_OTHER && location(response).starts_with("/signin")
}

/// The rows of the sessions page: (session id, whether it is this browser).
fn session_rows(page: &str) -> Vec<(String, bool)> {
    page.split("<tr")
        .filter_map(|row| {
            let start = row.find("/account/sessions/")? + "/account/sessions/".len();
            let id = row[start..].split("/revoke").next()?;
            Some((id.to_owned(), row.contains("This browser")))
        })
        .collect()
}

async fn my_sessions_lists_and_revokes_sessions(engine: Engine) {
    let server = TestServer::training(engine).await;
    let laptop = trainee(&server, "bond-hp1").await;
    let phone = trainee(&server, "bond-hp1").await;
    let (status, page) = laptop.get_text("/account/sessions").await;
    assert_eq!(status, StatusCode::OK);
    let rows = session_rows(&page);
    assert_eq!(rows.len(), 2, "{page}");
    assert!(page.contains("127.0.0.1"));
    let mine: Vec<_> = rows.iter().filter(|(_, current)| *current).collect();
    assert_eq!(mine.len(), 1, "one row is this browser");
    let (phone_id, _) = rows.iter().find(|(_, current)| !current).unwrap().clone();
    let path = format!("/account/sessions/{phone_id}/revoke");
    let revoked = laptop.post_form("/account/sessions", &path, &[]).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert!(is_signed_out(&phone.get("/").await));
    assert_eq!(laptop.get("/").await.status(), StatusCode::OK);

    // Someone else's session id is not found, and changes nothing.
    let other = trainee(&server, "bond-hp2").await;
    let (_, other_page) = other.get_text("/account/sessions").await;
    let (other_id, _) = &session_rows(&other_page)[0];
    let path = format!("/account/sessions/{other_id}/revoke");
    let refused = laptop.post_form("/account/sessions", &path, &[]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get("/").await.status(), StatusCode::OK);

    let revocations: Vec<_> = events(&server)
        .await
        .into_iter()
        .filter(|e| e.event.action == "auth.session_revoked")
        .collect();
    assert_eq!(revocations.len(), 1);
    assert_eq!(
        revocations[0].event.detail.as_deref(),
        Some(format!("session:{phone_id}").as_str())
    );
    server.stop().await;
}

async fn sign_out_everywhere_ends_every_session(engine: Engine) {
    let server = TestServer::training(engine).await;
    let laptop = trainee(&server, "bond-hp1").await;
    let phone = trainee(&server, "bond-hp1").await;
    let response = laptop
        .post_form("/account/sessions", "/account/sessions/revoke-all", &[])
        .await;
    assert!(is_signed_out(&response));
    assert!(is_signed_out(&laptop.get("/").await));
    assert!(is_signed_out(&phone.get("/").await));
    let log = events(&server).await;
    let last = log.last().unwrap();
    assert_eq!(last.event.action, "auth.sign_out_everywhere");
    assert_eq!(last.event.detail.as_deref(), Some("2 sessions ended"));
    server.stop().await;
}

async fn an_idle_session_has_expired(engine: Engine) {
    let server = TestServer::training(engine).await;
    let client = trainee(&server, "bond-hp1").await;
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
    {
        let mut tx = server.app().store().write().await.unwrap();
        sqlx::query("UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00.000000Z'")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert!(is_signed_out(&client.get("/").await));
    assert_eq!(
        client.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    server.stop().await;
}

async fn suspending_an_account_ends_its_sessions_at_once(engine: Engine) {
    let server = TestServer::training(engine).await;
    let admin = administrator(&server).await;
    let member = trainee(&server, "bond-hp1").await;

    let (status, page) = admin.get_text("/admin/accounts/bond-hp1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"account-status\">active<"), "{page}");
    let response = admin
        .post_form(
            "/admin/accounts/bond-hp1",
            "/admin/accounts/bond-hp1/suspend",
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("id=\"account-status\">suspended<")
    );

    assert!(is_signed_out(&member.get("/").await));
    let again = member
        .sign_in("bond-hp1", &server.training_password("bond-hp1"))
        .await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("This account is suspended.")
    );

    // A coordinator may not suspend anyone.
    let coordinator = trainee(&server, "bond-coordinator").await;
    let refused = coordinator
        .post_form("/", "/admin/accounts/bond-hp2/suspend", &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let log = events(&server).await;
    let suspended = log
        .iter()
        .find(|e| e.event.action == "account.suspended")
        .unwrap();
    assert_eq!(suspended.event.detail.as_deref(), Some("1 sessions ended"));
    assert!(
        log.iter()
            .any(|e| e.event.action == "access.suspend_account"
                && e.event.outcome == Outcome::Denied)
    );
    server.stop().await;
}

async fn the_api_suspends_for_administrators_only(engine: Engine) {
    let server = TestServer::training(engine).await;
    let admin = administrator(&server).await;
    let member = trainee(&server, "bond-hp2").await;
    let coordinator = trainee(&server, "bond-coordinator").await;

    let post = |client: &Client, csrf: String| {
        client
            .http
            .post(client.url("/api/v1/accounts/bond-hp2/suspend"))
            .header("x-csrf-token", csrf)
            .send()
    };
    let refused = post(&coordinator, coordinator.csrf("/").await)
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "access.forbidden");
    assert_eq!(member.get("/").await.status(), StatusCode::OK);

    let done = post(&admin, admin.csrf("/").await).await.unwrap();
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert!(is_signed_out(&member.get("/").await));

    let missing = admin
        .http
        .post(admin.url("/api/v1/accounts/nobody-here/suspend"))
        .header("x-csrf-token", admin.csrf("/").await)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

async fn a_second_factor_reset_sends_the_person_back_to_enrolment(engine: Engine) {
    let server = TestServer::training(engine).await;
    let admin = administrator(&server).await;
    add_account(&server, "anna.local", PASSWORD, false).await;
    let anna = Client::new(&server.url(""));
    enrol_totp(&anna, "anna.local", PASSWORD).await;
    assert_eq!(anna.get("/").await.status(), StatusCode::OK);

    // Anna is in no network, so no coordinator vouches for her.
    let coordinator = trainee(&server, "bond-coordinator").await;
    let refused = coordinator
        .post_form("/", "/admin/accounts/anna.local/reset-second-factor", &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let response = admin
        .post_form(
            "/admin/accounts/anna.local",
            "/admin/accounts/anna.local/reset-second-factor",
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("id=\"account-totp\">not set up<")
    );
    assert!(is_signed_out(&anna.get("/").await));
    let again = anna.sign_in("anna.local", PASSWORD).await;
    assert_eq!(location(&again), "/account/enrol");

    let log = events(&server).await;
    let reset = log
        .iter()
        .find(|e| e.event.action == "auth.second_factor_reset")
        .unwrap();
    assert_eq!(reset.event.outcome, Outcome::Success);
    assert_eq!(reset.event.detail.as_deref(), Some("1 sessions ended"));
    server.stop().await;
}
