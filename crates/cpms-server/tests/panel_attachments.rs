//! Attachments a panel shares, downloaded by its people on both engines:
//! members who accepted and the lead download them from the panel page
//! and the JSON API under a name made from the panel, the bytes the owner
//! sees; an unshared attachment of the same record, a decliner, an
//! outsider and the network's coordinator are refused and audited; an
//! archived panel still lets members read. In a browser, the case card
//! links the shared file.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::browser::{Browser, screenshot_path};
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::clinic::signed_in;
use support::files::{download_links, upload};
use support::panel::{
    accept, answer, coded_patient, invite, outcome_for_sign_off, step, stored, user_id,
};

both_engines!(members_download_what_is_shared_and_nothing_else);

const SHARED_NAME: &str = "Rossi exome report.pdf";
const UNSHARED_NAME: &str = "Rossi family letter.pdf";

fn pdf(title: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Title ({title}) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// The record's two attachments as (id, owner's download path): the first
/// uploaded is the one to share.
async fn two_attachments(lead: &Client, record: &str) -> [(String, String); 2] {
    for (name, title) in [(SHARED_NAME, "Exome"), (UNSHARED_NAME, "Letter")] {
        let response = upload(lead, record, name, "application/pdf", pdf(title), false).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "upload {name}");
    }
    let links = download_links(lead, record).await;
    assert_eq!(links.len(), 2, "{links:?}");
    let id = |link: &str| link.rsplit('/').next().unwrap().to_owned();
    let (first, second) = (links[0].clone(), links[1].clone());
    // The record lists files newest first or oldest first; tell them apart
    // by what they hold.
    let first_is_exome = lead
        .get(&first)
        .await
        .bytes()
        .await
        .unwrap()
        .windows(5)
        .any(|w| w == b"Exome");
    if first_is_exome {
        [(id(&first), first), (id(&second), second)]
    } else {
        [(id(&second), second), (id(&first), first)]
    }
}

async fn get(client: &Client, path: &str) -> (StatusCode, String, String, Vec<u8>) {
    let response = client.get(path).await;
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (disposition, cache) = (header("content-disposition"), header("cache-control"));
    assert!(
        status != StatusCode::OK || cache == "no-store",
        "downloads are not cached"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    (status, disposition, cache, bytes)
}

/// A panel of `bond-hp1` sharing the first of two attachments of the
/// record, `bond-hp2` accepted and `bond-hp3` declined.
struct Shared {
    server: TestServer,
    lead: Client,
    member: Client,
    decliner: Client,
    panel: String,
    reference: String,
    shared: String,
    unshared: String,
    /// The shared file as its owner downloads it.
    owner_bytes: Vec<u8>,
}

async fn shared_panel(engine: Engine) -> Shared {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let record = coded_patient(&server, &lead).await;
    let [(shared, owner_shared), (unshared, _)] = two_attachments(&lead, &record).await;
    let owner_bytes = get(&lead, &owner_shared).await.3;

    let form = format!("{record}/consultation");
    let made = lead
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                ("questions", "Does the exome explain the fractures?"),
                ("urgency", "routine"),
                ("sections", "summary"),
                ("attachments", &shared),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let panel = made.headers()["location"].to_str().unwrap().to_owned();
    let reference = panel.trim_start_matches("/panels/").to_owned();
    invite(
        &lead,
        &panel,
        &[
            user_id(&server, "bond-hp2").await,
            user_id(&server, "bond-hp3").await,
        ],
    )
    .await;
    let member = signed_in(&server, "bond-hp2").await;
    accept(&member, &panel).await;
    let decliner = signed_in(&server, "bond-hp3").await;
    answer(
        &decliner,
        &panel,
        &[("answer", "decline"), ("reason", "Away")],
    )
    .await;
    Shared {
        server,
        lead,
        member,
        decliner,
        panel,
        reference,
        shared,
        unshared,
        owner_bytes,
    }
}

async fn members_download_what_is_shared_and_nothing_else(engine: Engine) {
    let Shared {
        server,
        lead,
        member,
        decliner,
        panel,
        reference,
        shared,
        unshared,
        owner_bytes,
    } = shared_panel(engine).await;

    // The panel page links the shared file only, without its name.
    let (_, page) = member.get_text(&panel).await;
    let link = format!("{panel}/attachments/{shared}");
    assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
    assert!(!page.contains(&unshared), "the unshared file is not listed");
    assert!(!page.contains("Rossi"), "file names are not shared");

    let (status, disposition, _, bytes) = get(&member, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, owner_bytes, "the owner's file, opened the same way");
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"{reference}-document-{}.pdf\"",
            &shared[..8]
        )
    );
    let (status, _, _, bytes) = get(&lead, &link).await;
    assert_eq!((status, bytes), (StatusCode::OK, owner_bytes.clone()));

    // The same through the API: the shared record names the download.
    let (status, json) = member
        .get_text(&format!("/api/v1/panels/{reference}/shared"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let json: Value = serde_json::from_str(&json).unwrap();
    let listed = json["attachments"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{json}");
    let api_link = listed[0]["download"].as_str().unwrap().to_owned();
    assert_eq!(
        api_link,
        format!("/api/v1/panels/{reference}/shared/attachments/{shared}")
    );
    let (status, disposition, _, bytes) = get(&member, &api_link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, owner_bytes);
    assert!(disposition.contains(&reference), "{disposition}");

    // An attachment of the same record the panel does not share.
    for path in [
        format!("{panel}/attachments/{unshared}"),
        format!("/api/v1/panels/{reference}/shared/attachments/{unshared}"),
    ] {
        let (status, _, _, body) = get(&member, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!body.windows(6).any(|w| w == b"Letter"));
    }
    let api = member
        .get(&format!(
            "/api/v1/panels/{reference}/shared/attachments/{unshared}"
        ))
        .await;
    assert_eq!(
        api.headers()["content-type"],
        "application/problem+json",
        "the API answers a problem"
    );
    let (status, _, _, _) = get(&member, &format!("{panel}/attachments/..%2F..%2Fetc")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an invented id");

    // People who may not read the shared record.
    let outsider = signed_in(&server, "bond-hp4").await;
    let coordinator = signed_in(&server, "bond-coordinator").await;
    for (who, client) in [
        ("decliner", &decliner),
        ("outsider", &outsider),
        ("coordinator", &coordinator),
    ] {
        let (status, _, _, body) = get(client, &link).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        assert!(!body.windows(5).any(|w| w == b"Exome"), "{who}");
        let (status, _, _, _) = get(client, &api_link).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} through the API");
    }

    // Archived: read-only, still readable.
    outcome_for_sign_off(&lead, &panel).await;
    for fields in [
        [("transition", "close"), ("confirm_few", "on")],
        [("transition", "archive"), ("comment", "")],
    ] {
        let r = step(&lead, &panel, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{fields:?}");
    }
    assert_eq!(stored(&server, &panel).await.state.as_str(), "archived");
    let (status, _, _, bytes) = get(&member, &link).await;
    assert_eq!((status, bytes), (StatusCode::OK, owner_bytes));

    // Audited: each download as a read of the patient's data naming the
    // file, each refusal with who tried.
    let panel_id = stored(&server, &panel).await.id;
    let member_id = user_id(&server, "bond-hp2").await;
    let mut conn = server.app().store().read().await.unwrap();
    let events: Vec<_> = audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    drop(conn);
    let reads = events
        .iter()
        .filter(|e| {
            e.action == "panel.read_shared"
                && e.outcome == Outcome::Success
                && e.actor == Some(member_id)
                && e.target.starts_with("patient:")
                && e.detail.as_deref() == Some(&format!("{reference} attachment {shared}"))
        })
        .count();
    assert_eq!(reads, 3, "page, API and archived downloads");
    let unshared_refusals = events
        .iter()
        .filter(|e| {
            e.action == "panel.read_shared"
                && e.outcome == Outcome::Denied
                && e.target == format!("panel:{panel_id}")
                && e.detail.as_deref().is_some_and(|d| d.contains(&unshared))
        })
        .count();
    assert_eq!(unshared_refusals, 3, "page, API and the problem check");
    let refused = events
        .iter()
        .filter(|e| {
            e.action == "access.view_shared_record"
                && e.outcome == Outcome::Denied
                && e.target == format!("panel:{panel_id}")
        })
        .count();
    assert_eq!(refused, 6, "three people, page and API each");
    server.stop().await;
}

/// The link on the panel page in a real browser: the case card lists the
/// shared file by kind and type, and following it downloads the file.
#[tokio::test]
async fn the_case_card_links_the_shared_file() {
    let Shared {
        server,
        panel,
        shared,
        owner_bytes,
        ..
    } = shared_panel(Engine::Sqlite).await;
    let browser = Browser::start(1280, 900).await;
    browser
        .submit_password(
            &server.url("/signin"),
            "bond-hp2",
            &server.training_password("bond-hp2"),
        )
        .await;
    browser.wait_for_url(|u| !u.contains("/signin")).await;
    browser.goto(&server.url(&panel)).await;
    let listed = browser.text("#shared-attachments").await;
    assert!(
        listed.contains("Document") && listed.contains("PDF"),
        "{listed}"
    );
    browser
        .script(
            "document.querySelector('#shared-record').scrollIntoView()",
            json!([]),
        )
        .await;
    browser
        .screenshot(&screenshot_path("panel-shared-attachments"), false)
        .await;
    // The browser fetches the link with its own session.
    let size = browser
        .script(
            "return fetch(document.querySelector('#shared-attachments a').href, \
               {credentials: 'same-origin'}).then(r => r.arrayBuffer()).then(b => b.byteLength)",
            json!([]),
        )
        .await;
    assert_eq!(size.as_u64(), Some(owner_bytes.len() as u64), "{shared}");
    browser.quit().await;
    server.stop().await;
}
