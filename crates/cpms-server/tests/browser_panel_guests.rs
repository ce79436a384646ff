//! Expert groups and guests in a real browser: the coordinator keeps a
//! group filled from the directory; the lead invites the group and a guest
//! by e-mail (first with a mistake the form points out); the guest opens
//! the mailed link, signs up, enrols an authenticator app, accepts and
//! contributes. Screenshots of each page go to target/screenshots/.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::identity::{location, totp_code};
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::SmtpSink;
use reqwest::StatusCode;
use serde_json::json;
use support::clinic;

async fn shoot(browser: &Browser, name: &str) {
    browser.script("window.scrollTo(0, 0)", json!([])).await;
    browser.screenshot(&screenshot_path(name), true).await;
}

async fn sign_in(browser: &Browser, server: &TestServer, username: &str) {
    browser.goto(&server.url("/signin")).await;
    browser.find("#username").await;
    browser.type_into("#username", username).await;
    browser
        .type_into("#password", &server.training_password(username))
        .await;
    browser.click("button[type=submit]").await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
}

async fn sign_out(browser: &Browser) {
    browser.click("form[action='/signout'] button").await;
    browser
        .wait_for_url(|u| u.contains("/signin") || u.ends_with('/'))
        .await;
}

#[tokio::test]
async fn a_group_and_a_guest_join_a_panel() {
    let sink = SmtpSink::start(0).await;
    let server = TestServer::start(Engine::Sqlite, Options::training_with_mail(sink.port)).await;
    for (expert, focus) in [
        ("bond-hp2", "Osteogenesis imperfecta in children"),
        (
            "bond-hp3",
            "Osteogenesis imperfecta and bone fragility in adults",
        ),
    ] {
        let client = clinic::signed_in(&server, expert).await;
        let saved = client
            .post_form(
                "/account/profile",
                "/account/profile",
                &[
                    ("cares_for", "both"),
                    ("profession", "clinical_geneticist"),
                    ("specialist_in", focus),
                ],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    let lead = clinic::signed_in(&server, "bond-hp1").await;
    let record = clinic::enrol(&server, &lead, "bond-hp1").await;
    let form = format!("{record}/consultation");
    let requested = lead
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                (
                    "questions",
                    "Which type of osteogenesis imperfecta is this?",
                ),
                ("urgency", "urgent"),
                ("sections", "summary"),
                ("action", "submit"),
            ],
        )
        .await;
    let panel = location(&requested);

    let browser = Browser::start(1280, 900).await;
    sign_in(&browser, &server, "bond-coordinator").await;
    browser.goto(&server.url("/erns/BOND")).await;
    browser.click("#expert-groups-link").await;
    browser
        .wait_for_url(|u| u.ends_with("/expert-groups"))
        .await;
    browser.type_into("#name", "Bone fragility").await;
    browser.click("#create-group").await;
    browser
        .wait_for_url(|u| u.contains("/expert-groups/"))
        .await;
    browser.type_into("#q", "osteogenesis").await;
    browser.click("form[role=search] button").await;
    browser.wait_for_url(|u| u.contains("q=osteogenesis")).await;
    for checkbox in [
        "#experts li:nth-child(1) input",
        "#experts li:nth-child(2) input",
    ] {
        browser.click(checkbox).await;
    }
    browser.click("#add-experts").await;
    browser.find("#group-members").await;
    assert_eq!(
        browser
            .script(
                "return document.querySelectorAll('#group-members li').length",
                json!([])
            )
            .await,
        json!(2)
    );
    shoot(&browser, "panel-guests-01-expert-group").await;
    browser.goto(&server.url("/erns/BOND/expert-groups")).await;
    shoot(&browser, "panel-guests-02-expert-groups").await;
    sign_out(&browser).await;

    sign_in(&browser, &server, "bond-hp1").await;
    browser.goto(&server.url(&format!("{panel}/invite"))).await;
    browser.click("#invite-group-button").await;
    browser
        .wait_for_url(|u| u.contains("/panels/BOND-") && !u.contains("/invite"))
        .await;
    assert!(browser.text("#members").await.contains("Invited"));
    browser.goto(&server.url(&format!("{panel}/invite"))).await;
    browser.type_into("#guest-name", "Dr Ada Guest").await;
    browser.type_into("#guest-email", "ada.guest").await;
    browser
        .script(
            "document.querySelector('#guest-email').type = 'text'",
            json!([]),
        )
        .await;
    browser.click("#send-guest").await;
    let error = browser.text("#guest-error").await;
    assert!(error.contains("E-mail"), "{error}");
    browser
        .script(
            "document.querySelector('#invite-guest').scrollIntoView()",
            json!([]),
        )
        .await;
    browser
        .screenshot(&screenshot_path("panel-guests-03-guest-error"), false)
        .await;
    browser
        .type_into("#guest-email", "ada.guest@example.org")
        .await;
    browser.click("#send-guest").await;
    browser.find("#guest-invitations").await;
    assert!(
        browser
            .text("#guest-invitations")
            .await
            .contains("ada.guest@example.org")
    );
    shoot(&browser, "panel-guests-04-panel-with-guest").await;
    sign_out(&browser).await;

    let mail = sink.wait_for("ada.guest@example.org").await;
    let text = &mail.parts()[0];
    let start = text.find("http").unwrap();
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let path = &link[server.localhost_url("").len()..];
    browser.goto(&server.url(path)).await;
    browser.find("#join").await;
    shoot(&browser, "panel-guests-05-guest-sign-up").await;
    browser.type_into("#username", "ada.guest").await;
    browser
        .type_into("#hospital", "Oslo University Hospital")
        .await;
    browser.select("#country", "NO").await;
    browser.select("#profession", "clinical_geneticist").await;
    browser
        .type_into("#specialist_in", "Collagen disorders")
        .await;
    browser
        .type_into("#password", "a long passphrase for the guest")
        .await;
    browser.click("#join").await;
    browser
        .wait_for_url(|u| u.ends_with("/account/enrol"))
        .await;
    shoot(&browser, "panel-guests-06-guest-enrolment").await;
    let key = browser.text("#manual-key").await.replace(' ', "");
    browser.type_into("#code", &totp_code(&key, 0)).await;
    browser.click("form[action='/account/totp'] button").await;
    browser.wait_for_url(|u| u.ends_with("/account/totp")).await;
    browser.goto(&server.url("/panels")).await;
    assert!(
        browser
            .text("#waiting-list")
            .await
            .contains("Invitation to answer")
    );
    browser.goto(&server.url(&panel)).await;
    browser.click("#accept").await;
    browser.find("#post-form").await;
    browser
        .type_into("#body", "As a guest: sequence COL1A1 and COL1A2 first.")
        .await;
    browser.click("#send").await;
    browser.find("#posts").await;
    assert!(browser.text("#posts").await.contains("COL1A1"));
    shoot(&browser, "panel-guests-07-guest-contributed").await;

    browser.goto(&server.url(path)).await;
    browser.find(".error-page").await;
    assert!(browser.text("h1").await.contains("cannot be used"));
    shoot(&browser, "panel-guests-08-used-link").await;
    browser.quit().await;
    server.stop().await;
    sink.stop();
}
