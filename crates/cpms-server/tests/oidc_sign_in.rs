//! "Sign in with EU Login" through the real server and the loopback OpenID
//! provider (Node `oidc-provider`): a linked identity signs in (both
//! engines); a callback with another state, an ID token with a bad
//! signature or for another audience, an unknown identity and a provider
//! that is down each get their own clear page, never a 500.
#![allow(clippy::unwrap_used)]

use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::client::Client;
use cpms_testkit::identity::{add_account, location};
use cpms_testkit::oidc::{
    Mode, TestProvider, callback_for, free_port, link_identity, server_with_provider,
    sign_in_through_provider,
};
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;

both_engines!(a_linked_identity_signs_in);

const PASSWORD: &str = "a long enough passphrase 42";

async fn setup(engine: Engine, mode: Mode) -> (TestProvider, TestServer, Client) {
    let port = free_port();
    let provider = TestProvider::start(&callback_for(port), mode);
    let server = server_with_provider(engine, port, &provider.issuer).await;
    let client = Client::new(&server.localhost_url(""));
    (provider, server, client)
}

async fn a_linked_identity_signs_in(engine: Engine) {
    let (provider, server, client) = setup(engine, Mode::Normal).await;
    let user = add_account(&server, "olga.local", PASSWORD, false).await;
    link_identity(&server, &provider.issuer, "olga", user).await;

    let (_, page) = client.get_text("/signin").await;
    assert!(page.contains("Sign in with EU Login"), "{page}");
    let response = sign_in_through_provider(&client, "olga").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let (status, home) = client.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Test olga.local"), "{home}");

    let mut conn = server.app().store().read().await.unwrap();
    let events = audit::page(&mut conn, 0, 10_000).await.unwrap();
    let expected = format!("openid connect: {}", provider.issuer);
    assert!(events.iter().any(|e| e.event.action == "auth.sign_in"
        && e.event.outcome == Outcome::Success
        && e.event.actor == Some(user)
        && e.event.detail.as_deref() == Some(expected.as_str())));
    drop(conn);
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_identity_is_offered_to_request_access() {
    let (_provider, server, client) = setup(Engine::Sqlite, Mode::Normal).await;
    let response = sign_in_through_provider(&client, "nobody").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = response.text().await.unwrap();
    assert!(page.contains("No ERN-CPMS account yet"), "{page}");
    assert!(page.contains("href=\"/signup\""), "{page}");
    let (status, _) = client.get_text("/account/security").await;
    assert_ne!(status, StatusCode::OK, "not signed in");
    server.stop().await;
}

#[tokio::test]
async fn a_callback_with_another_state_is_refused() {
    let (provider, server, client) = setup(Engine::Sqlite, Mode::Normal).await;
    let user = add_account(&server, "olga.local", PASSWORD, false).await;
    link_identity(&server, &provider.issuer, "olga", user).await;
    // A sign-in started in this browser, answered with a forged state.
    let started = client.get("/signin/oidc").await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let response = client
        .get("/signin/oidc/callback?code=forged&state=not-the-one")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("does not belong to a sign-in started in this browser"),
        "{page}"
    );
    // And a callback without any sign-in started here.
    let stranger = Client::new(&server.localhost_url(""));
    let response = stranger.get("/signin/oidc/callback?code=x&state=y").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    server.stop().await;
}

async fn refuses_tokens_in(mode: Mode) {
    let (provider, server, client) = setup(Engine::Sqlite, mode).await;
    let user = add_account(&server, "olga.local", PASSWORD, false).await;
    link_identity(&server, &provider.issuer, "olga", user).await;
    let response = sign_in_through_provider(&client, "olga").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{mode:?}");
    let page = response.text().await.unwrap();
    assert!(page.contains("could not be verified"), "{page}");
    let (status, _) = client.get_text("/account/security").await;
    assert_ne!(status, StatusCode::OK, "not signed in");
    server.stop().await;
}

#[tokio::test]
async fn an_id_token_with_a_bad_signature_is_refused() {
    refuses_tokens_in(Mode::BadSignature).await;
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    refuses_tokens_in(Mode::WrongAudience).await;
}

#[tokio::test]
async fn a_provider_that_is_down_gets_a_clear_page() {
    let port = free_port();
    let nobody_there = format!("http://127.0.0.1:{}", free_port());
    let server = server_with_provider(Engine::Sqlite, port, &nobody_there).await;
    let client = Client::new(&server.localhost_url(""));
    let response = client.get("/signin/oidc").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = response.text().await.unwrap();
    assert!(page.contains("EU Login cannot be reached"), "{page}");
    // Password sign-in is unaffected.
    let (status, _) = client.get_text("/signin").await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}
