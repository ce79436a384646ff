//! The image viewer in a real browser (issue 6, first acceptance line): the
//! lead uploads a generated 20-slice CT study through the record page,
//! opens the viewer, scrolls with keys and the wheel, changes the window
//! with a preset and by dragging, and measures a length; a member of a
//! panel sharing the study opens the viewer, sees the measurement with its
//! length in mm, and pans with a finger. Screenshots go to
//! target/screenshots/imaging-viewer-*.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use cpms_dicom::synth::{self, Identity};
use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{clinic, panel};

const SLICES: u32 = 20;
const SIDE: u16 = 256;
/// The synthetic CT's Pixel Spacing, both ways.
const SPACING_MM: f64 = 0.683594;
const DOWN: &str = "\u{E015}";

/// The viewer from its toolbar to its status line, as a user scrolls it.
async fn shoot(browser: &Browser, name: &str) {
    browser
        .script(
            "document.getElementById('viewer').scrollIntoView()",
            json!([]),
        )
        .await;
    browser.screenshot(&screenshot_path(name), false).await;
}

async fn sign_in(browser: &Browser, server: &TestServer, username: &str) {
    browser.goto(&server.url("/signin")).await;
    browser.type_into("#username", username).await;
    browser
        .type_into("#password", &server.training_password(username))
        .await;
    browser.click("button[type=submit]").await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
}

/// Runs `script` until it returns `expected`, for up to a minute (uploads
/// and first renders are slow in debug builds).
async fn wait_until(browser: &Browser, script: &str, expected: Value) {
    for _ in 0..600 {
        if browser.script(script, json!([])).await == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{script} never gave {expected}");
}

async fn viewer_data(browser: &Browser, key: &str) -> String {
    browser
        .script(
            "return document.getElementById('viewer').dataset[arguments[0]] || ''",
            json!([key]),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the viewer shows image `index` (zero-based) rendered with
/// `window`, as a decoded image of the study's size (not a placeholder).
async fn shown(browser: &Browser, index: usize, window: &str) {
    wait_until(
        browser,
        "const v = document.getElementById('viewer').dataset; \
         const i = document.getElementById('viewer-image'); \
         return [v.shown, v.shownWindow, i.complete, i.naturalWidth, i.hidden, \
                 document.getElementById('viewer-unavailable').hidden].join('|')",
        json!(format!("{index}|{window}|true|{SIDE}|false|true")),
    )
    .await;
}

#[tokio::test]
async fn a_panel_member_sees_the_leads_measurement_in_the_viewer() {
    let server = TestServer::training(Engine::Sqlite).await;
    let lead = clinic::signed_in(&server, "bond-hp1").await;
    let record = panel::coded_patient(&server, &lead).await;

    // A CT study as a scanner exports it: one file per slice.
    let folder = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, bytes) in synth::ct_study(&Identity::sample(), SLICES, SIDE, SIDE)
        .unwrap()
        .into_iter()
        .enumerate()
    {
        let path = folder.path().join(format!("IM{:04}.dcm", i + 1));
        std::fs::write(&path, bytes).unwrap();
        paths.push(path.display().to_string());
    }

    let browser = Browser::start(1400, 1000).await;
    sign_in(&browser, &server, "bond-hp1").await;
    browser.goto(&server.url(&record)).await;
    browser.send_keys("#study-files", &paths.join("\n")).await;
    browser.click("#upload-study").await;
    wait_until(
        &browser,
        "return !!document.getElementById('upload-report')",
        json!(true),
    )
    .await;
    let report = browser.text("#upload-report").await;
    assert!(report.contains("20 image(s) stored"), "{report}");
    let study = browser
        .script(
            "return document.querySelector('#stored-studies ~ ul a[href^=\"/studies/\"]').getAttribute('href')",
            json!([]),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();

    // The record lists the study with a link to the viewer.
    browser.goto(&server.url(&record)).await;
    browser.click("#study-list a.open-viewer").await;
    browser
        .wait_for_url(|u| u.ends_with(&format!("{study}/viewer")))
        .await;
    wait_until(
        &browser,
        "return document.getElementById('viewer').dataset.ready || ''",
        json!("true"),
    )
    .await;
    shown(&browser, 0, "file").await;
    assert!(browser.text("#viewer-frame").await.contains("Image 1 / 20"));
    assert_eq!(viewer_data(&browser, "window").await, "40,400");
    shoot(&browser, "imaging-viewer-01-opened").await;

    // Scroll: three presses of the down arrow, then one turn of the wheel.
    browser.send_keys("#viewer-stage", &DOWN.repeat(3)).await;
    shown(&browser, 3, "file").await;
    browser.wheel("#viewer-stage", 120).await;
    shown(&browser, 4, "file").await;
    assert!(browser.text("#viewer-frame").await.contains("Image 5 / 20"));
    assert_eq!(
        browser
            .script(
                "return document.getElementById('viewer-slider').value",
                json!([])
            )
            .await,
        json!("4")
    );

    // Window: the lung preset, then a drag in W/L mode widens it.
    browser.click("[data-preset='-600,1500']").await;
    shown(&browser, 4, "-600,1500").await;
    assert!(
        browser
            .text("#viewer-window")
            .await
            .contains("W/L 1500/-600")
    );
    shoot(&browser, "imaging-viewer-02-lung-window").await;
    browser.click("[data-tool=window]").await;
    browser.drag("#viewer-stage", (0, 0), (200, 0), 0).await;
    let dragged = viewer_data(&browser, "window").await;
    let (center, width) = dragged.split_once(',').unwrap();
    assert_eq!(center, "-600", "a horizontal drag keeps the level");
    assert!(width.parse::<i64>().unwrap() > 1500, "{dragged}");
    shown(&browser, 4, &dragged).await;
    browser.click("[data-preset='40,400']").await;
    shown(&browser, 4, "40,400").await;

    // A length measurement across the phantom.
    browser.click("[data-tool=length]").await;
    browser
        .drag("#viewer-stage", (-150, 40), (150, 40), 0)
        .await;
    wait_until(
        &browser,
        "return document.getElementById('viewer').dataset.annotations",
        json!("1"),
    )
    .await;
    let listed = browser.text("#annotation-list li").await;
    assert!(
        listed.starts_with("Length ") && listed.contains(" mm"),
        "{listed}"
    );
    assert!(listed.contains("image 5"), "{listed}");
    assert!(
        browser
            .text("#viewer-message")
            .await
            .starts_with("Saved: Length"),
        "the viewer says it was saved"
    );
    assert_eq!(
        browser
            .script(
                "return document.querySelectorAll('#viewer-overlay g[data-annotation] line').length",
                json!([])
            )
            .await,
        json!(1),
        "the line is drawn on the image"
    );
    shoot(&browser, "imaging-viewer-03-measurement").await;

    // Saved on the server, measured there from the Pixel Spacing.
    let (status, body) = lead.get_text(&format!("{study}/annotations")).await;
    assert_eq!(status, StatusCode::OK);
    let saved: Value = serde_json::from_str(&body).unwrap();
    let a = saved[0].clone();
    assert_eq!(a["kind"], "length");
    assert_eq!(a["frame"], 1);
    let p = &a["points"];
    let dx = p[1][0].as_f64().unwrap() - p[0][0].as_f64().unwrap();
    let dy = p[1][1].as_f64().unwrap() - p[0][1].as_f64().unwrap();
    let mm = a["length_mm"].as_f64().unwrap();
    assert!(dx > 50.0 && dy.abs() < 1.0, "a horizontal line: {p}");
    assert!((mm - dx.hypot(dy) * SPACING_MM).abs() < 0.01, "{mm} mm");
    assert!(
        listed.contains(&format!("{mm:.1} mm")),
        "{listed} shows {mm:.1}"
    );

    // Rotated a quarter turn, the same drag on screen measures the same
    // length along the image's columns; the measurement is then removed.
    browser.click("[data-action=rotate]").await;
    browser
        .drag("#viewer-stage", (-150, 40), (150, 40), 0)
        .await;
    wait_until(
        &browser,
        "return document.getElementById('viewer').dataset.annotations",
        json!("2"),
    )
    .await;
    let (_, body) = lead.get_text(&format!("{study}/annotations")).await;
    let saved: Value = serde_json::from_str(&body).unwrap();
    let q = &saved[1]["points"];
    let qx = q[1][0].as_f64().unwrap() - q[0][0].as_f64().unwrap();
    let qy = q[1][1].as_f64().unwrap() - q[0][1].as_f64().unwrap();
    assert!(qx.abs() < 1.0 && qy < -50.0, "a vertical line upwards: {q}");
    assert!((saved[1]["length_mm"].as_f64().unwrap() - mm).abs() < 0.2);
    browser
        .click("#annotation-list li:nth-child(2) button.secondary")
        .await;
    wait_until(
        &browser,
        "return document.getElementById('viewer').dataset.annotations",
        json!("1"),
    )
    .await;
    browser.click("[data-action=reset]").await;
    let (_, body) = lead.get_text(&format!("{study}/annotations")).await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()[0]["id"],
        a["id"]
    );

    // The lead shares the study with a panel; bond-hp2 joins it.
    let form = format!("{record}/consultation");
    let response = lead
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                ("questions", "What does the chest CT show?"),
                ("urgency", "urgent"),
                ("sections", "phenotype"),
                ("studies", study.trim_start_matches("/studies/")),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let panel_path = response.headers()["location"].to_str().unwrap().to_owned();
    let hp2 = panel::user_id(&server, "bond-hp2").await;
    panel::invite(&lead, &panel_path, &[hp2]).await;
    let member = clinic::signed_in(&server, "bond-hp2").await;
    panel::accept(&member, &panel_path).await;

    browser.click("form[action='/signout'] button").await;
    browser.wait_for_url(|u| !u.contains("/viewer")).await;
    sign_in(&browser, &server, "bond-hp2").await;
    browser.goto(&server.url(&panel_path)).await;
    browser.click("#shared-studies a.open-viewer").await;
    browser
        .wait_for_url(|u| u.ends_with(&format!("{study}/viewer")))
        .await;
    wait_until(
        &browser,
        "return document.getElementById('viewer').dataset.ready || ''",
        json!("true"),
    )
    .await;
    let seen = browser.text("#annotation-list li").await;
    assert!(seen.contains(&format!("Length {mm:.1} mm")), "{seen}");
    assert!(seen.contains("image 5"), "{seen}");
    // Not the author and not an editor of the record: no Remove button.
    assert_eq!(
        browser
            .script(
                "return document.querySelectorAll('#annotation-list button.secondary').length",
                json!([])
            )
            .await,
        json!(0)
    );
    browser.click("#annotation-list li button.link").await;
    shown(&browser, 4, "file").await;
    assert_eq!(
        browser
            .script(
                "return document.querySelector('#viewer-overlay g[data-annotation] text').textContent",
                json!([])
            )
            .await,
        json!(format!("{mm:.1} mm"))
    );
    shoot(&browser, "imaging-viewer-04-panel-member").await;

    // Touch: a finger drags the image (pan is the default tool).
    browser.touch_drag("#viewer-stage", (0, 0), (60, -30)).await;
    assert_eq!(
        browser
            .script(
                "return document.getElementById('viewer-canvas').style.transform.split(' rotate')[0]",
                json!([])
            )
            .await,
        json!("translate(60px, -30px)")
    );

    browser.quit().await;
    server.stop().await;
}
