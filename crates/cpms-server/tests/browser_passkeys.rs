//! Passkeys in Chromium with its virtual authenticator: the first sign-in
//! enrols a passkey (offered first, as recommended), the next one uses it as
//! the second step, then alone from the sign-in page, and the security page
//! lists, renames and removes it.
//! The browser reaches the server as `localhost`, the relying party's
//! domain. Screenshots go to target/screenshots/passkey-*.png.
#![allow(clippy::unwrap_used)]

use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::identity::add_account;
use cpms_testkit::server::TestServer;

const PASSWORD: &str = "a long enough passphrase 42";

async fn password_step(browser: &Browser, server: &TestServer) {
    browser
        .submit_password(&server.localhost_url("/signin"), "pia.local", PASSWORD)
        .await;
}

async fn audited(server: &TestServer, action: &str, detail: &str) -> bool {
    let mut conn = server.app().store().read().await.unwrap();
    audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .iter()
        .any(|e| {
            e.event.action == action
                && e.event.outcome == Outcome::Success
                && e.event.detail.as_deref() == Some(detail)
        })
}

#[tokio::test]
async fn registers_a_passkey_and_signs_in_with_it() {
    let server = TestServer::start(Engine::Sqlite, Default::default()).await;
    add_account(&server, "pia.local", PASSWORD, false).await;
    let browser = Browser::start(1280, 900).await;
    browser.goto(&server.localhost_url("/help")).await;
    browser.add_virtual_authenticator().await;

    // First sign-in: enrol, passkey first.
    password_step(&browser, &server).await;
    browser
        .wait_for_url(|u| u.ends_with("/account/enrol"))
        .await;
    assert!(
        browser
            .text("#passkey-card h2")
            .await
            .contains("recommended")
    );
    browser
        .screenshot(&screenshot_path("passkey-01-enrol"), true)
        .await;
    browser.type_into("#passkey-name", "Test laptop").await;
    browser.click("#passkey-register button").await;
    browser
        .wait_for_url(|u| u.ends_with("/account/passkeys"))
        .await;
    assert_eq!(browser.text("h1").await, "You are signed in");
    let codes = browser.text("#recovery-codes").await;
    assert_eq!(codes.lines().count(), 10, "{codes}");
    browser
        .screenshot(&screenshot_path("passkey-02-recovery-codes"), true)
        .await;
    assert!(audited(&server, "auth.factor_added", "passkey \"Test laptop\"").await);
    assert!(audited(&server, "auth.sign_in", "password + passkey (enrolled now)").await);

    // Sign out, then in again: the second step offers the passkey.
    browser.click("a.button").await;
    browser.wait_for_url(|u| u.ends_with('/')).await;
    browser.click(".user-box button[type=submit]").await;
    browser.wait_for_url(|u| u.ends_with("/signin")).await;
    password_step(&browser, &server).await;
    browser
        .wait_for_url(|u| u.contains("/signin/second-factor"))
        .await;
    browser
        .screenshot(&screenshot_path("passkey-03-second-step"), true)
        .await;
    let no_code_field = browser
        .script(
            "return document.querySelector('#totp-form') === null",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(no_code_field, true, "no authenticator app, no code field");
    browser.click("#passkey-form button").await;
    browser.wait_for_url(|u| u.ends_with('/')).await;
    assert!(browser.text("h1").await.starts_with("Welcome"));
    assert!(audited(&server, "auth.sign_in", "password + passkey").await);

    // A passkey alone signs in from the sign-in page: it is both factors.
    browser.click(".user-box button[type=submit]").await;
    browser.wait_for_url(|u| u.ends_with("/signin")).await;
    browser
        .screenshot(&screenshot_path("passkey-04-signin"), true)
        .await;
    browser.click("#passkey-sign-in button").await;
    browser.wait_for_url(|u| u.ends_with('/')).await;
    assert!(browser.text("h1").await.starts_with("Welcome"));
    assert!(audited(&server, "auth.sign_in", "passkey").await);

    // The security page lists it, used just now; rename, then remove.
    browser
        .goto(&server.localhost_url("/account/security"))
        .await;
    let listed = browser.text("#passkeys").await;
    assert!(!listed.contains("last used never"), "{listed}");
    browser.type_into("#passkey-1", "Office PC").await;
    browser
        .click("#passkeys form[action$='/rename'] button")
        .await;
    browser.wait_for_url(|u| u.ends_with("/rename")).await;
    assert_eq!(
        browser.text("#security-notice").await,
        "The passkey is renamed."
    );
    let renamed = browser
        .script(
            "return document.querySelector('#passkey-1').value",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(renamed, "Office PC");
    browser
        .screenshot(&screenshot_path("passkey-05-security"), true)
        .await;
    browser
        .click("#passkeys form[action$='/remove'] button")
        .await;
    browser.wait_for_url(|u| u.ends_with("/remove")).await;
    assert_eq!(
        browser.text("#security-notice").await,
        "The passkey is removed."
    );
    assert!(
        browser
            .text("#passkeys-status")
            .await
            .starts_with("None yet")
    );
    assert!(audited(&server, "auth.factor_removed", "passkey \"Office PC\"").await);

    browser.quit().await;
    server.stop().await;
}
