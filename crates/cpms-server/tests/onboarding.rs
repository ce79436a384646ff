//! Joining a network end to end over HTTP: sign-up, a duplicate request
//! shown not repeated, the coordinator's filtered queue and bulk approval,
//! and the applicant's e-mail arriving over SMTP after the sink was down;
//! a rejection, which needs a reason and mails it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cpms_testkit::client::{Client, hidden_value};
use cpms_testkit::identity::enrol_totp;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::SmtpSink;
use cpms_testkit::{Engine, both_engines};
use sqlx::Row;

const PASSWORD: &str = "a long enough passphrase for tests";

async fn outbox_attempts(server: &TestServer) -> i64 {
    let store = server.app().store();
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COALESCE(MAX(attempts), 0) AS n FROM mail_outbox")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn sign_up_approve_and_mail(engine: Engine) {
    let smtp_port = SmtpSink::free_port().await;
    let server = TestServer::start(engine, Options::training_with_mail(smtp_port)).await;
    let (choices, hospital) = server.sign_up_choices_in("ERN-RND").await;
    let hospital = &hospital;
    let profession = choices.professions[0].0.clone();
    let hospital_field = format!("{} · {}", hospital.code, hospital.name);
    let mut fields = vec![
        ("display_name", "Ada Applicant"),
        ("email", "ada@example.org"),
        ("username", "ada.applicant"),
        ("category", "clinician"),
        ("member", "yes"),
        ("hospital", hospital_field.as_str()),
        ("cares_for", "both"),
        ("profession", profession.as_str()),
        ("specialist_in", "Hereditary ataxias"),
    ];

    let applicant = Client::new(&server.url(""));
    let response = applicant
        .post_form(
            "/signup",
            "/signup",
            &[fields.clone(), vec![("go", "focus")]].concat(),
        )
        .await;
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Networks: choose the ERNs you work in"),
        "{page}"
    );
    assert!(
        page.contains("value=\"ERN-RND\""),
        "the hospital's networks are offered"
    );

    fields.push(("erns", "ERN-RND"));
    let short = applicant
        .post_form(
            "/signup",
            "/signup",
            &[
                fields.clone(),
                vec![("go", "submit"), ("password", "short")],
            ]
            .concat(),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(short.contains("at least 12 characters"), "{short}");
    let done = applicant
        .post_form(
            "/signup",
            "/signup",
            &[
                fields.clone(),
                vec![("go", "submit"), ("password", PASSWORD)],
            ]
            .concat(),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("Your request is sent"), "{done}");
    assert!(done.contains("requested"), "{done}");

    // The applicant signs in (enrolling an authenticator app first, as
    // every account outside training must), asks for a further role twice:
    // one request.
    enrol_totp(&applicant, "ada.applicant", PASSWORD).await;
    let extra = [
        ("ern", "ERN-RND"),
        ("hospital", hospital.code.as_str()),
        ("role", "researcher"),
        ("comment", "Natural history study"),
    ];
    applicant
        .post_form("/access-requests", "/access-requests", &extra)
        .await;
    let again = applicant
        .post_form("/access-requests", "/access-requests", &extra)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        again.contains("You already asked for Researcher"),
        "{again}"
    );
    assert_eq!(again.matches("<td>Researcher</td>").count(), 1, "{again}");

    // The coordinator filters the queue, then approves both in bulk.
    let coordinator = Client::new(&server.url(""));
    let password = server.training_password("ern-rnd-coordinator");
    coordinator.sign_in("ern-rnd-coordinator", &password).await;
    let (status, researchers) = coordinator
        .get_text("/erns/ERN-RND/requests?role=researcher")
        .await;
    assert_eq!(status, 200);
    assert!(researchers.contains("Natural history study"));
    assert_eq!(
        researchers.matches("name=\"id\"").count(),
        1,
        "only the researcher request"
    );
    let (_, by_name) = coordinator.get_text("/erns/ERN-RND/requests?q=ada").await;
    let ids: Vec<String> = by_name
        .split("name=\"id\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{by_name}");
    let (_, nobody) = coordinator
        .get_text("/erns/ERN-RND/requests?q=nobody-by-that-name")
        .await;
    assert!(nobody.contains("No requests match"));
    let mut decide = vec![("decision", "approve")];
    decide.extend(ids.iter().map(|id| ("id", id.as_str())));
    let decided = coordinator
        .post_form("/erns/ERN-RND/requests", "/erns/ERN-RND/requests", &decide)
        .await;
    assert!(decided.status().is_redirection(), "{}", decided.status());

    // The applicant may not decide requests.
    let (status, _) = applicant.get_text("/erns/ERN-RND/requests").await;
    assert_eq!(status, 403);

    // The mail server is down at first: the sender retries after it is up.
    while outbox_attempts(&server).await == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let sink = SmtpSink::start(smtp_port).await;
    let mail = sink.wait_for("ada@example.org").await;
    assert!(
        mail.data
            .contains("Subject: Your access request to ERN-RND is approved"),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("multipart/alternative"));

    let (_, mine) = applicant.get_text("/access-requests").await;
    assert_eq!(mine.matches(">approved<").count(), 2, "{mine}");
    sink.stop();
    server.stop().await;
}

both_engines!(sign_up_approve_and_mail);

async fn rejection_is_mailed_with_its_reason(engine: Engine) {
    let sink = SmtpSink::start(SmtpSink::free_port().await).await;
    let server = TestServer::start(engine, Options::training_with_mail(sink.port)).await;
    let (choices, hospital) = server.sign_up_choices_in("ERN-RND").await;
    let hospital = &hospital;
    let applicant = Client::new(&server.url(""));
    let done = applicant
        .post_form(
            "/signup",
            "/signup",
            &[
                ("display_name", "Rex Rejected"),
                ("email", "rex@example.org"),
                ("username", "rex.rejected"),
                ("category", "clinician"),
                ("member", "yes"),
                ("hospital", hospital.code.as_str()),
                ("erns", "ERN-RND"),
                ("cares_for", "adult"),
                ("profession", choices.professions[0].0.as_str()),
                ("specialist_in", "Wilson disease"),
                ("go", "submit"),
                ("password", PASSWORD),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("Your request is sent"), "{done}");

    let coordinator = Client::new(&server.url(""));
    let password = server.training_password("ern-rnd-coordinator");
    coordinator.sign_in("ern-rnd-coordinator", &password).await;
    let (_, queue) = coordinator.get_text("/erns/ERN-RND/requests?q=rex").await;
    let id = hidden_value(&queue, "id").expect("Rex's request in the queue");

    // Rejecting needs a reason; without one nothing is decided or sent.
    let refused = coordinator
        .post_form(
            "/erns/ERN-RND/requests",
            "/erns/ERN-RND/requests",
            &[("reject_one", id.as_str()), ("reason", " ")],
        )
        .await;
    assert_eq!(refused.status(), 400);
    let message = refused.text().await.unwrap();
    assert!(
        message.contains("Reason: tell the applicant why"),
        "{message}"
    );
    let (_, still) = coordinator.get_text("/erns/ERN-RND/requests?q=rex").await;
    assert!(still.contains("Rex Rejected"), "still pending");

    let reason = "Please ask your hospital's ERN-RND representative to confirm";
    let rejected = coordinator
        .post_form(
            "/erns/ERN-RND/requests",
            "/erns/ERN-RND/requests",
            &[("reject_one", id.as_str()), ("reason", reason)],
        )
        .await;
    assert!(rejected.status().is_redirection(), "{}", rejected.status());

    let mail = sink.wait_for("rex@example.org").await;
    assert!(
        mail.data
            .contains("Subject: Your access request to ERN-RND was not approved"),
        "{}",
        mail.data
    );
    let parts = mail.parts();
    assert_eq!(parts.len(), 2, "plain text and HTML: {}", mail.data);
    assert!(parts[0].contains(reason), "{}", parts[0]);
    assert!(parts[0].starts_with("Dear Rex Rejected,"), "{}", parts[0]);
    assert!(
        parts[1].contains("hospital&#39;s ERN-RND representative"),
        "the reason is escaped in HTML: {}",
        parts[1]
    );
    assert_eq!(sink.messages().len(), 1, "one decision, one message");

    // The applicant sees the decision and its reason.
    enrol_totp(&applicant, "rex.rejected", PASSWORD).await;
    let (_, mine) = applicant.get_text("/access-requests").await;
    assert!(mine.contains(">rejected<"), "{mine}");
    assert!(mine.contains(&reason.replace('\'', "&#39;")), "{mine}");

    sink.stop();
    server.stop().await;
}

both_engines!(rejection_is_mailed_with_its_reason);
