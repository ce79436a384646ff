//! A change of roles while signed in rotates the session: after a
//! coordinator approves a member's request for another role, the member's
//! next request gets a new session token, and the old one opens nothing.
//! Through the real server on both engines.
#![allow(clippy::unwrap_used)]

use cpms_store::repo::audit;
use cpms_testkit::client::{Client, hidden_value};
use cpms_testkit::identity::{location, session_cookie};
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;

both_engines!(an_approved_role_rotates_the_session_at_the_next_request);

async fn signed_in_trainee(server: &TestServer, username: &str) -> (Client, String) {
    let client = Client::new(&server.url(""));
    let response = client
        .sign_in(username, &server.training_password(username))
        .await;
    assert_eq!(location(&response), "/");
    let token = session_cookie(&response);
    (client, token)
}

/// A request carrying only this session token.
async fn status_with_token(server: &TestServer, token: &str) -> StatusCode {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(server.url("/account/security"))
        .header("cookie", format!("cpms-session={token}"))
        .send()
        .await
        .unwrap()
        .status()
}

async fn an_approved_role_rotates_the_session_at_the_next_request(engine: Engine) {
    let server = TestServer::training(engine).await;
    let (member, old_token) = signed_in_trainee(&server, "bond-hp1").await;
    let (status, _) = member.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(status_with_token(&server, &old_token).await, StatusCode::OK);

    // The member asks for a researcher role in another network; the
    // coordinator approves it.
    let (_, hospital) = server.sign_up_choices_in("ERN-RND").await;
    let hospital = &hospital;
    let request = [
        ("ern", "ERN-RND"),
        ("hospital", hospital.code.as_str()),
        ("role", "researcher"),
        ("comment", "Natural history study"),
    ];
    member
        .post_form("/access-requests", "/access-requests", &request)
        .await;
    let (coordinator, _) = signed_in_trainee(&server, "ern-rnd-coordinator").await;
    let (_, queue) = coordinator
        .get_text("/erns/ERN-RND/requests?role=researcher")
        .await;
    let id = queue
        .split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let decided = coordinator
        .post_form(
            "/erns/ERN-RND/requests",
            "/erns/ERN-RND/requests",
            &[("decision", "approve"), ("id", id.as_str())],
        )
        .await;
    assert!(decided.status().is_redirection(), "{}", decided.status());

    // The member's next request: a new token in the cookie, the old one
    // dead, the new one working, and no further rotation.
    let response = member.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let new_token = session_cookie(&response);
    assert_ne!(new_token, old_token);
    let rotated_page = response.text().await.unwrap();
    let csrf_on_rotated_page = hidden_value(&rotated_page, "csrf").unwrap();
    assert_eq!(
        status_with_token(&server, &old_token).await,
        StatusCode::SEE_OTHER,
        "the old token leads to sign-in"
    );
    assert_eq!(status_with_token(&server, &new_token).await, StatusCode::OK);
    let again = member.get("/account/security").await;
    assert_eq!(again.status(), StatusCode::OK);
    assert!(again.headers().get("set-cookie").is_none());

    // The forms of the page that rotated the session carry the new
    // session's CSRF token: signing out from it works.
    let signed_out = member
        .http
        .post(server.url("/account/sessions/revoke-all"))
        .form(&[("csrf", csrf_on_rotated_page.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&signed_out), "/signin");
    assert_eq!(
        status_with_token(&server, &new_token).await,
        StatusCode::SEE_OTHER
    );

    let mut conn = server.app().store().read().await.unwrap();
    let events = audit::page(&mut conn, 0, 10_000).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event.action == "auth.session_rotated")
            .count(),
        1
    );
    drop(conn);
    server.stop().await;
}
