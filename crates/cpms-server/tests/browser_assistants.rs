//! Assistants in a real browser: the clinician names an assistant, the
//! assistant accepts, acts for the clinician (the header says so) and opens
//! the clinician's patient list; the coordinator's ERN dashboard links to
//! the request queue and the guests. Screenshots go to target/screenshots/.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
use support::assistant::{make_assistant, user};
use support::clinic::{self, NAME};

const CLINICIAN: &str = "ern-rnd-hp1";
const ASSISTANT: &str = "ern-rnd-hp4";

async fn sign_in(browser: &Browser, server: &TestServer, username: &str) {
    browser
        .submit_password(
            &server.url("/signin"),
            username,
            &server.training_password(username),
        )
        .await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
}

async fn sign_out(browser: &Browser) {
    browser.click("form[action='/signout'] button").await;
    browser.wait_for_url(|u| u.contains("/signin")).await;
}

async fn shoot(browser: &Browser, name: &str) {
    browser.screenshot(&screenshot_path(name), true).await;
}

#[tokio::test]
async fn an_assistant_is_named_accepts_and_acts_for_the_clinician() {
    let server = TestServer::training(Engine::Sqlite).await;
    let (_, assistant_name) = make_assistant(&server, ASSISTANT, CLINICIAN).await;
    let (_, clinician_name) = user(&server, CLINICIAN).await;
    let client = clinic::signed_in(&server, CLINICIAN).await;
    clinic::enrol(&server, &client, CLINICIAN).await;

    let browser = Browser::start(1280, 900).await;
    sign_in(&browser, &server, CLINICIAN).await;
    browser
        .click(".user-box a[href='/account/assistants']")
        .await;
    browser
        .wait_for_url(|u| u.ends_with("/account/assistants"))
        .await;
    browser.click("#name-assistant button").await;
    browser
        .wait_for_url(|u| u.ends_with("/account/assistants"))
        .await;
    assert!(browser.text("#named").await.contains(&assistant_name));
    shoot(&browser, "assistants-01-clinician-named").await;
    sign_out(&browser).await;

    sign_in(&browser, &server, ASSISTANT).await;
    browser.goto(&server.url("/account/assistants")).await;
    shoot(&browser, "assistants-02-invitation").await;
    browser
        .click("#named-by form[action$='/accept'] button")
        .await;
    browser
        .find("#named-by form[action='/account/acting']")
        .await;
    browser
        .click("#named-by form[action='/account/acting'] button")
        .await;
    let acting = browser.text("#acting-for").await;
    assert!(acting.contains(&clinician_name), "{acting}");
    shoot(&browser, "assistants-03-acting").await;
    browser.click(".main-nav a[href^='/centres/']").await;
    browser.click("a[href$='/patients']").await;
    browser.wait_for_url(|u| u.ends_with("/patients")).await;
    assert!(browser.text("#patients").await.contains(NAME));
    shoot(&browser, "assistants-04-clinicians-patients").await;
    sign_out(&browser).await;

    sign_in(&browser, &server, "ern-rnd-coordinator").await;
    browser.goto(&server.url("/erns/ERN-RND")).await;
    browser
        .find("#ern-admin a[href='/erns/ERN-RND/guests']")
        .await;
    shoot(&browser, "ern-dashboard-links").await;
    browser.quit().await;
    server.stop().await;
}
