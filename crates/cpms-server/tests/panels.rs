//! Panels through HTTP on both engines: the consultation request and its
//! validation, what members see of the record (only the shared sections,
//! pseudonymised), invitations accepted and declined, the discussion,
//! closing with fewer than two contributions, the read-only archive,
//! refusals (audited) and the network's triage queue.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_domain::audit::Outcome;
use cpms_store::repo::{audit, panels};
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use support::clinic::{self, NAME, RECORD_NUMBER, signed_in};
use support::panel::{
    SUMMARY, coded_patient, invite, outcome_for_sign_off, post, request, step, stored, user_id,
};

both_engines!(
    a_request_is_checked_saved_as_draft_and_submitted,
    members_see_only_what_is_shared_and_decliners_lose_access,
    the_discussion_closing_and_the_read_only_archive,
    outsiders_are_refused_and_audited,
    the_network_triages_forwards_and_returns_requests,
    an_assistant_requests_a_consultation_for_the_lead,
);

async fn a_request_is_checked_saved_as_draft_and_submitted(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let record = coded_patient(&server, &lead).await;
    let (status, page) = lead.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("{record}/consultation")), "{page}");

    let form = format!("{record}/consultation");
    let (status, page) = lead.get_text(&form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Request a consultation") && page.contains("BOND"));

    let bad = lead
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                ("questions", "  "),
                ("urgency", "urgent"),
                ("answer_by", "2000-01-01"),
                ("sections", "phenotype"),
                ("sections", "genome"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    for problem in [
        "Clinical questions: is required.",
        "Requested answer date: cannot be in the past.",
        "Shared sections: choose sections from the list.",
    ] {
        assert!(page.contains(problem), "{problem} in {page}");
    }
    assert!(
        page.contains("value=\"2000-01-01\"") && page.contains("value=\"urgent\" selected"),
        "what was typed is kept"
    );
    let (_, mine) = lead.get_text("/panels").await;
    assert!(mine.contains("You lead no panel"), "nothing was stored");

    let panel = request(&lead, &record, &["phenotype"], false, "draft").await;
    assert!(panel.starts_with("/panels/BOND-20"), "{panel}");
    assert!(panel.ends_with("-0001"), "{panel}");
    let (status, page) = lead.get_text(&panel).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(">Draft<") && page.contains("Submit the request"));
    let (_, mine) = lead.get_text("/panels").await;
    assert!(
        mine.contains("Draft request to complete and submit"),
        "{mine}"
    );

    let submit = lead
        .post_form(&panel, &format!("{panel}/submit"), &[])
        .await;
    assert_eq!(submit.status(), StatusCode::SEE_OTHER);
    let p = stored(&server, &panel).await;
    assert_eq!(p.state.as_str(), "open");
    assert!(p.submitted_at.is_some());
    let (_, page) = lead.get_text(&panel).await;
    assert!(page.contains("Draft → Submitted") && page.contains("Submitted → Open"));
    let again = lead
        .post_form(&panel, &format!("{panel}/submit"), &[])
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

async fn members_see_only_what_is_shared_and_decliners_lose_access(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let record = coded_patient(&server, &lead).await;
    let panel = request(&lead, &record, &["phenotype"], false, "submit").await;
    let (hp2, hp3) = (
        user_id(&server, "bond-hp2").await,
        user_id(&server, "bond-hp3").await,
    );
    invite(&lead, &panel, &[hp2, hp3]).await;

    let accepting = signed_in(&server, "bond-hp2").await;
    let (_, mine) = accepting.get_text("/panels").await;
    assert!(mine.contains("Invitation to answer"), "{mine}");
    let (status, page) = accepting.get_text(&panel).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("You are invited to this panel"));
    assert!(
        !page.contains("HP:0001250"),
        "no shared record before accepting"
    );
    let accept = accepting
        .post_form(&panel, &format!("{panel}/answer"), &[("answer", "accept")])
        .await;
    assert_eq!(accept.status(), StatusCode::SEE_OTHER);
    let (status, page) = accepting.get_text(&panel).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("HP:0001250") && page.contains("Seizure"));
    assert!(!page.contains(SUMMARY), "the summary was not shared");
    assert!(!page.contains(NAME) && !page.contains(RECORD_NUMBER) && !page.contains("2011-09-03"));
    let pseudonym = record.trim_start_matches("/patients/");
    assert!(page.contains(pseudonym));

    let declining = signed_in(&server, "bond-hp3").await;
    let refused = declining
        .post_form(&panel, &format!("{panel}/answer"), &[("answer", "decline")])
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let decline = declining
        .post_form(
            &panel,
            &format!("{panel}/answer"),
            &[("answer", "decline"), ("reason", "Outside my field")],
        )
        .await;
    assert_eq!(decline.status(), StatusCode::SEE_OTHER);
    let (status, _) = declining.get_text(&panel).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a decliner loses access");
    let (_, mine) = declining.get_text("/panels").await;
    assert!(!mine.contains(panel.trim_start_matches("/panels/")));

    let (_, page) = lead.get_text(&panel).await;
    assert!(page.contains("Outside my field") && page.contains("Accepted"));
    assert!(page.contains(SUMMARY) || page.contains("HP:0001250"));

    let mut conn = server.app().store().read().await.unwrap();
    let reads = audit::recent_for_actor(&mut conn, hp2, 50).await.unwrap();
    assert!(
        reads.iter().any(
            |e| e.event.action == "panel.read_shared" && e.event.target.starts_with("patient:")
        ),
        "reading the shared record is audited"
    );
    drop(conn);
    server.stop().await;
}

async fn the_discussion_closing_and_the_read_only_archive(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let record = coded_patient(&server, &lead).await;
    let panel = request(&lead, &record, &["summary", "phenotype"], false, "submit").await;
    invite(&lead, &panel, &[user_id(&server, "bond-hp2").await]).await;
    let member = signed_in(&server, "bond-hp2").await;
    let accept = member
        .post_form(&panel, &format!("{panel}/answer"), &[("answer", "accept")])
        .await;
    assert_eq!(accept.status(), StatusCode::SEE_OTHER);

    let opinion = "Likely osteogenesis imperfecta type I; sequence COL1A1.";
    let sent = post(
        &member,
        &panel,
        &[("kind", "contribution"), ("body", opinion)],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert!(
        stored(&server, &panel)
            .await
            .first_contribution_at
            .is_some()
    );
    let asked = post(
        &member,
        &panel,
        &[
            ("kind", "info_request"),
            ("body", "Any dentinogenesis imperfecta?"),
        ],
    )
    .await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let refused = post(&member, &panel, &[("kind", "answer"), ("body", "x")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, mine) = lead.get_text("/panels").await;
    assert!(
        mine.contains("1 request(s) for information to answer"),
        "{mine}"
    );
    let (_, page) = lead.get_text(&panel).await;
    let request_id = page
        .split("name=\"reply_to\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let answered = post(
        &lead,
        &panel,
        &[
            ("kind", "answer"),
            ("reply_to", &request_id),
            ("body", "No dental findings."),
        ],
    )
    .await;
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let (_, mine) = lead.get_text("/panels").await;
    assert!(!mine.contains("request(s) for information"), "answered");
    let (_, page) = member.get_text(&panel).await;
    assert!(page.contains(opinion) && page.contains("No dental findings."));

    outcome_for_sign_off(&lead, &panel).await;
    let early = step(&lead, &panel, &[("transition", "close")]).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = early.text().await.unwrap();
    assert!(
        page.contains("fewer than 2 needs your confirmation"),
        "{page}"
    );
    let closed = step(
        &lead,
        &panel,
        &[("transition", "close"), ("confirm_few", "on")],
    )
    .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let p = stored(&server, &panel).await;
    assert_eq!(p.state.as_str(), "closed");
    assert!(p.closed_at.is_some() && p.closed_few_contributions);
    // The lead issued it by closing, without signing: not "Waiting".
    let (_, outcome) = member.get_text(&format!("{panel}/outcome")).await;
    let lead_row = outcome
        .split("<tr data-signer=")
        .nth(1)
        .and_then(|row| row.split("</tr>").next())
        .unwrap();
    assert!(
        lead_row.contains("<td>Lead</td>") && lead_row.contains(">Issued<"),
        "{lead_row}"
    );
    assert!(
        !outcome.contains("Waiting") && outcome.contains(">Not signed<"),
        "a member who did not sign is no longer waited for: {outcome}"
    );
    let reference = panel.trim_start_matches("/panels/");
    let (_, json) = member
        .get_text(&format!("/api/v1/panels/{reference}/outcome"))
        .await;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["signers"][0]["role"], "lead", "{json}");
    assert_eq!(json["signers"][0]["answer"], "issued", "{json}");
    assert!(json["signers"][0]["at"].is_string(), "{json}");

    let archived = step(&lead, &panel, &[("transition", "archive")]).await;
    assert_eq!(archived.status(), StatusCode::SEE_OTHER);
    let late = post(
        &member,
        &panel,
        &[("kind", "comment"), ("body", "One more thought")],
    )
    .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = late.text().await.unwrap();
    assert!(page.contains("is archived: it is read-only"), "{page}");
    assert!(
        page.contains("One more thought"),
        "the typed message is kept"
    );
    let (status, page) = member.get_text(&panel).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "members still read an archived panel"
    );
    assert!(page.contains("id=\"read-only\"") && !page.contains("id=\"post-form\""));
    assert!(
        page.contains("HP:0001250"),
        "the shared record stays readable"
    );
    server.stop().await;
}

async fn outsiders_are_refused_and_audited(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let record = coded_patient(&server, &lead).await;
    let panel = request(&lead, &record, &["summary"], false, "submit").await;
    let id = stored(&server, &panel).await.id;

    let outsider = signed_in(&server, "bond-hp4").await;
    let (status, _) = outsider.get_text(&panel).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let sent = outsider
        .post_form(
            "/panels",
            &format!("{panel}/posts"),
            &[("kind", "comment"), ("body", "hello")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::FORBIDDEN);
    let (status, _) = outsider.get_text("/panels/BOND-1999-0001").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let foreign = signed_in(&server, "ern-rnd-coordinator").await;
    let (status, _) = foreign.get_text(&panel).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a coordinator of another network"
    );
    let (status, _) = foreign.get_text("/erns/BOND/panels").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let coordinator = signed_in(&server, "bond-coordinator").await;
    let (status, page) = coordinator.get_text(&panel).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the network's coordinator follows its panels"
    );
    assert!(!page.contains(SUMMARY), "but sees nothing of the record");

    let mut conn = server.app().store().read().await.unwrap();
    let denied: Vec<_> = audit::page(&mut conn, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.outcome == Outcome::Denied && e.event.target == format!("panel:{id}"))
        .collect();
    let actions: Vec<&str> = denied.iter().map(|e| e.event.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "access.view_panel",
            "access.contribute",
            "access.view_panel"
        ]
    );
    drop(conn);
    server.stop().await;
}

async fn the_network_triages_forwards_and_returns_requests(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let record = coded_patient(&server, &lead).await;
    let panel = request(&lead, &record, &["summary"], true, "submit").await;
    let reference = panel.trim_start_matches("/panels/");
    assert_eq!(stored(&server, &panel).await.state.as_str(), "triage");

    let coordinator = signed_in(&server, "bond-coordinator").await;
    let (status, queue) = coordinator.get_text("/erns/BOND/triage").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        queue.contains(reference) && queue.contains("urgent"),
        "{queue}"
    );
    let (status, _) = lead.get_text("/erns/BOND/triage").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "clinicians do not triage");

    let silent = coordinator
        .post_form(&panel, &format!("{panel}/return"), &[("comment", " ")])
        .await;
    assert_eq!(silent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let returned = coordinator
        .post_form(
            &panel,
            &format!("{panel}/return"),
            &[("comment", "Please share the phenotype too")],
        )
        .await;
    assert_eq!(returned.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&server, &panel).await.state.as_str(), "draft");
    let (_, page) = lead.get_text(&panel).await;
    assert!(page.contains("Please share the phenotype too"));
    let (_, form) = lead.get_text(&format!("{panel}/request")).await;
    assert!(form.contains("Please share the phenotype too"));
    let resubmit = lead
        .post_form(
            &format!("{panel}/request"),
            &format!("{panel}/request"),
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                (
                    "questions",
                    "Which collagen disorder explains the fractures?",
                ),
                ("urgency", "urgent"),
                ("sections", "summary"),
                ("sections", "phenotype"),
                ("ern_help", "on"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(resubmit.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&server, &panel).await.state.as_str(), "triage");

    let foreign = signed_in(&server, "ern-rnd-coordinator").await;
    let hp2 = user_id(&server, "bond-hp2").await.to_string();
    let refused = forward(&foreign, &panel, &hp2).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let forwarded = forward(&coordinator, &panel, &hp2).await;
    assert_eq!(forwarded.status(), StatusCode::SEE_OTHER);
    let p = stored(&server, &panel).await;
    assert_eq!(p.state.as_str(), "open");
    let mut conn = server.app().store().read().await.unwrap();
    let invited = panels::member(&mut conn, p.id, user_id(&server, "bond-hp2").await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invited.role.as_str(), "invited");
    drop(conn);

    let (status, list) = coordinator
        .get_text("/erns/BOND/panels?state=open&urgency=urgent")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(reference), "{list}");
    let (_, none) = coordinator.get_text("/erns/BOND/panels?state=triage").await;
    assert!(none.contains("No panels match"));
    server.stop().await;
}

/// Forwards a request in triage to one expert, from the invitation page.
async fn forward(client: &Client, panel: &str, expert: &str) -> reqwest::Response {
    let path = format!("{panel}/invite");
    client
        .post_form(&path, &path, &[("experts", expert), ("action", "forward")])
        .await
}

/// An assistant acting for a clinician asks for a consultation about the
/// clinician's patient: the clinician is the lead, the steps are recorded
/// on their behalf, and the assistant sees the panel as the lead's.
async fn an_assistant_requests_a_consultation_for_the_lead(engine: Engine) {
    let server = TestServer::training(engine).await;
    let (assistant_id, _) =
        support::assistant::make_assistant(&server, "ern-rnd-hp4", "ern-rnd-hp1").await;
    let clinician_id = user_id(&server, "ern-rnd-hp1").await;
    let clinician = signed_in(&server, "ern-rnd-hp1").await;
    let record = clinic::enrol(&server, &clinician, "ern-rnd-hp1").await;
    let named = clinician
        .post_form(
            "/account/assistants",
            "/account/assistants",
            &[("assistant", &assistant_id.to_string())],
        )
        .await;
    assert_eq!(named.status(), StatusCode::SEE_OTHER);
    let assistant = signed_in(&server, "ern-rnd-hp4").await;
    let form = format!("{record}/consultation");
    let (status, _) = assistant.get_text(&form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not acting for anyone yet");
    for path in [
        format!("/account/assistants/{clinician_id}/accept"),
        "/account/acting".to_owned(),
    ] {
        let r = assistant
            .post_form(
                "/account/assistants",
                &path,
                &[("clinician", &clinician_id.to_string())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
    }
    let response = assistant
        .post_form(
            &form,
            &form,
            &[
                ("ern", "ERN-RND"),
                ("panel_type", "follow_up"),
                ("questions", "Is the gait worsening as expected?"),
                ("urgency", "routine"),
                ("sections", "summary"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let panel = response.headers()["location"].to_str().unwrap().to_owned();
    let p = stored(&server, &panel).await;
    assert_eq!(p.lead, clinician_id);
    assert_eq!(p.state.as_str(), "open");
    let (_, mine) = assistant.get_text("/panels").await;
    assert!(mine.contains(&p.reference) && mine.contains("id=\"leading-panels\""));
    let (_, mine) = clinician.get_text("/panels").await;
    assert!(mine.contains(&p.reference), "the clinician leads it");

    let mut conn = server.app().store().read().await.unwrap();
    let steps: Vec<_> = audit::recent_for_actor(&mut conn, assistant_id, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action == "panel.step")
        .collect();
    assert_eq!(steps.len(), 2, "submit and open");
    assert!(
        steps
            .iter()
            .all(|e| e.event.on_behalf_of == Some(clinician_id))
    );
    drop(conn);
    server.stop().await;
}
