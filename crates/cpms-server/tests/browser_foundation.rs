//! The first journey in a real browser: open the training site, sign in as
//! a training coordinator, open the ERN dashboard; screenshots of each page
//! (on a desktop and on a 360 px phone) go to target/screenshots/.
#![allow(clippy::unwrap_used)]

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;

#[tokio::test]
async fn coordinator_signs_in_and_opens_the_ern_dashboard() {
    let server = TestServer::training(Engine::Sqlite).await;
    let browser = Browser::start(1280, 900).await;

    browser.goto(&server.url("/")).await;
    browser.wait_for_url(|u| u.contains("/signin")).await;
    assert!(
        browser
            .text(".training-banner")
            .await
            .contains("Do not enter real patient data")
    );
    browser
        .screenshot(&screenshot_path("foundation-01-signin"), false)
        .await;

    let password = server.training_password("ern-rnd-coordinator");
    browser.type_into("#username", "ern-rnd-coordinator").await;
    browser.type_into("#password", &password).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
    assert!(browser.text("h1").await.starts_with("Welcome"));
    browser
        .screenshot(&screenshot_path("foundation-02-home"), true)
        .await;

    browser.set_window(1280, 900).await;
    browser.click(".main-nav a[href^='/erns/']").await;
    browser.wait_for_url(|u| u.ends_with("/erns/ERN-RND")).await;
    let heading = browser.text("h1").await;
    assert_eq!(heading, "ERN-RND · Neurological Diseases");
    let who = browser.text(".user-box .who").await;
    assert!(who.contains("Coordinator"), "header shows the role: {who}");
    assert!(
        browser
            .text(".training-banner")
            .await
            .contains("Training environment")
    );
    let hospitals = browser
        .script(
            "return document.querySelectorAll('#hospitals ~ .table-wrap tbody tr').length",
            serde_json::json!([]),
        )
        .await;
    assert!(
        hospitals.as_u64().unwrap() >= 3,
        "at least three hospitals: {hospitals}"
    );
    browser
        .screenshot(&screenshot_path("ern-dashboard"), true)
        .await;

    browser.set_window(1280, 900).await;
    browser.click(".main-nav a[href^='/centres/']").await;
    browser.wait_for_url(|u| u.contains("/centres/")).await;
    browser
        .screenshot(&screenshot_path("foundation-03-centre"), true)
        .await;

    browser.set_window(360, 780).await;
    browser.goto(&server.url("/erns/ERN-RND")).await;
    browser
        .screenshot(&screenshot_path("foundation-04-ern-phone"), true)
        .await;
    let overflow = browser
        .script(
            "return document.documentElement.scrollWidth > window.innerWidth + 1",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(
        overflow,
        serde_json::json!(false),
        "no sideways scrolling on a 360 px phone"
    );

    browser.set_window(1280, 900).await;
    browser.goto(&server.url("/no/such/page")).await;
    assert_eq!(browser.text("h1").await, "Page not found");
    browser
        .screenshot(&screenshot_path("foundation-05-404"), false)
        .await;

    browser.goto(&server.url("/help")).await;
    browser
        .screenshot(&screenshot_path("foundation-06-help"), true)
        .await;

    browser.quit().await;
    server.stop().await;
}
