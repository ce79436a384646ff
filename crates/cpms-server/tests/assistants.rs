//! Assistants over HTTP on both engines: a clinician names an assistant of
//! their hospital, who accepts and acts for them: the header says so, the
//! clinician's patients are open to the assistant and the audit records the
//! reads as done on the clinician's behalf; un-naming closes them again. An
//! assistant may not act for a clinician who did not name them (403,
//! audited).
#![allow(clippy::unwrap_used)]

mod support;

use cpms_domain::ids::UserId;
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use sqlx::Row;
use support::assistant::{make_assistant, user};
use support::clinic::{self, NAME, hospital_of, signed_in};

const CLINICIAN: &str = "ern-rnd-hp1";
/// Made an assistant at the clinician's hospital.
const ASSISTANT: &str = "ern-rnd-hp4";
/// Works at the clinician's hospital, and names nobody.
const COLLEAGUE: &str = "ern-rnd-coordinator";

/// Events of `action` by `actor`, with their `on_behalf_of` and outcome.
async fn events(server: &TestServer, action: &str, actor: UserId) -> Vec<(Option<String>, String)> {
    let mut conn = server.app().store().read().await.unwrap();
    sqlx::query(
        "SELECT on_behalf_of, outcome FROM audit_events WHERE action = $1 AND actor_id = $2 ORDER BY seq",
    )
    .bind(action)
    .bind(actor.to_string())
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.try_get("on_behalf_of").unwrap(), r.try_get("outcome").unwrap()))
    .collect()
}

async fn post(client: &Client, path: &str, fields: &[(&str, &str)]) -> StatusCode {
    client
        .post_form("/account/assistants", path, fields)
        .await
        .status()
}

async fn assistant_acts_for_the_clinician_who_named_them(engine: Engine) {
    let server = TestServer::training(engine).await;
    let (assistant_id, assistant_name) = make_assistant(&server, ASSISTANT, CLINICIAN).await;
    let hcp = hospital_of(&server, CLINICIAN).await;
    assert_eq!(hcp, hospital_of(&server, ASSISTANT).await);
    let (clinician_id, clinician_name) = user(&server, CLINICIAN).await;
    let clinician = signed_in(&server, CLINICIAN).await;
    let record = clinic::enrol(&server, &clinician, CLINICIAN).await;
    let pseudonym = record.trim_start_matches("/patients/").to_owned();

    // The clinician names the assistant, chosen among the hospital's assistants.
    let (status, page) = clinician.get_text("/account/assistants").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!(
            "<option value=\"{assistant_id}\">{assistant_name}</option>"
        )),
        "{page}"
    );
    let id = assistant_id.to_string();
    let named = post(&clinician, "/account/assistants", &[("assistant", &id)]).await;
    assert_eq!(named, StatusCode::SEE_OTHER);
    let (_, page) = clinician.get_text("/account/assistants").await;
    assert!(page.contains("awaiting acceptance"), "{page}");

    // Named but not yet accepted: no acting, no record.
    let assistant = signed_in(&server, ASSISTANT).await;
    assert_eq!(assistant.get_text(&record).await.0, StatusCode::FORBIDDEN);
    let (_, page) = assistant.get_text("/account/assistants").await;
    assert!(
        page.contains(&clinician_name) && page.contains("Accept"),
        "{page}"
    );
    let cid = clinician_id.to_string();
    let early = post(&assistant, "/account/acting", &[("clinician", &cid)]).await;
    assert_eq!(early, StatusCode::FORBIDDEN, "not accepted yet");

    let accept = format!("/account/assistants/{clinician_id}/accept");
    assert_eq!(post(&assistant, &accept, &[]).await, StatusCode::SEE_OTHER);
    let acting = post(&assistant, "/account/acting", &[("clinician", &cid)]).await;
    assert_eq!(acting, StatusCode::SEE_OTHER);

    // The header says whom the assistant acts for; the clinician's patients
    // and record are open.
    let (_, home) = assistant.get_text("/").await;
    assert!(
        home.contains(&format!("Acting for {clinician_name}")),
        "{home}"
    );
    let (status, list) = assistant
        .get_text(&format!("/centres/{hcp}/patients"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&pseudonym), "{list}");
    let (status, page) = assistant.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(NAME), "the identity: {page}");

    // The audit records both reads as the assistant's, on the clinician's behalf.
    let on_behalf = (Some(cid.clone()), "success".to_owned());
    assert_eq!(
        events(&server, "patient.read", assistant_id).await,
        vec![on_behalf.clone()]
    );
    assert_eq!(
        events(&server, "patient.list", assistant_id).await,
        vec![on_behalf.clone()]
    );
    assert_eq!(
        events(&server, "assistant.acting", assistant_id).await,
        vec![on_behalf]
    );
    assert_eq!(
        events(&server, "assistant.named", clinician_id).await,
        vec![(None, "success".to_owned())]
    );

    // Un-named, the assistant no longer acts and the record is closed.
    let unname = format!("/account/assistants/{assistant_id}/remove");
    assert_eq!(post(&clinician, &unname, &[]).await, StatusCode::SEE_OTHER);
    assert_eq!(assistant.get_text(&record).await.0, StatusCode::FORBIDDEN);
    let (_, home) = assistant.get_text("/").await;
    assert!(!home.contains("Acting for"), "{home}");
    assert_eq!(
        events(&server, "assistant.unnamed", clinician_id)
            .await
            .len(),
        1
    );

    server.stop().await;
}

both_engines!(assistant_acts_for_the_clinician_who_named_them);

async fn acting_for_a_clinician_who_did_not_name_them_is_refused(engine: Engine) {
    let server = TestServer::training(engine).await;
    let (assistant_id, _) = make_assistant(&server, ASSISTANT, CLINICIAN).await;
    assert_eq!(
        hospital_of(&server, COLLEAGUE).await,
        hospital_of(&server, ASSISTANT).await
    );
    let (colleague_id, _) = user(&server, COLLEAGUE).await;
    let assistant = signed_in(&server, ASSISTANT).await;

    let id = colleague_id.to_string();
    let refused = post(&assistant, "/account/acting", &[("clinician", &id)]).await;
    assert_eq!(refused, StatusCode::FORBIDDEN);
    let (_, home) = assistant.get_text("/").await;
    assert!(!home.contains("Acting for"), "{home}");

    let mut conn = server.app().store().read().await.unwrap();
    let row = sqlx::query(
        "SELECT outcome, detail FROM audit_events WHERE action = 'access.act_for_clinician' \
         AND actor_id = $1 AND target = $2",
    )
    .bind(assistant_id.to_string())
    .bind(format!("user:{colleague_id}"))
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(row.try_get::<String, _>("outcome").unwrap(), "denied");
    assert_eq!(
        row.try_get::<String, _>("detail").unwrap(),
        "the clinician has not named this assistant"
    );
    drop(conn);
    assert!(
        events(&server, "assistant.acting", assistant_id)
            .await
            .is_empty()
    );

    server.stop().await;
}

both_engines!(acting_for_a_clinician_who_did_not_name_them_is_refused);
