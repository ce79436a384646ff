//! Signing in with password and TOTP in Chromium: the first sign-in enrols
//! an authenticator app (QR code and manual key) and shows the recovery
//! codes once; the next sign-in asks for a code. An administrator's view of
//! the account closes the journey. Screenshots of every page
//! go to target/screenshots/signin-*.png.
#![allow(clippy::unwrap_used)]

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::identity::{add_account, totp_code};
use cpms_testkit::server::TestServer;

const PASSWORD: &str = "a long enough passphrase 42";

async fn password_step(browser: &Browser, server: &TestServer) {
    browser
        .submit_password(&server.url("/signin"), "anna.local", PASSWORD)
        .await;
}

#[tokio::test]
async fn signs_in_with_password_and_totp() {
    let server = TestServer::start(Engine::Sqlite, Default::default()).await;
    add_account(&server, "anna.local", PASSWORD, true).await;
    let browser = Browser::start(1280, 900).await;

    password_step(&browser, &server).await;
    browser
        .wait_for_url(|u| u.ends_with("/account/enrol"))
        .await;
    assert_eq!(browser.text("h1").await, "Set up your second factor");
    browser
        .screenshot(&screenshot_path("signin-01-enrol-totp"), true)
        .await;
    let key = browser.text("#manual-key").await.replace(' ', "");
    browser.type_into("#code", &totp_code(&key, 0)).await;
    browser.click("form[action='/account/totp'] button").await;
    browser.wait_for_url(|u| u.ends_with("/account/totp")).await;
    let codes = browser.text("#recovery-codes").await;
    assert_eq!(codes.lines().count(), 10, "{codes}");
    browser
        .screenshot(&screenshot_path("signin-02-recovery-codes"), true)
        .await;
    browser.click("a.button").await;
    browser.wait_for_url(|u| u.ends_with('/')).await;
    assert!(browser.text("h1").await.starts_with("Welcome"));

    browser.click(".user-box a[href='/account/security']").await;
    browser
        .wait_for_url(|u| u.ends_with("/account/security"))
        .await;
    assert!(browser.text("#totp-status").await.starts_with("Set up."));
    browser
        .screenshot(&screenshot_path("signin-03-security"), true)
        .await;
    browser.click("a[href='/account/sessions']").await;
    browser
        .wait_for_url(|u| u.ends_with("/account/sessions"))
        .await;
    assert!(
        browser
            .text("#sessions tbody")
            .await
            .contains("This browser")
    );
    browser
        .screenshot(&screenshot_path("signin-04-sessions"), true)
        .await;

    browser.click(".user-box button[type=submit]").await;
    browser.wait_for_url(|u| u.ends_with("/signin")).await;
    password_step(&browser, &server).await;
    browser
        .wait_for_url(|u| u.contains("/signin/second-factor"))
        .await;
    browser
        .screenshot(&screenshot_path("signin-05-second-factor"), true)
        .await;
    browser.type_into("#code", &totp_code(&key, 1)).await;
    browser.click("#totp-form button").await;
    browser.wait_for_url(|u| u.ends_with('/')).await;
    assert!(browser.text("h1").await.starts_with("Welcome"));

    // Anna administers the platform: the account page with the lost-device
    // reset and suspension.
    browser
        .goto(&server.url("/admin/accounts/anna.local"))
        .await;
    assert_eq!(browser.text("#account-totp").await, "set up");
    browser
        .screenshot(&screenshot_path("signin-06-account-admin"), true)
        .await;

    browser.quit().await;
    server.stop().await;
}
