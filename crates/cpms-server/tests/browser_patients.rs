//! A clinician's journey in a real browser: enrol a patient with consent,
//! code two HPO terms and an ORPHA diagnosis through the type-ahead, add a
//! variant, a laboratory result and a treatment, then open the history, draw a pedigree, record a research-contact consent, attach a PDF, record the withdrawal
//! of consent and erase the patient; screenshots of each page go to
//! target/screenshots/.
#![allow(clippy::unwrap_used)]

use cpms_testkit::Engine;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::server::TestServer;
use serde_json::json;

/// A full-page screenshot from the top (typing scrolls the page, which
/// would cut the training banner off).
async fn shoot(browser: &Browser, name: &str) {
    browser.script("window.scrollTo(0, 0)", json!([])).await;
    browser.screenshot(&screenshot_path(name), true).await;
}

/// Clicks a submit button and waits until the next page has loaded (the
/// editor redirects to its own URL, so the URL cannot tell).
async fn submit(browser: &Browser, button: &str) {
    browser
        .script("window.beforeSubmit = true", json!([]))
        .await;
    browser.click(button).await;
    for _ in 0..100 {
        let loaded = browser
            .script(
                "return !window.beforeSubmit && document.readyState === 'complete'",
                json!([]),
            )
            .await;
        if loaded == json!(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no new page after clicking {button}");
}

/// Runs the editor's "Add a relative" form.
async fn add_relative(browser: &Browser, relation: &str, of: u32, sex: &str) {
    browser.select("#relation", relation).await;
    browser.select("#of", &of.to_string()).await;
    browser.select("#new-sex", sex).await;
    submit(browser, "#add-form button").await;
}

/// From the record page: the proband's parents, maternal grandparents
/// (related by blood), an affected brother and a carrier mother.
async fn draw_three_generations(browser: &Browser) {
    browser.click("#edit-pedigree").await;
    browser.wait_for_url(|u| u.ends_with("/pedigree")).await;
    add_relative(browser, "parents", 1, "unknown").await;
    // Parents are ids 2 (mother) and 3 (father); her parents 4 and 5.
    add_relative(browser, "parents", 2, "unknown").await;
    add_relative(browser, "sibling", 1, "male").await;
    browser
        .select("#individual-6 select[name=affection]", "affected")
        .await;
    submit(browser, "#individual-6 button[value=change]").await;
    browser.click("#individual-2 input[name=carrier]").await;
    submit(browser, "#individual-2 button[value=change]").await;
    browser
        .click("#couple-list li:last-child input[name=consanguineous]")
        .await;
    submit(browser, "#couple-list li:last-child button").await;
    let described = drawing_description(browser, "#pedigree-drawing").await;
    for expected in [
        "6 individuals in 3 generations",
        "Affected: III-",
        "Carriers: II-",
        "Consanguineous couples: 1",
    ] {
        assert!(described.contains(expected), "{expected}: {described}");
    }
    let ped = browser
        .script(
            "return fetch(location.pathname + '.ped').then(r => r.text())",
            json!([]),
        )
        .await;
    let ped = ped.as_str().unwrap_or_default().to_owned();
    assert_eq!(ped.lines().count(), 6, "{ped}");
    assert!(
        ped.lines().any(|l| l.ends_with("\t1\t2")),
        "affected brother: {ped}"
    );
    shoot(browser, "patients-04-pedigree").await;
    submit(browser, ".crumbs a").await;
    let on_record = drawing_description(browser, ".pedigree-drawing").await;
    assert_eq!(on_record, described);
}

/// The drawing's accessible description, which lists what it shows.
async fn drawing_description(browser: &Browser, container: &str) -> String {
    let desc = browser
        .script(
            "return document.querySelector(arguments[0] + ' svg desc').textContent",
            json!([container]),
        )
        .await;
    desc.as_str().unwrap_or_default().to_owned()
}

/// Types into a type-ahead field and picks the suggestion with `code`.
async fn pick(browser: &Browser, field: &str, typed: &str, code: &str) {
    browser.type_into(field, typed).await;
    browser
        .click(&format!(".suggestions li[data-code='{code}']"))
        .await;
    let value = browser
        .script(
            "return document.querySelector(arguments[0]).value",
            json!([field]),
        )
        .await;
    assert_eq!(value, json!(code));
}

#[tokio::test]
async fn clinician_enrols_and_codes_a_patient() {
    let server = TestServer::training(Engine::Sqlite).await;
    let browser = Browser::start(1280, 900).await;
    browser
        .submit_password(
            &server.url("/signin"),
            "bond-hp1",
            &server.training_password("bond-hp1"),
        )
        .await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
    // Parsing the shipped terminology takes seconds in a debug build; do it
    // before the first keystroke rather than inside the element wait.
    server.app().terminology().await.unwrap();

    browser.click(".main-nav a[href^='/centres/']").await;
    browser.wait_for_url(|u| u.contains("/centres/")).await;
    browser.click("a[href$='/patients/new']").await;
    browser.wait_for_url(|u| u.ends_with("/patients/new")).await;
    browser
        .script(
            "document.querySelector('#care_consent_date').value = '2026-01-10';\
             document.querySelector('#date_of_birth').value = '2014-02-17';",
            json!([]),
        )
        .await;
    browser.click("#registry_consent").await;
    browser.type_into("#name", "Giulia Bianchi").await;
    browser.type_into("#record_number", "MRN-2231").await;
    browser.type_into("#country", "IT").await;
    browser.type_into("#nickname", "bed 4").await;
    shoot(&browser, "patients-01-enrol").await;
    browser.click("form.wide-form button[type=submit]").await;
    browser
        .wait_for_url(|u| u.contains("/patients/") && !u.ends_with("/new"))
        .await;
    assert_eq!(browser.text("#patient-name").await, "Giulia Bianchi");
    let record_url = browser.current_url().await;

    pick(&browser, "#hpo-code", "seizu", "HP:0001250").await;
    submit(&browser, "form[action$='/phenotypes'] button").await;
    pick(&browser, "#hpo-code", "hypoton", "HP:0001252").await;
    submit(&browser, "form[action$='/phenotypes'] button").await;
    pick(&browser, "#disease-code", "marfan", "ORPHA:558").await;
    submit(&browser, "form[action$='/diagnoses'] button").await;
    let phenotypes = browser.text("#phenotype-list").await;
    assert!(
        phenotypes.contains("Seizure") && phenotypes.contains("Hypotonia"),
        "{phenotypes}"
    );
    assert!(
        browser
            .text("#diagnosis-list")
            .await
            .contains("Marfan syndrome")
    );
    shoot(&browser, "patients-02-record").await;

    browser.click("a[href$='/history']").await;
    browser.wait_for_url(|u| u.contains("/history")).await;
    // Not any `form button.secondary`: the header's sign-out button is one.
    browser.click("#compare").await;
    browser.wait_for_url(|u| u.contains("a=")).await;
    let changes = browser.text("#diff ~ ul").await;
    assert!(changes.contains("Marfan syndrome"), "{changes}");
    shoot(&browser, "patients-03-history").await;

    browser.click(".crumbs a").await;
    browser.type_into("#variant-gene", "FBN1").await;
    browser
        .type_into("#variant-hgvs", "NM_000138.5:c.1585C>T")
        .await;
    browser.select("#variant-class", "likely_pathogenic").await;
    submit(&browser, "form[action$='/variants'] button").await;
    browser.type_into("#lab-name", "Creatine kinase").await;
    browser.type_into("#lab-loinc", "2157-6").await;
    browser.type_into("#lab-value", "1450").await;
    browser.type_into("#lab-unit", "U/L").await;
    browser.type_into("#lab-range", "30-200").await;
    browser
        .script(
            "document.querySelector('#lab-date').value = '2026-10-02'",
            json!([]),
        )
        .await;
    submit(&browser, "form[action$='/labs'] button").await;
    browser
        .script(
            "document.querySelector('#treatment-started').value = '2026-03-01'",
            json!([]),
        )
        .await;
    browser
        .type_into("#treatment-name", "Losartan 50 mg daily")
        .await;
    submit(&browser, "form[action$='/treatments'] button").await;
    assert!(
        browser
            .text("#variant-list")
            .await
            .contains("likely pathogenic")
    );
    assert!(browser.text("#lab-list").await.contains("1450 U/L"));
    assert!(browser.text("#treatment-list").await.contains("(ongoing)"));
    browser
        .script(
            "document.querySelector('#genetics').scrollIntoView()",
            json!([]),
        )
        .await;
    browser
        .screenshot(
            &screenshot_path("patients-03b-genetics-labs-treatments"),
            false,
        )
        .await;

    draw_three_generations(&browser).await;

    browser.goto(&server.url("/")).await;
    browser.click(".main-nav a[href^='/centres/']").await;
    browser.click("a[href$='/patients']").await;
    browser.wait_for_url(|u| u.ends_with("/patients")).await;
    assert!(browser.text("#patients").await.contains("Giulia Bianchi"));
    shoot(&browser, "patients-05-list").await;

    browser.goto(&record_url).await;
    browser.select("#consent-kind", "research_contact").await;
    browser.select("#consent-status", "given").await;
    browser
        .script(
            "document.querySelector('#consent-date').value = '2026-10-05'",
            json!([]),
        )
        .await;
    submit(&browser, "#record-consent").await;
    let consents = browser.text("#consent-list").await;
    assert!(
        consents.contains("given Being contacted for research · 2026-10-05"),
        "{consents}"
    );
    browser
        .script(
            "document.querySelector('#consents').scrollIntoView()",
            json!([]),
        )
        .await;
    browser
        .screenshot(&screenshot_path("patients-05b-consents"), false)
        .await;

    let letter = tempfile::tempdir().unwrap();
    let pdf = letter.path().join("clinic letter.pdf");
    std::fs::write(&pdf, "%PDF-1.4\n(Clinic letter)\n%%EOF\n").unwrap();
    browser.choose_file("#attachment-file", &pdf).await;
    submit(&browser, "#attach").await;
    let attached = browser.text("#attachment-list").await;
    assert!(attached.contains("clinic letter.pdf"), "{attached}");
    browser
        .script(
            "document.querySelector('#attachments').scrollIntoView()",
            json!([]),
        )
        .await;
    browser
        .screenshot(&screenshot_path("patients-06-attachment"), false)
        .await;

    browser.click("input[name=confirm]").await;
    submit(&browser, "#withdraw").await;
    assert!(browser.text(".alert.info").await.contains("locked"));
    let pseudonym = record_url.rsplit('/').next().unwrap().to_owned();
    browser.type_into("#erase-confirmation", &pseudonym).await;
    submit(&browser, "#erase").await;
    assert!(browser.text("#identity ~ .empty").await.contains("Erased"));
    shoot(&browser, "patients-07-erased").await;
    browser.quit().await;
    server.stop().await;
}
