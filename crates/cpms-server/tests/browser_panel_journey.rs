//! Issue 5's acceptance journey in real browsers, with mail through a real
//! SMTP sink, across the BOND training hospitals (each of its clinicians
//! works in a different country): the lead asks for an urgent consultation
//! with the network's help; the coordinator assigns two experts from the
//! triage queue; one accepts and contributes, the other declines with a
//! reason; a guest invited by e-mail follows the mailed link, signs up and
//! contributes; the lead schedules a meeting whose iCalendar invitation
//! arrives by mail; the lead writes the outcome, the members sign it, the
//! lead closes the panel and the PDF downloads with the lead's cookies.
//! HTTP helpers only prepare the patient and the experts' profiles.
//! Screenshots of every step go to target/screenshots/panel-journey-*.png.
#![allow(clippy::unwrap_used)]

mod support;

use base64::Engine as _;
use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::identity::totp_code;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::{Received, SmtpSink};
use reqwest::StatusCode;
use serde_json::json;
use support::{clinic, notices, panel};

const GUEST_EMAIL: &str = "ada.guest@example.org";

async fn shoot(browser: &Browser, name: &str) {
    browser.script("window.scrollTo(0, 0)", json!([])).await;
    browser
        .screenshot(&screenshot_path(&format!("panel-journey-{name}")), true)
        .await;
    // A full-page shot grows the window; the next page starts at the
    // usual size again.
    browser.set_window(1280, 900).await;
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

/// Waits until the page's `css` element contains `text` (pages that follow
/// a form post are read only once they have loaded).
async fn wait_for_text(browser: &Browser, css: &str, text: &str) {
    browser.find(css).await;
    browser
        .wait_for_script(
            &format!(
                "const e = document.querySelector({}); return !!e && e.textContent.includes({})",
                json!(css),
                json!(text)
            ),
            json!(true),
        )
        .await;
}

/// Gives `username` an expert profile so the directory finds them.
async fn expert_profile(server: &TestServer, username: &str, focus: &str) {
    let client = clinic::signed_in(server, username).await;
    let saved = client
        .post_form(
            "/account/profile",
            "/account/profile",
            &[
                ("cares_for", "both"),
                ("profession", "clinical_geneticist"),
                ("specialist_in", focus),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
}

/// The meeting invitation mailed to `to` (the panel's notification of the
/// same meeting is a separate, plain message).
async fn invitation_for(sink: &SmtpSink, to: &str) -> Received {
    loop {
        if let Some(m) = sink
            .messages()
            .into_iter()
            .find(|m| m.to == to && m.data.contains("text/calendar"))
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Fetches `path` with the browser's own cookies; returns the bytes.
async fn download(browser: &Browser, path: &str) -> Vec<u8> {
    // WebDriver waits for the promise; the bytes come back as base64.
    let encoded = browser
        .script(
            "return fetch(arguments[0], {credentials: 'same-origin'})
               .then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))
               .then(b => { let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); return btoa(s); })",
            json!([path]),
        )
        .await;
    base64::engine::general_purpose::STANDARD
        .decode(encoded.as_str().unwrap())
        .unwrap()
}

#[tokio::test]
async fn an_urgent_consultation_from_request_to_signed_pdf() {
    let sink = SmtpSink::start(0).await;
    let server = TestServer::start(Engine::Sqlite, Options::training_with_mail(sink.port)).await;
    // The lead and the two experts work in three different countries.
    let countries: Vec<String> = {
        let mut seen = Vec::new();
        for who in ["bond-hp1", "bond-hp2", "bond-hp3"] {
            seen.push(clinic::hospital_of(&server, who).await[..2].to_owned());
        }
        seen
    };
    assert!(
        countries[0] != countries[1] && countries[0] != countries[2],
        "{countries:?}"
    );
    let setup = clinic::signed_in(&server, "bond-hp1").await;
    let record = panel::coded_patient(&server, &setup).await;
    expert_profile(&server, "bond-hp2", "Osteogenesis imperfecta in children").await;
    expert_profile(
        &server,
        "bond-hp3",
        "Osteogenesis imperfecta and bone fragility in adults",
    )
    .await;
    let emails = [
        notices::account(&server, "bond-hp1").await.email,
        notices::account(&server, "bond-hp2").await.email,
    ];

    // 1. The lead requests an urgent consultation and asks the ERN for help.
    let lead = Browser::start(1280, 900).await;
    sign_in(&lead, &server, "bond-hp1").await;
    lead.goto(&server.url(&record)).await;
    lead.click("#request-consultation").await;
    lead.wait_for_url(|u| u.ends_with("/consultation")).await;
    lead.select("#urgency", "urgent").await;
    lead.click("#section-phenotype").await;
    lead.type_into(
        "#questions",
        "Is this osteogenesis imperfecta, and which type? Would bisphosphonates help?",
    )
    .await;
    lead.click("#ern_help").await;
    shoot(&lead, "01-request").await;
    lead.click("#submit-request").await;
    let panel_url = lead.wait_for_url(|u| u.contains("/panels/BOND-")).await;
    let panel_path = panel_url[server.url("").len()..].to_owned();
    wait_for_text(&lead, "#panel-state", "triage").await;
    assert!(lead.text("#urgent").await.contains("urgent"));
    shoot(&lead, "02-waiting-for-triage").await;

    // 2. The coordinator assigns two experts from the triage queue.
    let other = Browser::start(1280, 900).await;
    sign_in(&other, &server, "bond-coordinator").await;
    other.goto(&server.url("/erns/BOND")).await;
    other.click("#triage-link").await;
    other.wait_for_url(|u| u.ends_with("/triage")).await;
    let queue = other.text("#triage-queue").await;
    assert!(queue.contains("urgent"), "{queue}");
    shoot(&other, "03-triage-queue").await;
    other
        .click(&format!("#triage-queue a[href='{panel_path}']"))
        .await;
    other.wait_for_url(|u| u.ends_with(&panel_path)).await;
    other.click("#invite-experts").await;
    other.wait_for_url(|u| u.ends_with("/invite")).await;
    other.type_into("#q", "osteogenesis").await;
    other.click("form[role=search] button").await;
    other.wait_for_url(|u| u.contains("q=osteogenesis")).await;
    for expert in ["bond-hp2", "bond-hp3"] {
        let id = panel::user_id(&server, expert).await;
        other
            .click(&format!("#experts input[name=experts][value='{id}']"))
            .await;
    }
    shoot(&other, "04-assign-experts").await;
    other.click("#forward").await;
    other
        .wait_for_url(|u| u.ends_with(&panel_path) || u.contains(&format!("{panel_path}#")))
        .await;
    wait_for_text(&other, "#panel-state", "Open").await;
    let members = other.text("#members").await;
    assert_eq!(members.matches("Waiting").count(), 2, "{members}");
    shoot(&other, "05-forwarded").await;
    sign_out(&other).await;

    // 3. Expert A accepts from "my panels" and contributes.
    sign_in(&other, &server, "bond-hp2").await;
    other.goto(&server.url("/panels")).await;
    wait_for_text(&other, "#waiting-list", "Invitation to answer").await;
    other
        .click(&format!("#waiting-list a[href='{panel_path}']"))
        .await;
    other.wait_for_url(|u| u.ends_with(&panel_path)).await;
    other.click("#accept").await;
    other.find("#post-form").await;
    other
        .type_into(
            "#body",
            "Type I osteogenesis imperfecta is likely; sequence COL1A1/COL1A2.",
        )
        .await;
    other.click("#send").await;
    wait_for_text(&other, "#posts", "COL1A1/COL1A2").await;
    assert!(other.text("#shared-record").await.contains("HP:0001250"));
    shoot(&other, "06-expert-a-contributed").await;
    sign_out(&other).await;

    // 4. Expert B declines with a reason.
    sign_in(&other, &server, "bond-hp3").await;
    other.goto(&panel_url).await;
    other.find("#invitation-card").await;
    other
        .type_into("#reason", "On leave until next month")
        .await;
    shoot(&other, "07-expert-b-declines").await;
    other.click("#decline").await;
    other.wait_for_url(|u| u.contains("/panels")).await;
    sign_out(&other).await;

    // 5. The lead sees both answers and invites a guest by e-mail.
    lead.goto(&panel_url).await;
    wait_for_text(&lead, "#members", "On leave until next month").await;
    assert!(lead.text("#members").await.contains("Accepted"));
    lead.click("#invite-experts").await;
    lead.wait_for_url(|u| u.ends_with("/invite")).await;
    lead.type_into("#guest-name", "Dr Ada Guest").await;
    lead.type_into("#guest-email", GUEST_EMAIL).await;
    lead.click("#send-guest").await;
    wait_for_text(&lead, "#guest-invitations", GUEST_EMAIL).await;
    shoot(&lead, "08-answers-and-guest-invited").await;

    // 6. The guest follows the mailed link, signs up and contributes.
    let mail = sink.wait_for(GUEST_EMAIL).await;
    let text = &mail.parts()[0];
    let start = text.find("http").unwrap();
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let guest = Browser::start(1280, 900).await;
    guest
        .goto(&server.url(&link[server.localhost_url("").len()..]))
        .await;
    guest.find("#join").await;
    guest.type_into("#username", "ada.guest").await;
    guest
        .type_into("#hospital", "Oslo University Hospital")
        .await;
    guest.select("#country", "NO").await;
    guest.select("#profession", "clinical_geneticist").await;
    guest
        .type_into("#specialist_in", "Collagen disorders")
        .await;
    guest
        .type_into("#password", "a long passphrase for the guest")
        .await;
    shoot(&guest, "09-guest-sign-up").await;
    guest.click("#join").await;
    guest.wait_for_url(|u| u.ends_with("/account/enrol")).await;
    let key = guest.text("#manual-key").await.replace(' ', "");
    guest.type_into("#code", &totp_code(&key, 0)).await;
    guest.click("form[action='/account/totp'] button").await;
    guest.wait_for_url(|u| u.ends_with("/account/totp")).await;
    guest.goto(&panel_url).await;
    guest.click("#accept").await;
    guest.find("#post-form").await;
    guest
        .type_into(
            "#body",
            "As a guest: check hearing before starting treatment.",
        )
        .await;
    guest.click("#send").await;
    wait_for_text(&guest, "#posts", "check hearing").await;
    shoot(&guest, "10-guest-contributed").await;

    // 7. The lead schedules a meeting; the invitation arrives by mail.
    lead.goto(&panel_url).await;
    wait_for_text(&lead, "#contribution-count", "2").await;
    lead.click("#schedule-meeting").await;
    lead.wait_for_url(|u| u.ends_with("/meetings/new")).await;
    let day = jiff::Zoned::now()
        .date()
        .saturating_add(jiff::ToSpan::days(14));
    // Date and time pickers take keys in the browser's locale order, so the
    // values are set the way the picker itself would set them.
    lead.script(
        "document.querySelector('#date').value = arguments[0];
         document.querySelector('#time').value = '15:30';",
        json!([day.to_string()]),
    )
    .await;
    lead.select("#time_zone", "Europe/Brussels").await;
    lead.type_into("#agenda", "1. Imaging review\n2. Genetic testing plan")
        .await;
    shoot(&lead, "11-schedule-meeting").await;
    lead.click("#save-meeting").await;
    lead.wait_for_url(|u| u.ends_with(&panel_path) || u.contains("#meetings"))
        .await;
    wait_for_text(&lead, "#meeting-list", "15:30 (Europe/Brussels)").await;
    shoot(&lead, "12-meeting-scheduled").await;
    let dtstart = day
        .at(15, 30, 0, 0)
        .in_tz("Europe/Brussels")
        .unwrap()
        .timestamp()
        .strftime("DTSTART:%Y%m%dT%H%M%SZ")
        .to_string();
    let reference = panel_path.trim_start_matches("/panels/");
    for to in [emails[0].as_str(), emails[1].as_str(), GUEST_EMAIL] {
        let message = invitation_for(&sink, to).await;
        assert!(
            message.data.contains("Content-Type: text/calendar"),
            "{}",
            message.data
        );
        let ics = message
            .parts()
            .into_iter()
            .find(|p| p.starts_with("BEGIN:VCALENDAR"))
            .expect("a calendar part");
        assert!(ics.contains("METHOD:REQUEST"), "{ics}");
        assert!(ics.contains(&dtstart), "{dtstart} in {ics}");
        let summary = ics
            .lines()
            .find(|l| l.starts_with("SUMMARY:"))
            .unwrap_or_default();
        assert!(summary.contains(reference), "{summary}");
    }

    // 8. The lead writes the outcome and sends it for sign-off.
    lead.click("#step-start_outcome").await;
    lead.wait_for_url(|u| u.contains(&panel_path)).await;
    wait_for_text(&lead, "#panel-state", "utcome").await;
    lead.click("#outcome-link").await;
    lead.wait_for_url(|u| u.ends_with("/outcome")).await;
    lead.find("#outcome-form").await;
    lead.type_into(
        "#discussion",
        "Both answering experts favour a collagen type I defect.",
    )
    .await;
    lead.type_into("#diagnosis-code-1", "osteogenesis").await;
    lead.click("#diagnosis-rows .suggestions li[data-code]")
        .await;
    lead.select("#diagnosis-certainty-1", "probable").await;
    lead.type_into("#investigations", "COL1A1/COL1A2 sequencing\nAudiology")
        .await;
    lead.type_into("#plan", panel::CONCLUSION_PLAN).await;
    lead.type_into("#follow_up", "Review in six months.").await;
    shoot(&lead, "13-outcome-form").await;
    lead.click("#send-for-sign-off").await;
    lead.find("#outcome-document").await;
    shoot(&lead, "14-outcome-sent").await;

    // 9. The members sign off.
    sign_in(&other, &server, "bond-hp2").await;
    let outcome_url = format!("{panel_url}/outcome");
    other.goto(&outcome_url).await;
    other.click("#sign").await;
    wait_for_text(&other, "#sign-offs", "Signed").await;
    sign_out(&other).await;
    guest.goto(&outcome_url).await;
    guest.click("#sign").await;
    wait_for_text(&guest, "#sign-offs", "Signed").await;
    shoot(&guest, "15-signed-off").await;

    // 10. The lead closes; the PDF downloads.
    lead.goto(&outcome_url).await;
    lead.wait_for_script(
        "return document.querySelectorAll('#sign-offs tbody tr').length >= 2 \
         && (document.querySelector('#sign-offs').textContent.match(/Signed/g) || []).length",
        json!(2),
    )
    .await;
    lead.click("#step-close").await;
    wait_for_text(&lead, "#panel-state", "Closed").await;
    lead.goto(&outcome_url).await;
    lead.find("#pdf-1").await;
    shoot(&lead, "16-closed").await;
    // The lead issued it: not waiting to sign. The guest's hospital is the
    // one they named, not the guest-access entry they are attached to.
    let sign_offs = lead.text("#sign-offs").await;
    assert!(
        sign_offs.contains("Issued") && !sign_offs.contains("Waiting"),
        "{sign_offs}"
    );
    let composition = lead.text("#doc-composition").await;
    assert!(
        composition.contains("Oslo University Hospital (guest, NO)")
            && !composition.contains("Guest Access"),
        "{composition}"
    );
    let href = lead
        .script(
            "return document.querySelector('#pdf-1').getAttribute('href')",
            json!([]),
        )
        .await;
    let pdf = download(&lead, href.as_str().unwrap()).await;
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let png = support::pdf::first_page_png(&pdf, "panel-journey-pdf-1");
    assert!(std::fs::metadata(&png).unwrap().len() > 1000);
    let text = support::pdf::pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Oslo University Hospital (guest)") && !text.contains("Guest Access"),
        "{text}"
    );
    assert!(text.contains("Issued "), "the lead's sign-off row: {text}");

    for browser in [lead, other, guest] {
        browser.quit().await;
    }
    server.stop().await;
    sink.stop();
}
