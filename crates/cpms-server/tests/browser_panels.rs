//! A panel in a real browser: the lead requests an urgent consultation
//! with ERN help (first with a mistake the form points out), the network's
//! coordinator finds an expert in the triage queue and forwards the
//! request, and the expert accepts from "my panels" and contributes.
//! Screenshots of each page go to target/screenshots/.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
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

/// Gives `username` an expert profile in the directory, through its page.
async fn expert_profile(server: &TestServer, username: &str, focus: &str) {
    let client = clinic::signed_in(server, username).await;
    let (_, page) = client.get_text("/account/profile").await;
    let first_value = |after: &str| {
        page.split(after)
            .nth(1)
            .and_then(|rest| rest.split("value=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    // The first option of the profession list is the empty prompt.
    let select = page.split("id=\"profession\"").nth(1).unwrap();
    let profession = select
        .split("<option value=\"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let area = first_value("name=\"areas\"").unwrap_or_default();
    let response = client
        .post_form(
            "/account/profile",
            "/account/profile",
            &[
                ("cares_for", "both"),
                ("profession", &profession),
                ("areas", &area),
                ("specialist_in", focus),
            ],
        )
        .await;
    let saved = response.text().await.unwrap();
    assert!(saved.contains("Saved. You are listed"), "{saved}");
}

#[tokio::test]
async fn a_consultation_from_request_to_first_contribution() {
    let server = TestServer::training(Engine::Sqlite).await;
    let lead = clinic::signed_in(&server, "bond-hp1").await;
    let record = clinic::enrol(&server, &lead, "bond-hp1").await;
    for (path, fields) in [
        (
            "summary",
            vec![(
                "summary",
                "Eight fractures before age 6, blue sclerae, short stature.",
            )],
        ),
        (
            "phenotypes",
            vec![("code", "HP:0002757"), ("presence", "observed")],
        ),
    ] {
        lead.post_form(&record, &format!("{record}/{path}"), &fields)
            .await;
    }
    expert_profile(&server, "bond-hp2", "Osteogenesis imperfecta in children").await;
    expert_profile(
        &server,
        "bond-hp3",
        "Skeletal dysplasias and bone fragility",
    )
    .await;

    let browser = Browser::start(1280, 900).await;
    sign_in(&browser, &server, "bond-hp1").await;
    browser.goto(&server.url(&record)).await;
    browser.click("#request-consultation").await;
    browser.wait_for_url(|u| u.ends_with("/consultation")).await;
    browser.select("#urgency", "urgent").await;
    browser.click("#section-phenotype").await;
    browser.click("#ern_help").await;
    browser.click("#submit-request").await;
    let error = browser.text("#request-error").await;
    assert!(error.contains("Clinical questions: is required"), "{error}");
    shoot(&browser, "panels-01-request-error").await;
    browser
        .type_into(
            "#questions",
            "Is this osteogenesis imperfecta, and which type? Would bisphosphonates help?",
        )
        .await;
    shoot(&browser, "panels-02-request").await;
    browser.click("#submit-request").await;
    browser.wait_for_url(|u| u.contains("/panels/BOND-")).await;
    let panel_url = browser.current_url().await;
    assert!(browser.text("#panel-state").await.contains("triage"));
    shoot(&browser, "panels-03-lead-waiting-for-triage").await;
    sign_out(&browser).await;

    sign_in(&browser, &server, "bond-coordinator").await;
    browser.goto(&server.url("/erns/BOND/triage")).await;
    assert!(browser.text("#triage-queue").await.contains("urgent"));
    shoot(&browser, "panels-04-triage-queue").await;
    browser.click("#triage-queue a[href^='/panels/']").await;
    browser.wait_for_url(|u| u.contains("/panels/BOND-")).await;
    browser.click("#invite-experts").await;
    browser.wait_for_url(|u| u.ends_with("/invite")).await;
    browser.type_into("#q", "osteogenesis").await;
    browser.click("form[role=search] button").await;
    browser.wait_for_url(|u| u.contains("q=osteogenesis")).await;
    shoot(&browser, "panels-05-find-experts").await;
    browser.click("#experts input[name=experts]").await;
    browser.click("#forward").await;
    browser
        .wait_for_url(|u| u.contains("/panels/BOND-") && !u.contains("/invite"))
        .await;
    assert!(browser.text("#panel-state").await.contains("Open"));
    sign_out(&browser).await;

    sign_in(&browser, &server, "bond-hp2").await;
    browser.goto(&server.url("/panels")).await;
    assert!(
        browser
            .text("#waiting-list")
            .await
            .contains("Invitation to answer")
    );
    shoot(&browser, "panels-06-my-panels").await;
    browser.goto(&panel_url).await;
    browser.click("#accept").await;
    browser.find("#post-form").await;
    browser
        .type_into(
            "#body",
            "Type I osteogenesis imperfecta is likely; sequence COL1A1/COL1A2. \
             Start intravenous pamidronate after the genetic result.",
        )
        .await;
    browser.click("#send").await;
    browser.find("#posts").await;
    assert!(browser.text("#posts").await.contains("COL1A1"));
    assert!(browser.text("#shared-record").await.contains("HP:0002757"));
    shoot(&browser, "panels-07-panel-member").await;
    browser.quit().await;
    server.stop().await;
}
