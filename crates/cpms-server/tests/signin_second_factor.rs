//! The second factor through the real server on both engines: a local
//! account enrols an authenticator app at its first sign-in (and gets ten
//! recovery codes once), then signs in with password and TOTP; replayed
//! codes, used recovery codes and repeated failures are refused.
#![allow(clippy::unwrap_used)]

use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::client::Client;
use cpms_testkit::identity::{
    add_account, enrol_totp, location, manual_key, recovery_codes, session_cookie, totp_code,
    totp_handle,
};
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;

both_engines!(
    first_sign_in_enrols_an_authenticator_app_and_rotates_the_session,
    password_and_totp_sign_in_refuses_a_replayed_code,
    recovery_codes_work_once,
    repeated_failures_lock_the_account,
    training_accounts_keep_password_only_sign_in,
);

const PASSWORD: &str = "a long enough passphrase 42";

async fn events(server: &TestServer) -> Vec<cpms_domain::audit::AuditEvent> {
    let mut conn = server.app().store().read().await.unwrap();
    audit::page(&mut conn, 0, 10_000).await.unwrap()
}

async fn sign_out(client: &Client) {
    let response = client.post_form("/", "/signout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

/// Password, then the second step with `method` and `code`.
async fn second_step(client: &Client, method: &str, code: &str) -> reqwest::Response {
    let response = client.sign_in("anna.local", PASSWORD).await;
    assert_eq!(location(&response), "/signin/second-factor?next=%2F");
    client
        .post_form(
            "/signin/second-factor",
            "/signin/second-factor",
            &[("method", method), ("code", code), ("next", "/")],
        )
        .await
}

async fn first_sign_in_enrols_an_authenticator_app_and_rotates_the_session(engine: Engine) {
    let server = TestServer::start(engine, Default::default()).await;
    add_account(&server, "anna.local", PASSWORD, false).await;
    let client = Client::new(&server.url(""));
    let response = client.sign_in("anna.local", PASSWORD).await;
    assert_eq!(location(&response), "/account/enrol");
    let half_done = session_cookie(&response);

    // Until a factor is enrolled, nothing else opens: pages lead back to
    // enrolment and the API answers 401.
    let home = client.get("/").await;
    assert_eq!(location(&home), "/account/enrol");
    assert_eq!(
        client.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let (_, page) = client.get_text("/account/enrol").await;
    assert!(page.contains("<svg "), "a QR code");
    let key = manual_key(&page);
    assert_eq!(key.len(), 32, "160-bit key in base32: {key}");
    let handle = totp_handle(&page);
    let wrong = client
        .post_form(
            "/account/enrol",
            "/account/totp",
            &[("handle", handle.as_str()), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("The code does not match")
    );

    let code = totp_code(&key, 0);
    let done = client
        .post_form(
            "/account/enrol",
            "/account/totp",
            &[("handle", handle.as_str()), ("code", code.as_str())],
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let full = session_cookie(&done);
    assert_ne!(full, half_done, "the session id changes at sign-in");
    let page = done.text().await.unwrap();
    let codes = recovery_codes(&page);
    assert_eq!(codes.len(), 10, "{page}");
    assert!(page.contains("shown only this once"));

    assert_eq!(client.get("/").await.status(), StatusCode::OK);
    let stranger = reqwest::Client::new();
    for (cookie, expected) in [
        (half_done, StatusCode::UNAUTHORIZED),
        (full, StatusCode::OK),
    ] {
        let response = stranger
            .get(server.url("/api/v1/me"))
            .header("cookie", format!("cpms-session={cookie}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected);
    }

    // The security page shows the factor; new recovery codes replace old ones.
    let (_, security) = client.get_text("/account/security").await;
    assert!(security.contains("10 of 10 unused"), "{security}");
    let fresh = client
        .post_form("/account/security", "/account/recovery-codes", &[])
        .await;
    let fresh = recovery_codes(&fresh.text().await.unwrap());
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|c| !codes.contains(c)));

    let log = events(&server).await;
    let actions: Vec<_> = log
        .iter()
        .map(|e| {
            (
                e.event.action.as_str(),
                e.event.detail.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        actions.contains(&("auth.factor_added", "totp")),
        "{actions:?}"
    );
    assert!(actions.contains(&("auth.factor_added", "recovery codes")));
    assert!(actions.contains(&("auth.sign_in", "password + totp (enrolled now)")));
    server.stop().await;
}

async fn password_and_totp_sign_in_refuses_a_replayed_code(engine: Engine) {
    let server = TestServer::start(engine, Default::default()).await;
    add_account(&server, "anna.local", PASSWORD, false).await;
    let client = Client::new(&server.url(""));
    let (key, _) = enrol_totp(&client, "anna.local", PASSWORD).await;
    sign_out(&client).await;

    // Before the second step, pages send the person back to it.
    let response = client.sign_in("anna.local", PASSWORD).await;
    assert_eq!(location(&response), "/signin/second-factor?next=%2F");
    assert_eq!(location(&client.get("/").await), "/signin/second-factor");
    let wrong = client
        .post_form(
            "/signin/second-factor",
            "/signin/second-factor",
            &[("method", "totp"), ("code", "123456"), ("next", "/")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("The code is not correct.")
    );

    let code = totp_code(&key, 1);
    let ok = client
        .post_form(
            "/signin/second-factor",
            "/signin/second-factor",
            &[("method", "totp"), ("code", code.as_str()), ("next", "/")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&ok), "/");
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
    sign_out(&client).await;

    let replayed = second_step(&client, "totp", &code).await;
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
    assert!(
        replayed
            .text()
            .await
            .unwrap()
            .contains("This code has already been used.")
    );
    assert_eq!(location(&client.get("/").await), "/signin/second-factor");

    let log = events(&server).await;
    let sign_ins: Vec<_> = log
        .iter()
        .filter(|e| e.event.action == "auth.sign_in")
        .map(|e| (e.event.outcome, e.event.detail.clone().unwrap_or_default()))
        .collect();
    assert!(sign_ins.contains(&(Outcome::Success, "password + totp".to_owned())));
    assert!(sign_ins.contains(&(Outcome::Failure, "totp: wrong code".to_owned())));
    assert!(sign_ins.contains(&(Outcome::Failure, "totp: code already used".to_owned())));
    server.stop().await;
}

async fn recovery_codes_work_once(engine: Engine) {
    let server = TestServer::start(engine, Default::default()).await;
    add_account(&server, "anna.local", PASSWORD, false).await;
    let client = Client::new(&server.url(""));
    let (_, codes) = enrol_totp(&client, "anna.local", PASSWORD).await;
    sign_out(&client).await;

    let typed = codes[3].to_uppercase().replace('-', " ");
    let first = second_step(&client, "recovery", &typed).await;
    assert_eq!(
        first.status(),
        StatusCode::SEE_OTHER,
        "case and spacing do not matter"
    );
    let (_, security) = client.get_text("/account/security").await;
    assert!(security.contains("9 of 10 unused"), "{security}");
    sign_out(&client).await;

    let again = second_step(&client, "recovery", &codes[3]).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("The code is not correct.")
    );
    server.stop().await;
}

async fn repeated_failures_lock_the_account(engine: Engine) {
    let server = TestServer::start(engine, Default::default()).await;
    add_account(&server, "anna.local", PASSWORD, false).await;
    let client = Client::new(&server.url(""));
    for _ in 0..5 {
        let wrong = client
            .sign_in("anna.local", "not the passphrase at all")
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = client.sign_in("anna.local", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        locked
            .text()
            .await
            .unwrap()
            .contains("Too many failed attempts")
    );
    let log = events(&server).await;
    let last = log.last().unwrap();
    assert_eq!(
        (last.event.outcome, last.event.detail.as_deref()),
        (Outcome::Denied, Some("password: account locked"))
    );
    server.stop().await;
}

async fn training_accounts_keep_password_only_sign_in(engine: Engine) {
    let server = TestServer::training(engine).await;
    add_account(&server, "anna.local", PASSWORD, false).await;
    let client = Client::new(&server.url(""));
    let trainee = client
        .sign_in("bond-hp1", &server.training_password("bond-hp1"))
        .await;
    assert_eq!(location(&trainee), "/");
    sign_out(&client).await;
    let local = client.sign_in("anna.local", PASSWORD).await;
    assert_eq!(
        location(&local),
        "/account/enrol",
        "other accounts need a second factor even in training"
    );
    server.stop().await;
}

/// Rate limits count per client address, whatever the account: a burst,
/// then refusals; another address is not affected.
#[tokio::test]
async fn sign_in_and_code_attempts_are_rate_limited_per_address() {
    let server = TestServer::start(
        Engine::Sqlite,
        Options {
            training: false,
            env: vec![
                ("CPMS_SIGN_IN_BURST".into(), "4".into()),
                ("CPMS_TRUST_FORWARDED_FOR".into(), "true".into()),
            ],
        },
    )
    .await;
    add_account(&server, "anna.local", PASSWORD, false).await;
    let client = Client::new(&server.url(""));
    let (_, _) = enrol_totp(&client, "anna.local", PASSWORD).await;
    sign_out(&client).await;

    let attempt = |from: &'static str, username: &'static str| {
        let client = &client;
        async move {
            let csrf = client.csrf("/signin").await;
            client
                .http
                .post(client.url("/signin"))
                .header("x-forwarded-for", from)
                .form(&[
                    ("username", username),
                    ("password", "wrong guess!"),
                    ("csrf", &csrf),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for name in ["ghost-1", "ghost-2", "ghost-3", "ghost-4"] {
        assert_eq!(attempt("192.0.2.1", name).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt("192.0.2.1", "ghost-5").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt("198.51.100.7", "ghost-6").await,
        StatusCode::UNAUTHORIZED
    );

    // Second-step codes (from 127.0.0.1): half the burst (two), then refused.
    let response = client.sign_in("anna.local", PASSWORD).await;
    assert_eq!(location(&response), "/signin/second-factor?next=%2F");
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let wrong = client
            .post_form(
                "/signin/second-factor",
                "/signin/second-factor",
                &[("method", "totp"), ("code", "000000"), ("next", "/")],
            )
            .await;
        statuses.push(wrong.status());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    server.stop().await;
}
