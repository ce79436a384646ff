//! Panels through the real pages: a coded patient, a consultation
//! request, invitations, posts and steps.

use cpms_domain::ids::UserId;
use cpms_store::repo::{panels, users};
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use reqwest::StatusCode;

use super::clinic;

pub const SUMMARY: &str = "Recurrent fractures since the age of two; blue sclerae.";

pub async fn user_id(server: &TestServer, username: &str) -> UserId {
    let mut conn = server.app().store().read().await.unwrap();
    users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap()
        .0
        .id
}

/// A patient of `bond-hp1` with a summary and one HPO term; returns the
/// record's path.
pub async fn coded_patient(server: &TestServer, lead: &Client) -> String {
    let record = clinic::enrol(server, lead, "bond-hp1").await;
    let summary = lead
        .post_form(
            &record,
            &format!("{record}/summary"),
            &[("summary", SUMMARY)],
        )
        .await;
    assert_eq!(summary.status(), StatusCode::SEE_OTHER);
    let term = lead
        .post_form(
            &record,
            &format!("{record}/phenotypes"),
            &[("code", "HP:0001250"), ("presence", "observed")],
        )
        .await;
    assert_eq!(term.status(), StatusCode::SEE_OTHER);
    record
}

/// Requests a consultation sharing `sections`; returns the panel's path.
pub async fn request(
    lead: &Client,
    record: &str,
    sections: &[&str],
    ern_help: bool,
    action: &str,
) -> String {
    let form = format!("{record}/consultation");
    let mut fields = vec![
        ("ern", "BOND"),
        ("panel_type", "diagnosis"),
        (
            "questions",
            "Which collagen disorder explains the fractures?",
        ),
        ("urgency", "urgent"),
        ("action", action),
    ];
    fields.extend(sections.iter().map(|s| ("sections", *s)));
    if ern_help {
        fields.push(("ern_help", "on"));
    }
    let response = lead.post_form(&form, &form, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

pub async fn invite(lead: &Client, panel: &str, who: &[UserId]) {
    let ids: Vec<String> = who.iter().map(ToString::to_string).collect();
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|id| ("experts", id.as_str())).collect();
    fields.push(("action", "invite"));
    let response = lead
        .post_form(
            &format!("{panel}/invite"),
            &format!("{panel}/invite"),
            &fields,
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "invite");
}

pub async fn post(client: &Client, panel: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    client
        .post_form(panel, &format!("{panel}/posts"), fields)
        .await
}

pub async fn step(client: &Client, panel: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    client
        .post_form(panel, &format!("{panel}/steps"), fields)
        .await
}

pub async fn stored(server: &TestServer, panel: &str) -> panels::StoredPanel {
    let mut conn = server.app().store().read().await.unwrap();
    panels::get_by_reference(&mut conn, panel.trim_start_matches("/panels/"))
        .await
        .unwrap()
        .unwrap()
}

/// Accepts the invitation to `panel` as the signed-in invitee.
pub async fn accept(member: &Client, panel: &str) {
    let response = member
        .post_form(panel, &format!("{panel}/answer"), &[("answer", "accept")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "accept");
}

pub const CONCLUSION_PLAN: &str = "Start bisphosphonates; physiotherapy.";

/// A complete outcome as the lead's form posts it, with `action` (`save`
/// or `send`). The diagnosis label is left for the terminology to fill.
pub fn outcome_fields(action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("case_summary", SUMMARY),
        (
            "questions",
            "Which collagen disorder explains the fractures?",
        ),
        (
            "discussion",
            "Both experts favour a collagen type I defect.",
        ),
        ("diagnosis_code", "ORPHA:558"),
        ("diagnosis_label", ""),
        ("diagnosis_certainty", "excluded"),
        ("diagnosis_code", ""),
        ("diagnosis_label", ""),
        ("diagnosis_certainty", "possible"),
        ("investigations", "COL1A1/COL1A2 sequencing\nAudiology"),
        ("plan", CONCLUSION_PLAN),
        ("follow_up", "Review in six months."),
        ("action", action),
    ]
}

/// Starts the outcome and sends a complete one for sign-off.
pub async fn outcome_for_sign_off(lead: &Client, panel: &str) {
    let started = step(lead, panel, &[("transition", "start_outcome")]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER, "start_outcome");
    let outcome = format!("{panel}/outcome");
    let sent = lead
        .post_form(&outcome, &outcome, &outcome_fields("send"))
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "send for sign-off");
}

/// A submitted panel sharing summary and phenotype, with two members who
/// each contributed; returns (lead, hp2, hp3, panel path, record path).
pub async fn discussed_panel(server: &TestServer) -> (Client, Client, Client, String, String) {
    let lead = clinic::signed_in(server, "bond-hp1").await;
    let record = coded_patient(server, &lead).await;
    let panel = request(&lead, &record, &["summary", "phenotype"], false, "submit").await;
    let ids = [
        user_id(server, "bond-hp2").await,
        user_id(server, "bond-hp3").await,
    ];
    invite(&lead, &panel, &ids).await;
    let hp2 = clinic::signed_in(server, "bond-hp2").await;
    let hp3 = clinic::signed_in(server, "bond-hp3").await;
    for (member, opinion) in [
        (&hp2, "Type I collagen defect."),
        (&hp3, "Agree; check hearing."),
    ] {
        accept(member, &panel).await;
        let sent = post(
            member,
            &panel,
            &[("kind", "contribution"), ("body", opinion)],
        )
        .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    (lead, hp2, hp3, panel, record)
}

/// Submits a BOND consultation request about the patient at `record`
/// sharing its summary, with `extra` fields (`ern_help`, `answer_by`);
/// returns the panel's path.
pub async fn submit(lead: &Client, record: &str, urgency: &str, extra: &[(&str, &str)]) -> String {
    let form = format!("{record}/consultation");
    let mut fields = vec![
        ("ern", "BOND"),
        ("panel_type", "diagnosis"),
        (
            "questions",
            "Which collagen disorder explains the fractures?",
        ),
        ("urgency", urgency),
        ("sections", "summary"),
        ("action", "submit"),
    ];
    fields.extend_from_slice(extra);
    let response = lead.post_form(&form, &form, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "request");
    response.headers()["location"].to_str().unwrap().to_owned()
}

pub async fn answer(invitee: &Client, panel: &str, fields: &[(&str, &str)]) {
    let response = invitee
        .post_form(panel, &format!("{panel}/answer"), fields)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "answer");
}
