//! Joining a network in Chromium: the three sign-up pages, the coordinator
//! approving in the queue, the e-mail arriving in a real SMTP sink, and the
//! applicant signing in with password and an authenticator app, then
//! finding themselves in the expert directory. Every page
//! of the journey is photographed at desktop and phone width (360 px) to
//! target/screenshots/onboarding-*.png.
#![allow(clippy::unwrap_used)]

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::identity::totp_code;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::SmtpSink;

const PASSWORD: &str = "a long enough passphrase for browsers";

/// Saves the page as it looks on a desktop and on a phone.
async fn photograph(browser: &Browser, name: &str) {
    browser.set_window(1280, 900).await;
    browser
        .screenshot(&screenshot_path(&format!("onboarding-{name}")), true)
        .await;
    browser.set_window(360, 740).await;
    browser
        .screenshot(&screenshot_path(&format!("onboarding-{name}-phone")), true)
        .await;
    browser.set_window(1280, 900).await;
}

async fn password_step(browser: &Browser, server: &TestServer, username: &str, password: &str) {
    browser
        .submit_password(&server.url("/signin"), username, password)
        .await;
}

#[tokio::test]
async fn applicant_joins_and_signs_in() {
    let sink = SmtpSink::start(SmtpSink::free_port().await).await;
    let server = TestServer::start(Engine::Sqlite, Options::training_with_mail(sink.port)).await;
    let (choices, hospital) = server.sign_up_choices_in("ERN-RND").await;
    let hospital = &hospital;
    let browser = Browser::start(1280, 900).await;

    // Page 1: about you. The hospital's networks are offered once it is
    // chosen.
    browser.goto(&server.url("/signup")).await;
    assert_eq!(browser.text("h1").await, "About you and where you work");
    photograph(&browser, "01-about-empty").await;
    browser.type_into("#display_name", "Bea Browser").await;
    browser.type_into("#email", "bea@example.org").await;
    browser.type_into("#username", "bea.browser").await;
    browser.type_into("#hospital", hospital.code.as_str()).await;
    browser.click("button[value=focus]").await;
    // Each form post stays at /signup: wait for what only the next page has.
    browser.find("#hospital-erns").await;
    assert!(
        browser
            .text("#signup-error")
            .await
            .contains("choose the ERNs you work in")
    );
    photograph(&browser, "02-about-networks").await;
    browser.click("#hospital-erns input[value=ERN-RND]").await;
    browser.click("button[value=focus]").await;

    // Page 2: clinical focus.
    browser.find("#profession").await;
    assert_eq!(browser.text("h1").await, "Your clinical focus");
    browser.click("input[name=cares_for][value=both]").await;
    browser
        .select("#profession", choices.professions[0].0.as_str())
        .await;
    browser.click("#areas input[name=areas]").await;
    browser
        .type_into("#specialist_in", "Hereditary spastic paraplegias")
        .await;
    photograph(&browser, "03-focus").await;
    browser.click("button[value=overview]").await;
    browser.find("dl.overview").await;

    // Page 3: the overview, with Edit and Submit.
    assert_eq!(browser.text("h1").await, "Check and submit");
    let overview = browser.text("dl.overview").await;
    assert!(overview.contains("Bea Browser"), "{overview}");
    assert!(overview.contains("ERN-RND"), "{overview}");
    assert!(
        overview.contains("Hereditary spastic paraplegias"),
        "{overview}"
    );
    photograph(&browser, "04-overview").await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("button[value=submit]").await;
    browser.find("#requests").await;
    assert_eq!(browser.text("h1").await, "Your request is sent");
    assert!(browser.text("#requests").await.contains("requested"));
    photograph(&browser, "05-sent").await;

    // The coordinator approves in the queue.
    let coordinator = server.training_password("ern-rnd-coordinator");
    password_step(&browser, &server, "ern-rnd-coordinator", &coordinator).await;
    browser.wait_for_url(|u| u.ends_with('/')).await;
    browser.goto(&server.url("/erns/ERN-RND/requests")).await;
    assert!(browser.text("#queue").await.contains("Bea Browser"));
    photograph(&browser, "06-queue").await;
    browser.click("#queue button[name=approve_one]").await;
    browser
        .wait_for_url(|u| u.contains("/erns/ERN-RND/requests"))
        .await;
    browser.goto(&server.url("/erns/ERN-RND/requests")).await;
    assert!(browser.text("main").await.contains("No requests match"));
    photograph(&browser, "07-queue-empty").await;
    browser.click(".user-box button[type=submit]").await;
    browser.wait_for_url(|u| u.ends_with("/signin")).await;

    // The e-mail arrives.
    let mail = sink.wait_for("bea@example.org").await;
    assert!(
        mail.data
            .contains("Subject: Your access request to ERN-RND is approved"),
        "{}",
        mail.data
    );

    // The applicant signs in: an authenticator app is set up first.
    password_step(&browser, &server, "bea.browser", PASSWORD).await;
    browser
        .wait_for_url(|u| u.ends_with("/account/enrol"))
        .await;
    let key = browser.text("#manual-key").await.replace(' ', "");
    browser.type_into("#code", &totp_code(&key, 0)).await;
    browser.click("form[action='/account/totp'] button").await;
    browser.wait_for_url(|u| u.ends_with("/account/totp")).await;
    browser.click("a.button").await;
    browser.wait_for_url(|u| u.ends_with('/')).await;
    assert!(browser.text("h1").await.starts_with("Welcome"));
    browser.goto(&server.url("/access-requests")).await;
    assert!(browser.text("#my-requests").await.contains("approved"));
    photograph(&browser, "08-my-requests").await;

    // The profile from sign-up is editable, and the approved applicant is
    // found in the expert directory by it.
    browser.click(".main-nav a[href='/experts']").await;
    browser.wait_for_url(|u| u.ends_with("/experts")).await;
    browser.click("a[href='/account/profile']").await;
    browser
        .wait_for_url(|u| u.ends_with("/account/profile"))
        .await;
    photograph(&browser, "09-profile").await;
    browser
        .type_into(
            "#specialist_in",
            "Hereditary spastic paraplegias; gait clinics",
        )
        .await;
    browser
        .click("form[action='/account/profile'] button")
        .await;
    browser.find("#profile-notice").await;
    browser
        .goto(&server.url("/experts?q=gait+paraplegias"))
        .await;
    assert!(browser.text("#experts").await.contains("Bea Browser"));
    photograph(&browser, "10-directory").await;

    browser.quit().await;
    sink.stop();
    server.stop().await;
}
