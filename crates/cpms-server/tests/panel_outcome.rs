//! The outcome document through the pages on both engines: the lead's
//! form pre-filled from the pseudonymised record, problems shown per field
//! with nothing lost, sign-off by members (signed or commented), revision,
//! closing (frozen), reopening (version 2, version 1 kept), the PDF with its
//! sections and no identifying field, and refusals (members cannot write,
//! outsiders cannot download; audited).
#![allow(clippy::unwrap_used)]

mod support;

use cpms_domain::audit::Outcome;
use cpms_store::repo::{audit, panel_outcomes};
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use support::clinic::{NAME, RECORD_NUMBER, signed_in};
use support::panel::{
    CONCLUSION_PLAN, SUMMARY, discussed_panel, outcome_fields, step, stored, user_id,
};
use support::pdf::{first_page_png, pdf_text};

both_engines!(the_outcome_is_written_signed_closed_and_reopened);

async fn the_outcome_is_written_signed_closed_and_reopened(engine: Engine) {
    let server = TestServer::training(engine).await;
    let (lead, hp2, hp3, panel, record) = discussed_panel(&server).await;
    let outcome = format!("{panel}/outcome");

    let (status, page) = lead.get_text(&outcome).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No outcome yet"), "{page}");
    let early = lead
        .post_form(
            &panel,
            &format!("{panel}/steps"),
            &[("transition", "request_sign_off")],
        )
        .await;
    assert_eq!(
        early.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no outcome to send"
    );

    let started = step(&lead, &panel, &[("transition", "start_outcome")]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let (status, page) = lead.get_text(&outcome).await;
    assert_eq!(status, StatusCode::OK);
    let pseudonym = record.trim_start_matches("/patients/");
    assert!(page.contains("id=\"outcome-form\""), "{page}");
    assert!(
        page.contains(SUMMARY),
        "case summary from the shared record"
    );
    assert!(page.contains("Which collagen disorder explains the fractures?"));
    assert!(page.contains(pseudonym) && page.contains("IT"));
    let (_, hp2_name) = support::assistant::user(&server, "bond-hp2").await;
    assert!(page.contains(&hp2_name), "composition from the members");
    assert!(!page.contains(NAME) && !page.contains(RECORD_NUMBER) && !page.contains("2011-09-03"));

    // A member sees no draft and may not write one (refused, audited).
    let (status, page) = hp2.get_text(&outcome).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("The lead is writing version 1") && !page.contains("outcome-form"));
    let refused = hp2
        .post_form(&outcome, &outcome, &outcome_fields("send"))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Incomplete: each problem under its field, everything typed kept.
    let mut incomplete = outcome_fields("send");
    incomplete.retain(|(k, _)| *k != "plan");
    incomplete.push(("plan", " "));
    incomplete[3] = ("diagnosis_code", "ORPHA:9999999");
    let bad = lead.post_form(&outcome, &outcome, &incomplete).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("id=\"error-plan\"")
            && page.contains("Treatment and management plan: is required."),
        "{page}"
    );
    assert!(
        page.contains("id=\"error-diagnoses\"")
            && page.contains("ORPHA:9999999 is not in the terminology")
    );
    assert!(
        page.contains("Both experts favour a collagen type I defect.")
            && page.contains("value=\"ORPHA:9999999\"")
    );
    let p = stored(&server, &panel).await;
    assert_eq!(p.state.as_str(), "outcome_drafting");
    let mut conn = server.app().store().read().await.unwrap();
    let draft = panel_outcomes::latest(&mut conn, p.id)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    assert_eq!(
        draft.draft.discussion, "Both experts favour a collagen type I defect.",
        "saved as typed"
    );
    assert!(draft.frozen_at.is_none());

    let sent = lead
        .post_form(&outcome, &outcome, &outcome_fields("send"))
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&server, &panel).await.state.as_str(), "sign_off");

    // Members sign or comment; the lead sees who did what.
    let (_, page) = hp2.get_text(&outcome).await;
    assert!(
        page.contains("id=\"outcome-document\"") && page.contains("Marfan syndrome"),
        "label from the terminology"
    );
    assert!(page.contains(CONCLUSION_PLAN) && page.contains("id=\"sign-off-form\""));
    let signed = hp2
        .post_form(
            &outcome,
            &format!("{outcome}/sign-off"),
            &[("answer", "sign")],
        )
        .await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let empty = hp3
        .post_form(
            &outcome,
            &format!("{outcome}/sign-off"),
            &[("answer", "comment"), ("comment", "")],
        )
        .await;
    assert_eq!(
        empty.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a comment needs text"
    );
    let commented = hp3
        .post_form(
            &outcome,
            &format!("{outcome}/sign-off"),
            &[
                ("answer", "comment"),
                ("comment", "Please name the audiology test."),
            ],
        )
        .await;
    assert_eq!(commented.status(), StatusCode::SEE_OTHER);
    let (_, page) = lead.get_text(&outcome).await;
    let row = |name: &str| {
        page.split(&format!("data-signer=\"{name}\""))
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap()
            .to_owned()
    };
    let (_, hp3_name) = support::assistant::user(&server, "bond-hp3").await;
    assert!(row(&hp2_name).contains(">Signed<"), "{page}");
    assert!(row(&hp3_name).contains("Please name the audiology test."));

    // Revise, send again: a new round, signed by everyone.
    let revised = step(&lead, &panel, &[("transition", "revise_outcome")]).await;
    assert_eq!(revised.status(), StatusCode::SEE_OTHER);
    let (_, page) = lead.get_text(&outcome).await;
    assert!(
        page.contains("id=\"previous-answers\"")
            && page.contains("Please name the audiology test.")
    );
    let sent = lead
        .post_form(&outcome, &outcome, &outcome_fields("send"))
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let (_, page) = lead.get_text(&outcome).await;
    assert!(!page.contains(">Signed<"), "a new round starts unsigned");
    for (who, client) in [("hp2", &hp2), ("hp3", &hp3), ("lead", &lead)] {
        let r = client
            .post_form(
                &outcome,
                &format!("{outcome}/sign-off"),
                &[("answer", "sign")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{who}");
    }

    // Outsiders cannot download; unknown versions are not found.
    let outsider = signed_in(&server, "bond-hp4").await;
    let (status, _) = outsider.get_text(&format!("{outcome}/1.pdf")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = outsider.get_text(&outcome).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = hp2.get_text(&format!("{outcome}/7.pdf")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = hp2.get_text(&format!("{outcome}/one.pdf")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let outsider_id = user_id(&server, "bond-hp4").await;
    let mut conn = server.app().store().read().await.unwrap();
    let events = audit::recent_for_actor(&mut conn, outsider_id, 20)
        .await
        .unwrap();
    drop(conn);
    assert!(
        events
            .iter()
            .any(|e| e.event.outcome == Outcome::Denied && e.event.target.starts_with("panel:")),
        "the refused download is audited"
    );

    // Closing issues version 1; it can no longer change.
    let closed = step(&lead, &panel, &[("transition", "close")]).await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&server, &panel).await.state.as_str(), "closed");
    let late = lead
        .post_form(&outcome, &outcome, &outcome_fields("save"))
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let pdf = hp2.get(&format!("{outcome}/1.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let reference = panel.trim_start_matches("/panels/");
    assert_eq!(
        pdf.headers()["content-disposition"].to_str().unwrap(),
        format!("attachment; filename=\"{reference}-outcome-v1.pdf\"")
    );
    let bytes = pdf.bytes().await.unwrap();
    let text = pdf_text(&bytes);
    for expected in [
        "Case summary",
        "Questions to the panel",
        "Panel composition",
        "Discussion summary",
        "Conclusions",
        "Marfan syndrome",
        "Review in six months.",
        pseudonym,
        &hp2_name,
        "non-binding",
    ] {
        assert!(
            text.to_lowercase().contains(&expected.to_lowercase()),
            "{expected} in {text}"
        );
    }
    for identifying in [NAME, RECORD_NUMBER, "2011-09-03", "Brambilla"] {
        assert!(!text.contains(identifying), "{identifying} in the PDF");
    }
    first_page_png(&bytes, &format!("outcome-pdf-{}", engine.name()));
    let hp2_id = user_id(&server, "bond-hp2").await;
    let mut conn = server.app().store().read().await.unwrap();
    let events = audit::recent_for_actor(&mut conn, hp2_id, 30)
        .await
        .unwrap();
    assert!(
        events.iter().any(
            |e| e.event.action == "panel.outcome_pdf" && e.event.target.starts_with("patient:")
        )
    );

    // Reopening starts version 2 from version 1; version 1 stays as issued.
    let reopened = step(&lead, &panel, &[("transition", "reopen")]).await;
    assert_eq!(reopened.status(), StatusCode::SEE_OTHER);
    let p = stored(&server, &panel).await;
    let versions = panel_outcomes::versions(&mut conn, p.id).await.unwrap();
    drop(conn);
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    let (v2, v1) = (&versions[0], &versions[1]);
    assert!(v1.closed_at.is_some() && v1.document.as_ref().unwrap().sign_offs.len() == 3);
    assert!(v2.frozen_at.is_none() && v2.draft.plan == CONCLUSION_PLAN && v2.draft.version == 2);
    let again = hp2.get(&format!("{outcome}/1.pdf")).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        again.bytes().await.unwrap(),
        bytes,
        "an issued version never changes"
    );
    let (status, _) = hp2.get_text(&format!("{outcome}/2.pdf")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "version 2 is not frozen yet");
    let (_, page) = lead.get_text(&outcome).await;
    assert!(
        page.contains("data-version=\"2\"")
            && page.contains("data-version=\"1\"")
            && page.contains("id=\"pdf-1\"")
    );
    server.stop().await;
}
