//! Bad passkey answers at the sign-in page, through the real server on both
//! engines: a forged answer is refused like a wrong password (401, audited,
//! no session), and a challenge is used once.
#![allow(clippy::unwrap_used)]

use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::client::{Client, hidden_value};
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;

both_engines!(a_forged_passkey_answer_is_refused);

/// An answer naming a credential nobody registered, with a valid shape.
const FORGED: &str = r#"{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"authenticatorData":"AAAA","clientDataJSON":"AAAA","signature":"AAAA","userHandle":"AZq7bC1nfXCnGmxjXLq1aw"},"extensions":{}}"#;

async fn a_forged_passkey_answer_is_refused(engine: Engine) {
    let server = TestServer::start(engine, Default::default()).await;
    let client = Client::new(&server.url(""));
    let (_, page) = client.get_text("/signin").await;
    let handle = hidden_value(&page, "handle").unwrap();
    let post = |handle: String| {
        let client = &client;
        async move {
            client
                .post_form(
                    "/signin",
                    "/signin/passkey",
                    &[("handle", handle.as_str()), ("response", FORGED)],
                )
                .await
        }
    };

    let response = post(handle.clone()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response
            .headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().starts_with("cpms-session="))
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("The passkey was not accepted"), "{page}");

    // The challenge was used up: the same handle again is stale.
    let again = post(handle).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.unwrap().contains("expired"));

    let mut conn = server.app().store().read().await.unwrap();
    let events = audit::page(&mut conn, 0, 10_000).await.unwrap();
    assert!(events.iter().any(|e| e.event.action == "auth.sign_in"
        && e.event.outcome == Outcome::Failure
        && e.event.detail.as_deref() == Some("passkey: unknown passkey")));
    drop(conn);
    server.stop().await;
}
