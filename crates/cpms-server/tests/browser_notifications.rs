//! Notifications in a real browser: the bell's count and the open
//! notification centre change without a reload when a notification is
//! written (through `App::notify`, as a panel use case will), an urgent one
//! shows its badge, marking read clears the bell; then the preferences page.
//! Screenshots go to target/screenshots/.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use cpms_domain::notification::EventType;
use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
use serde_json::json;
use support::notices::{about, account, notify};

const USER: &str = "ern-rnd-hp1";

#[tokio::test]
async fn the_bell_and_the_centre_update_without_a_reload() {
    let server = TestServer::training(Engine::Sqlite).await;
    let lead = account(&server, USER).await;
    notify(
        &server,
        &[lead.id],
        &about(EventType::Invitation, "P-0101", false),
    )
    .await;
    let browser = Browser::start(1280, 900).await;
    browser.goto(&server.url("/signin")).await;
    browser.find("#username").await;
    browser.type_into("#username", USER).await;
    browser
        .type_into("#password", &server.training_password(USER))
        .await;
    browser.click("button[type=submit]").await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
    assert_eq!(browser.text("#unread-count").await, "1");

    browser.click("#bell").await;
    browser
        .wait_for_url(|u| u.ends_with("/notifications"))
        .await;
    // The live stream has sent its first state once the count is set by
    // script; a marker shows later that the page was never reloaded.
    browser.script("window.notReloaded = true", json!([])).await;
    browser
        .wait_for_script(
            "return document.querySelectorAll('#notification-list li').length",
            json!(1),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    notify(
        &server,
        &[lead.id],
        &about(EventType::UrgentAnswerDatePassed, "P-0102", true),
    )
    .await;
    notify(
        &server,
        &[lead.id],
        &about(EventType::Contribution, "P-0103", false),
    )
    .await;
    browser
        .wait_for_script(
            "return document.getElementById('unread-count').textContent",
            json!("3"),
        )
        .await;
    browser
        .wait_for_script(
            "return document.querySelectorAll('#notification-list li').length",
            json!(3),
        )
        .await;
    assert_eq!(
        browser
            .script("return window.notReloaded === true", json!([]))
            .await,
        json!(true),
        "updated in place"
    );
    let first = browser
        .text("#notification-list li:first-child .title")
        .await;
    assert_eq!(first, "Panel P-0103: A new contribution to a panel");
    let urgent = browser
        .script(
            "return [...document.querySelectorAll('#notification-list li')].filter(li => li.querySelector('.badge-urgent')).map(li => li.querySelector('.title').textContent)",
            json!([]),
        )
        .await;
    assert_eq!(
        urgent,
        json!(["Panel P-0102: An urgent panel's answer date has passed"]),
        "the badge says urgent; the title does not repeat it"
    );
    assert_eq!(browser.text("#centre-unread").await, "3");
    browser
        .screenshot(&screenshot_path("notifications-centre"), true)
        .await;

    // A live-added item's form works like the server-rendered ones.
    browser
        .click("#notification-list li:first-child button[type=submit]")
        .await;
    browser.wait_for_script("return document.readyState === 'complete' && document.getElementById('unread-count').textContent",
        json!("2"),
    )
    .await;
    browser.click("#read-all").await;
    browser.wait_for_script("return document.readyState === 'complete' && document.getElementById('unread-count').hidden",
        json!(true),
    )
    .await;

    browser.goto(&server.url("/account/notifications")).await;
    browser.find("#preferences").await;
    browser
        .click("input[name=meeting_changed][value=daily_digest]")
        .await;
    browser.click("#save-preferences").await;
    browser.find("#preferences-notice").await;
    browser
        .screenshot(&screenshot_path("notifications-preferences"), true)
        .await;
    let chosen = browser
        .script(
            "return document.querySelector('input[name=meeting_changed]:checked').value",
            json!([]),
        )
        .await;
    assert_eq!(chosen, json!("daily_digest"));
    browser.quit().await;
    server.stop().await;
}
