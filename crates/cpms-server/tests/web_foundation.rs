//! The foundation through HTTP on both engines: probes, reference and
//! training data, sign-in and sign-out with their audit events, CSRF,
//! security headers and access refusals.
#![allow(clippy::unwrap_used)]

use cpms_domain::audit::Outcome;
use cpms_store::repo::{audit, reference};
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;

both_engines!(
    probes_answer,
    reference_data_is_complete_and_seeding_is_idempotent,
    training_credentials_survive_restarts_and_are_renewed_when_lost,
    sign_in_and_out_are_audited,
    unknown_user_and_wrong_password_look_the_same,
    posts_without_csrf_proof_are_refused,
    pages_carry_security_headers,
    refusals_are_pages_and_audited,
    a_tampered_session_cookie_is_no_session,
    the_api_tells_who_is_signed_in,
);

async fn events(server: &TestServer) -> Vec<cpms_domain::audit::AuditEvent> {
    let mut conn = server.app().store().read().await.unwrap();
    audit::page(&mut conn, 0, 10_000).await.unwrap()
}

async fn signed_in(server: &TestServer, username: &str) -> Client {
    let client = Client::new(&server.url(""));
    let response = client
        .sign_in(username, &server.training_password(username))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "sign-in redirects"
    );
    client
}

async fn probes_answer(engine: Engine) {
    let server = TestServer::start(engine, Default::default()).await;
    let client = Client::new(&server.url(""));
    assert_eq!(
        client.get_text("/healthz").await,
        (StatusCode::OK, "ok".to_owned())
    );
    assert_eq!(
        client.get_text("/readyz").await,
        (StatusCode::OK, "ready".to_owned())
    );
    server.stop().await;
}

async fn reference_data_is_complete_and_seeding_is_idempotent(engine: Engine) {
    let mut server = TestServer::training(engine).await;
    let counts = {
        let mut conn = server.app().store().read().await.unwrap();
        let counts = reference::counts(&mut conn).await.unwrap();
        assert_eq!(counts.erns, 24);
        assert_eq!(counts.countries, 31);
        assert_eq!(counts.professions, 29);
        for ern in reference::list_erns(&mut conn).await.unwrap() {
            let hospitals = reference::hospitals_of_ern(&mut conn, &ern.code)
                .await
                .unwrap();
            let mut countries: Vec<_> = hospitals.iter().filter_map(|h| h.country).collect();
            countries.sort();
            countries.dedup();
            assert!(
                hospitals.len() >= 3 && countries.len() >= 3,
                "{}: {hospitals:?}",
                ern.code
            );
            assert!(
                !reference::areas_of_ern(&mut conn, &ern.code)
                    .await
                    .unwrap()
                    .is_empty(),
                "{}",
                ern.code
            );
            let gvc = cpms_domain::org::HcpCode::virtual_centre(&ern.code);
            let centre = reference::get_hcp_by_code(&mut conn, &gvc)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(centre.erns, vec![ern.code.clone()]);
        }
        let guest = cpms_domain::org::HcpCode::parse("UA0000").unwrap();
        let guest = reference::get_hcp_by_code(&mut conn, &guest)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(guest.name, "0000 Guest Access (Ukraine)");
        assert_eq!(
            guest.erns.len(),
            24,
            "a guest-access entry per ERN and country"
        );
        counts
    };
    server.restart().await;
    let mut conn = server.app().store().read().await.unwrap();
    assert_eq!(
        reference::counts(&mut conn).await.unwrap(),
        counts,
        "a restart adds nothing"
    );
    drop(conn);
    server.stop().await;
}

async fn training_credentials_survive_restarts_and_are_renewed_when_lost(engine: Engine) {
    use std::os::unix::fs::PermissionsExt;
    let mut server = TestServer::training(engine).await;
    let csv_path = server.data_path().join("training-accounts.csv");
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("username,password,ern,role,hospital"));
    assert_eq!(lines.count(), 24 * 8);
    assert!(csv.contains("\nbond-guest,"), "guest account listed");
    assert!(csv.contains(",EuroBloodNet,coordinator,"), "{csv}");
    assert_eq!(
        std::fs::metadata(&csv_path).unwrap().permissions().mode() & 0o077,
        0
    );
    assert_eq!(server.app().training_account_count().await.unwrap(), 192);

    let before = server.training_password("bond-hp1");
    server.restart().await;
    assert_eq!(
        server.training_password("bond-hp1"),
        before,
        "a restart keeps passwords"
    );

    std::fs::remove_file(&csv_path).unwrap();
    server.restart().await;
    let after = server.training_password("bond-hp1");
    assert_ne!(after, before, "a lost file means new passwords");
    let client = Client::new(&server.url(""));
    assert_eq!(
        client.sign_in("bond-hp1", &before).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client.sign_in("bond-hp1", &after).await.status(),
        StatusCode::SEE_OTHER
    );
    server.stop().await;
}

async fn sign_in_and_out_are_audited(engine: Engine) {
    let server = TestServer::training(engine).await;
    let client = Client::new(&server.url(""));
    let (status, _) = client.get_text("/").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "anonymous visitors are sent to sign in"
    );

    let response = client
        .sign_in(
            "bond-coordinator",
            &server.training_password("bond-coordinator"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("cpms-session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let (status, home) = client.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("My ERNs") && home.contains("BOND"), "{home}");

    let response = client.post_form("/", "/signout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        client.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "signed out"
    );

    let log = events(&server).await;
    let actions: Vec<_> = log
        .iter()
        .map(|e| (e.event.action.as_str(), e.event.outcome))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("auth.sign_in", Outcome::Success),
            ("auth.sign_out", Outcome::Success)
        ]
    );
    assert!(log.iter().all(|e| e.event.actor.is_some() && e.event.client_addr.as_deref() == Some("127.0.0.1")));
    server.stop().await;
}

async fn unknown_user_and_wrong_password_look_the_same(engine: Engine) {
    let server = TestServer::training(engine).await;
    let client = Client::new(&server.url(""));
    let wrong = client.sign_in("bond-hp1", "definitely not it").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong = wrong.text().await.unwrap();
    let unknown = client.sign_in("nobody-here", "definitely not it").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown = unknown.text().await.unwrap();
    let message = "The user name or password is not correct.";
    assert!(wrong.contains(message) && unknown.contains(message));

    let log = events(&server).await;
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|e| e.event.action == "auth.sign_in" && e.event.outcome == Outcome::Failure)
    );
    assert!(
        log[0].event.actor.is_some(),
        "a known user's failure names them"
    );
    assert_eq!(log[1].event.target, "username:nobody-here");
    server.stop().await;
}

async fn posts_without_csrf_proof_are_refused(engine: Engine) {
    let server = TestServer::training(engine).await;
    let client = signed_in(&server, "bond-hp1").await;
    let password = server.training_password("bond-hp2");
    let forged = client
        .http
        .post(client.url("/signin"))
        .form(&[("username", "bond-hp2"), ("password", password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let wrong_token = client
        .http
        .post(client.url("/signout"))
        .form(&[("csrf", "AAAA")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_token.status(), StatusCode::FORBIDDEN);
    let cross_site = client
        .http
        .post(client.url("/signout"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", client.csrf("/").await)])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        client.get("/").await.status(),
        StatusCode::OK,
        "still signed in as before"
    );
    let log = events(&server).await;
    assert_eq!(log.len(), 1, "only the real sign-in happened: {log:?}");
    server.stop().await;
}

async fn pages_carry_security_headers(engine: Engine) {
    let server = TestServer::training(engine).await;
    let client = signed_in(&server, "bond-hp1").await;
    for path in ["/", "/signin", "/help", "/erns/BOND", "/missing"] {
        let response = client.get(path).await;
        let h = response.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
        assert_eq!(h.get("cache-control").unwrap(), "no-store", "{path}");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS without TLS"
        );
    }
    let (_, page) = client.get_text("/").await;
    let css = page
        .split("href=\"/static/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let response = client.get(&format!("/static/{css}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(
        !page.contains("<script>") && !page.contains(" style=\""),
        "no inline script or style"
    );
    server.stop().await;
}

async fn refusals_are_pages_and_audited(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let (status, page) = hp.get_text("/erns/RITA").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("Access denied") && page.contains("Sign out"),
        "in the layout, signed in"
    );
    let (status, _) = hp.get_text("/erns/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = hp.get_text("/centres/DE03").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another hospital's centre");

    let registry = signed_in(&server, "bond-registry").await;
    let (status, page) = registry.get_text("/erns/BOND").await;
    assert_eq!(status, StatusCode::OK, "every member sees the network");
    let own = page.split("My roles in BOND").nth(1).unwrap();
    let hcp = own
        .split("<span class=\"tag\">Registry user</span> ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    let (status, _) = registry.get_text(&format!("/centres/{hcp}")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "registry users have no centre workspace"
    );

    let denied: Vec<_> = events(&server)
        .await
        .into_iter()
        .filter(|e| e.event.outcome == Outcome::Denied)
        .collect();
    let targets: Vec<_> = denied.iter().map(|e| e.event.target.as_str()).collect();
    assert_eq!(targets, vec!["ern:RITA", "hcp:DE03", &format!("hcp:{hcp}")]);
    assert_eq!(denied[0].event.action, "access.view_ern_dashboard");
    server.stop().await;
}

async fn a_tampered_session_cookie_is_no_session(engine: Engine) {
    let server = TestServer::training(engine).await;
    let client = Client::new(&server.url(""));
    let response = client
        .sign_in("bond-hp1", &server.training_password("bond-hp1"))
        .await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap();
    let token = cookie
        .trim_start_matches("cpms-session=")
        .split(';')
        .next()
        .unwrap();
    let mut tampered = token.to_owned();
    tampered.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for value in [tampered.as_str(), token] {
        let response = stranger
            .get(server.url("/"))
            .header("cookie", format!("cpms-session={value}"))
            .send()
            .await
            .unwrap();
        let expected = if value == token {
            StatusCode::OK
        } else {
            StatusCode::SEE_OTHER
        };
        assert_eq!(response.status(), expected);
    }
    server.stop().await;
}

async fn the_api_tells_who_is_signed_in(engine: Engine) {
    let server = TestServer::training(engine).await;
    let anonymous = Client::new(&server.url(""));
    let response = anonymous.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "auth.not_signed_in");
    assert_eq!(problem["status"], 401);

    let client = signed_in(&server, "bond-guest").await;
    let me: serde_json::Value = client.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["username"], "bond-guest");
    let membership = &me["memberships"][0];
    assert_eq!(membership["ern"], "BOND");
    assert_eq!(membership["hospital"], "GVC-BOND");
    assert_eq!(membership["role"], "guest_virtual_centre");
    assert_eq!(membership["status"], "approved");
    assert!(
        membership["expires_at"].as_str().unwrap().ends_with('Z'),
        "guests expire"
    );

    let missing = client.get("/api/v1/nothing-here").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let doc: serde_json::Value = client
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/me"]["get"].is_object());
    server.stop().await;
}
