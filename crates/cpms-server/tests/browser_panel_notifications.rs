//! Panel notifications in a real browser: the lead has the notification
//! centre open when a member contributes and mentions them; the bell and
//! the list change without a reload, urgent items carry their badge, and
//! the mention is highlighted in the discussion. Screenshots go to
//! target/screenshots/.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
use reqwest::StatusCode;
use serde_json::json;
use support::clinic::{self, signed_in};
use support::panel::{answer, invite, post, submit, user_id};

const LEAD: &str = "bond-hp1";

#[tokio::test]
async fn the_bell_updates_when_another_user_contributes() {
    let server = TestServer::training(Engine::Sqlite).await;
    let lead = signed_in(&server, LEAD).await;
    let member = signed_in(&server, "bond-hp2").await;
    let record = clinic::enrol(&server, &lead, LEAD).await;
    let panel = submit(&lead, &record, "urgent", &[]).await;
    let reference = panel.trim_start_matches("/panels/").to_owned();
    invite(&lead, &panel, &[user_id(&server, "bond-hp2").await]).await;
    answer(&member, &panel, &[("answer", "accept")]).await;

    let browser = Browser::start(1280, 900).await;
    browser
        .submit_password(
            &server.url("/signin"),
            LEAD,
            &server.training_password(LEAD),
        )
        .await;
    browser.goto(&server.url("/notifications")).await;
    browser
        .wait_for_script(
            "return document.querySelectorAll('#notification-list li').length",
            json!(1),
        )
        .await;
    assert_eq!(browser.text("#unread-count").await, "1");
    browser.script("window.notReloaded = true", json!([])).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let sent = post(
        &member,
        &panel,
        &[
            ("kind", "contribution"),
            (
                "body",
                "Likely osteogenesis imperfecta type I. @bond-hp1, could you share the X-rays?",
            ),
        ],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
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
    let titles = browser
        .script(
            "return [...document.querySelectorAll('#notification-list li')].filter(li => li.querySelector('.badge-urgent')).map(li => li.querySelector('.title').textContent).sort()",
            json!([]),
        )
        .await;
    assert_eq!(
        titles,
        json!([
            format!("Panel {reference}: an invitee accepted"),
            format!("Panel {reference}: new contribution"),
            format!("Panel {reference}: you are mentioned"),
        ])
    );
    browser
        .screenshot(&screenshot_path("panel-notifications-centre"), true)
        .await;

    browser.goto(&server.url(&panel)).await;
    let mention = browser.text("#posts mark.mention").await;
    assert_eq!(mention, "@bond-hp1");
    browser.find("#mention-hint").await;
    browser
        .screenshot(&screenshot_path("panel-mention"), true)
        .await;
    browser.quit().await;
    server.stop().await;
}
