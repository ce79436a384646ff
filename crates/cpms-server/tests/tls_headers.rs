//! Behind a TLS-terminating proxy (`public_url` on https): HSTS on every
//! response, `__Host-` cookies marked Secure; and the account pages, like
//! every authenticated page, are never cached.
#![allow(clippy::unwrap_used)]

use cpms_testkit::Engine;
use cpms_testkit::client::Client;
use cpms_testkit::server::{Options, TestServer};
use reqwest::StatusCode;

#[tokio::test]
async fn served_over_tls_pages_carry_hsts_and_host_cookies() {
    let server = TestServer::start(
        Engine::Sqlite,
        Options {
            training: true,
            env: vec![("CPMS_PUBLIC_URL".into(), "https://cpms.example.org".into())],
        },
    )
    .await;
    let client = Client::new(&server.url(""));
    let page = client.get("/signin").await;
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    let cookie = page.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("__Host-cpms-pre=") && cookie.contains("; Secure"),
        "{cookie}"
    );
    let csrf = cpms_testkit::client::hidden_value(&page.text().await.unwrap(), "csrf").unwrap();
    let password = server.training_password("bond-hp1");
    let pre = cookie.split(';').next().unwrap().to_owned();
    let signed_in = client
        .http
        .post(client.url("/signin"))
        .header("cookie", &pre)
        .form(&[
            ("username", "bond-hp1"),
            ("password", password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let session = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        session.starts_with("__Host-cpms-session=")
            && session.contains("; Secure")
            && session.contains("; HttpOnly")
            && session.contains("; SameSite=Lax"),
        "{session}"
    );
    let session = session.split(';').next().unwrap().to_owned();
    for path in ["/account/security", "/account/sessions"] {
        let response = client
            .http
            .get(client.url(path))
            .header("cookie", &session)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert!(response.headers().contains_key("strict-transport-security"));
    }
    server.stop().await;
}
