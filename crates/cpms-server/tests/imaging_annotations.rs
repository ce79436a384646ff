//! The viewer's JSON on both engines: a series' stack with its pixel
//! spacing; annotations measured on the server, shared with the members of
//! a panel sharing the study, removable by their author or an editor of
//! the record, refused (and audited) for outsiders, checked for bad input
//! and CSRF, and gone with an erased patient; the rendered route's
//! `window=centre,width`; the OpenAPI description of it all.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_dicom::synth::Identity;
use cpms_domain::audit::Outcome;
use cpms_store::repo::audit;
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{clinic, imaging, panel};

both_engines!(
    annotations_are_measured_shared_and_removed_by_the_right_people,
    bad_annotations_and_windows_get_clear_answers,
);

/// 32 × 32 CT slices with Pixel Spacing 0.683594 mm.
const SPACING_MM: f64 = 0.683594;

struct Study {
    /// `/studies/{uid}`
    path: String,
    series: String,
    sops: Vec<String>,
}

/// A patient of bond-hp1 with a three-slice CT study; its record's path.
async fn patient_with_study(server: &TestServer, lead: &Client) -> (String, Study) {
    let record = panel::coded_patient(server, lead).await;
    let (status, page) =
        imaging::upload(lead, &record, &imaging::ct_files(&Identity::sample(), 3)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let path = imaging::study_links(&page).remove(0);
    let (status, viewer) = lead.get_text(&format!("{path}/viewer")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        viewer.contains("/static/viewer."),
        "the page loads viewer.js"
    );
    let series = viewer
        .split("data-series=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let (status, body) = lead
        .get_text(&format!("{path}/series/{series}/stack"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stack: Value = serde_json::from_str(&body).unwrap();
    let sops = stack
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["sop_uid"].as_str().unwrap().to_owned())
        .collect();
    (record, Study { path, series, sops })
}

/// Sends JSON with the CSRF token of `from` (as the viewer does).
async fn send(
    client: &Client,
    method: reqwest::Method,
    from: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let csrf = client.csrf(from).await;
    let mut request = client
        .http
        .request(method, client.url(path))
        .header("x-csrf-token", csrf);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn annotate(client: &Client, study: &Study, body: Value) -> (StatusCode, Value) {
    let viewer = format!("{}/viewer", study.path);
    let path = format!("{}/annotations", study.path);
    send(client, reqwest::Method::POST, &viewer, &path, Some(body)).await
}

async fn listed(client: &Client, study: &Study) -> (StatusCode, Value) {
    let (status, body) = client
        .get_text(&format!("{}/annotations", study.path))
        .await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn remove(client: &Client, study: &Study, id: &str) -> StatusCode {
    let viewer = format!("{}/viewer", study.path);
    let path = format!("{}/annotations/{id}", study.path);
    send(client, reqwest::Method::DELETE, &viewer, &path, None)
        .await
        .0
}

fn length(study: &Study, points: Value) -> Value {
    json!({"series_uid": study.series, "sop_uid": study.sops[1], "frame": 1,
           "kind": "length", "points": points})
}

async fn annotations_are_measured_shared_and_removed_by_the_right_people(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = clinic::signed_in(&server, "bond-hp1").await;
    let (record, study) = patient_with_study(&server, &lead).await;
    assert_eq!(study.sops.len(), 3);
    let (_, stack) = lead
        .get_text(&format!("{}/series/{}/stack", study.path, study.series))
        .await;
    let first: Value = serde_json::from_str::<Value>(&stack).unwrap()[0].clone();
    assert_eq!(first["frames"], 1);
    assert_eq!(
        (first["rows"].clone(), first["columns"].clone()),
        (json!(32), json!(32))
    );
    assert_eq!(first["spacing"]["source"], "Pixel Spacing");
    assert_eq!(first["spacing"]["row_mm"], SPACING_MM);
    assert_eq!(first["window"], json!([40.0, 400.0]));

    // Ten pixels across and ten down: the server measures in mm.
    let (status, saved) = annotate(&lead, &study, length(&study, json!([[2, 3], [12, 13]]))).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let expected = (10.0f64 * SPACING_MM).hypot(10.0 * SPACING_MM);
    assert!(
        (saved["length_mm"].as_f64().unwrap() - expected).abs() < 0.001,
        "{saved}"
    );
    assert!((saved["length_px"].as_f64().unwrap() - 200f64.sqrt()).abs() < 1e-9);
    assert_eq!(saved["removable"], true);
    assert_eq!(saved["sop_uid"], study.sops[1]);
    let length_id = saved["id"].as_str().unwrap().to_owned();
    let (status, text) = annotate(
        &lead,
        &study,
        json!({"series_uid": study.series, "sop_uid": study.sops[0], "frame": 1,
               "kind": "text", "points": [[5, 5]], "label": "  Nodule?  "}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    assert_eq!(text["label"], "Nodule?");
    assert_eq!(text["length_mm"], Value::Null);

    // Shared with a panel: its member sees both, may add, may not remove
    // the lead's; the lead, who edits the record, may remove the member's.
    let form = format!("{record}/consultation");
    let uid = study.path.trim_start_matches("/studies/");
    let response = lead
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                ("questions", "Is this nodule new?"),
                ("urgency", "routine"),
                ("sections", "phenotype"),
                ("studies", uid),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let panel_path = response.headers()["location"].to_str().unwrap().to_owned();
    let hp2_id = panel::user_id(&server, "bond-hp2").await;
    panel::invite(&lead, &panel_path, &[hp2_id]).await;
    let member = clinic::signed_in(&server, "bond-hp2").await;
    let (status, _) = listed(&member, &study).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "invited is not yet a member");
    panel::accept(&member, &panel_path).await;
    let (status, seen) = listed(&member, &study).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen.as_array().unwrap().len(), 2);
    assert_eq!(seen[0]["id"], length_id.as_str());
    assert_eq!(seen[0]["removable"], false);
    let (status, arrow) = annotate(
        &member,
        &study,
        json!({"series_uid": study.series, "sop_uid": study.sops[1], "frame": 1,
               "kind": "arrow", "points": [[20, 20], [14, 14]], "label": "here"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{arrow}");
    assert_eq!(arrow["removable"], true);
    assert_eq!(
        remove(&member, &study, &length_id).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        remove(&lead, &study, arrow["id"].as_str().unwrap()).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        remove(&lead, &study, arrow["id"].as_str().unwrap()).await,
        StatusCode::NOT_FOUND,
        "gone"
    );
    let (_, seen) = listed(&member, &study).await;
    assert_eq!(seen.as_array().unwrap().len(), 2);

    // Someone outside the record and the panel.
    let outsider = clinic::signed_in(&server, "bond-hp4").await;
    let (status, _) = listed(&outsider, &study).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) =
        annotate(&outsider, &study, length(&study, json!([[1, 1], [2, 2]]))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["code"], "access.forbidden");

    let hp4_id = panel::user_id(&server, "bond-hp4").await;
    let mut conn = server.app().store().read().await.unwrap();
    let member_events = audit::recent_for_actor(&mut conn, hp2_id, 100)
        .await
        .unwrap();
    let outsider_events = audit::recent_for_actor(&mut conn, hp4_id, 20)
        .await
        .unwrap();
    drop(conn);
    assert!(member_events.iter().any(|e| {
        e.event.action == "imaging.annotate"
            && e.event
                .detail
                .as_deref()
                .unwrap_or_default()
                .contains("via panel")
    }));
    assert!(
        member_events
            .iter()
            .any(|e| e.event.outcome == Outcome::Denied),
        "the refused removal is audited"
    );
    assert!(
        outsider_events
            .iter()
            .any(|e| e.event.outcome == Outcome::Denied)
    );

    // Erasing the patient takes the annotations with the study.
    let pseudonym = record.trim_start_matches("/patients/");
    let response = lead
        .post_form(
            &record,
            &format!("{record}/erase"),
            &[("confirmation", pseudonym)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut conn = server.app().store().read().await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM imaging_annotations")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(left, 0);
    drop(conn);
    server.stop().await;
}

async fn bad_annotations_and_windows_get_clear_answers(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = clinic::signed_in(&server, "bond-hp1").await;
    let (_, study) = patient_with_study(&server, &lead).await;
    let sop = &study.sops[0];
    let cases = [
        (
            json!({"kind": "circle", "points": [[1, 1], [2, 2]]}),
            "a length, an arrow or a text",
        ),
        (
            json!({"kind": "length", "points": [[1, 1], [40, 2]]}),
            "must lie on the image",
        ),
        (
            json!({"kind": "length", "points": [[1, 1]]}),
            "needs 2 point(s)",
        ),
        (
            json!({"kind": "length", "points": [[3, 3], [3, 3]]}),
            "the same",
        ),
        (
            json!({"kind": "text", "points": [[3, 3]], "label": " "}),
            "Type the text",
        ),
        (
            json!({"kind": "length", "frame": 2, "points": [[1, 1], [2, 2]]}),
            "frame 2 does not exist",
        ),
        (
            json!({"kind": "arrow", "frame": 0, "points": [[1, 1], [2, 2]]}),
            "frame 0 does not exist",
        ),
    ];
    for (fields, says) in cases {
        let mut body = json!({"series_uid": study.series, "sop_uid": sop, "frame": 1});
        body.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        let (status, problem) = annotate(&lead, &study, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{problem} / {says}"
        );
    }
    let (status, problem) = annotate(
        &lead,
        &study,
        json!({"series_uid": study.series, "sop_uid": "1.2.3", "frame": 1,
               "kind": "length", "points": [[1, 1], [2, 2]]}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");

    // Without the CSRF header, refused before anything is read.
    let response = lead
        .http
        .post(lead.url(&format!("{}/annotations", study.path)))
        .json(&length(&study, json!([[1, 1], [2, 2]])))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (_, none) = listed(&lead, &study).await;
    assert_eq!(none, json!([]), "nothing was stored");

    // The rendered route takes the viewer's window=centre,width.
    let frame = format!(
        "{}/series/{}/instances/{sop}/frames/1/rendered",
        study.path, study.series
    );
    let soft = lead.get(&format!("{frame}?window=40,400")).await;
    assert_eq!(soft.status(), StatusCode::OK);
    assert_eq!(soft.headers()["content-type"], "image/png");
    let soft = soft.bytes().await.unwrap();
    let lung = lead
        .get(&format!("{frame}?window=-600,1500"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_ne!(soft, lung, "another window, other pixels");
    let from_file = lead.get(&frame).await.bytes().await.unwrap();
    assert_eq!(soft, from_file, "the file's window is 40/400");
    // A frame that cannot be drawn says why, for the viewer to show.
    let missing = lead.get(&frame.replace("/frames/1/", "/frames/9/")).await;
    assert_eq!(missing.headers()["x-preview-unavailable"], "true");
    let reason = missing.headers()["x-preview-reason"].to_str().unwrap();
    assert!(
        reason.starts_with("Preview not available: ") && reason.len() > 30,
        "{reason}"
    );
    let (status, page) = lead.get_text(&format!("{frame}?window=40")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("e.g. window=40,400"), "{page}");

    // The viewer's JSON is described with the API.
    let (_, doc) = lead.get_text("/api/v1/openapi.json").await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    for (path, method) in [
        ("/studies/{study}/series/{series}/stack", "get"),
        ("/studies/{study}/annotations", "get"),
        ("/studies/{study}/annotations", "post"),
        ("/studies/{study}/annotations/{id}", "delete"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    server.stop().await;
}
