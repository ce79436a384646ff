//! "Sign in with EU Login" in Chromium through the loopback OpenID
//! provider: the button on /signin, the provider's login form, and back
//! signed in; an identity nobody has gets the page that offers to request
//! access. Screenshots go to target/screenshots/oidc-*.png.
#![allow(clippy::unwrap_used)]

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::identity::add_account;
use cpms_testkit::oidc::{
    Mode, PASSWORD, TestProvider, callback_for, free_port, link_identity, server_with_provider,
};

async fn through_provider(browser: &Browser, username: &str) {
    browser.click("#oidc-sign-in").await;
    browser.wait_for_url(|u| u.contains("/interaction/")).await;
    browser.type_into("input[name=username]", username).await;
    browser.type_into("input[name=password]", PASSWORD).await;
    browser.click("button[type=submit]").await;
}

#[tokio::test]
async fn signs_in_through_the_identity_provider() {
    let port = free_port();
    let provider = TestProvider::start(&callback_for(port), Mode::Normal);
    let server = server_with_provider(Engine::Sqlite, port, &provider.issuer).await;
    let user = add_account(&server, "olga.local", "a long enough passphrase 42", false).await;
    link_identity(&server, &provider.issuer, "olga", user).await;
    let browser = Browser::start(1280, 900).await;

    browser.goto(&server.localhost_url("/signin")).await;
    assert_eq!(browser.text("#oidc-sign-in").await, "Sign in with EU Login");
    browser
        .screenshot(&screenshot_path("oidc-01-signin"), true)
        .await;
    through_provider(&browser, "olga").await;
    browser
        .wait_for_url(|u| u == server.localhost_url("/"))
        .await;
    assert!(browser.text("h1").await.starts_with("Welcome"));
    assert!(browser.text(".user-box").await.contains("Test olga.local"));
    browser
        .screenshot(&screenshot_path("oidc-02-signed-in"), true)
        .await;

    browser.quit().await;

    // Someone the provider knows but ERN-CPMS does not (a fresh browser,
    // not signed in at the provider).
    let browser = Browser::start(1280, 900).await;
    browser.goto(&server.localhost_url("/signin")).await;
    through_provider(&browser, "stranger").await;
    browser
        .wait_for_url(|u| u.contains("/signin/oidc/callback"))
        .await;
    assert_eq!(browser.text("h1").await, "No ERN-CPMS account yet");
    assert!(
        browser
            .text("#request-access")
            .await
            .contains("Request access")
    );
    browser
        .screenshot(&screenshot_path("oidc-03-unknown-identity"), true)
        .await;

    browser.quit().await;
    server.stop().await;
}
