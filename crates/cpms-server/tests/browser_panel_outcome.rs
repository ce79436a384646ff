//! The outcome in a real browser: the lead picks a diagnosis from the
//! type-ahead (its label comes along), sends an incomplete outcome and sees
//! the problem under its field with everything kept, completes and sends
//! it; a member sees the sign-off view with one signature and one comment.
//! Screenshots go to target/screenshots/.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
use serde_json::json;
use support::panel::{discussed_panel, step};

async fn shoot(browser: &Browser, name: &str) {
    browser.script("window.scrollTo(0, 0)", json!([])).await;
    browser.screenshot(&screenshot_path(name), true).await;
}

async fn value(browser: &Browser, css: &str) -> String {
    browser
        .script(
            "return document.querySelector(arguments[0]).value",
            json!([css]),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_lead_writes_the_outcome_and_members_sign_it() {
    let server = TestServer::training(Engine::Sqlite).await;
    let (lead, hp2, hp3, panel, _) = discussed_panel(&server).await;
    let started = step(&lead, &panel, &[("transition", "start_outcome")]).await;
    assert_eq!(started.status(), reqwest::StatusCode::SEE_OTHER);

    let browser = Browser::start(1280, 900).await;
    browser
        .submit_password(
            &server.url("/signin"),
            "bond-hp1",
            &server.training_password("bond-hp1"),
        )
        .await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
    browser.goto(&server.url(&format!("{panel}/outcome"))).await;
    browser.find("#outcome-form").await;
    browser
        .type_into(
            "#discussion",
            "Both experts favour a collagen type I defect.",
        )
        .await;
    browser.type_into("#diagnosis-code-1", "marfan").await;
    browser
        .click("#diagnosis-rows .suggestions li[data-code='ORPHA:558']")
        .await;
    assert_eq!(value(&browser, "#diagnosis-code-1").await, "ORPHA:558");
    assert_eq!(
        value(&browser, "#diagnosis-label-1").await,
        "Marfan syndrome"
    );
    browser.select("#diagnosis-certainty-1", "excluded").await;
    browser
        .type_into("#follow_up", "Review in six months.")
        .await;
    browser.click("#send-for-sign-off").await;
    browser.find("#error-plan").await;
    assert_eq!(
        value(&browser, "#discussion").await,
        "Both experts favour a collagen type I defect.",
        "what was typed is kept"
    );
    shoot(&browser, "outcome-form").await;

    browser
        .type_into("#plan", "Start bisphosphonates; physiotherapy.")
        .await;
    browser.click("#send-for-sign-off").await;
    browser.find("#outcome-document").await;

    let outcome = format!("{panel}/outcome");
    let signed = hp2
        .post_form(
            &outcome,
            &format!("{outcome}/sign-off"),
            &[("answer", "sign")],
        )
        .await;
    assert_eq!(signed.status(), reqwest::StatusCode::SEE_OTHER);
    let commented = hp3
        .post_form(
            &outcome,
            &format!("{outcome}/sign-off"),
            &[
                ("answer", "comment"),
                ("comment", "Please name the audiology test."),
            ],
        )
        .await;
    assert_eq!(commented.status(), reqwest::StatusCode::SEE_OTHER);
    browser.goto(&server.url(&outcome)).await;
    browser.find("#sign-offs").await;
    let table = browser.text("#sign-offs").await;
    assert!(
        table.contains("Signed") && table.contains("Please name the audiology test."),
        "{table}"
    );
    shoot(&browser, "outcome-sign-off").await;
    browser.quit().await;
    server.stop().await;
}
