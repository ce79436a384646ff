//! Notifications over HTTP: written through `App::notify` as a use case
//! would, shown in the centre and counted by the bell, marked read (only by
//! their recipient), preferences saved and validated on the page and the
//! API, e-mail sent at once over real SMTP or gathered into one daily
//! digest, and the live stream pushing a change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use cpms_domain::notification::EventType;
use cpms_testkit::client::Client;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::SmtpSink;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;
use support::notices::{about, account, notify};

both_engines!(
    the_centre_counts_lists_and_marks_read,
    preferences_are_saved_and_validated,
    mail_goes_at_once_or_in_one_daily_digest,
);

async fn signed_in(server: &TestServer, username: &str) -> Client {
    let client = Client::new(&server.url(""));
    let response = client
        .sign_in(username, &server.training_password(username))
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    client
}

async fn api(
    client: &Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client
        .http
        .request(method, client.url(path))
        .header("x-csrf-token", client.csrf("/").await);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The bell's count on a page.
fn bell(page: &str) -> String {
    let at = page.find("id=\"unread-count\"").expect("the bell");
    let rest = &page[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find('<').unwrap();
    rest[start..end].to_owned()
}

async fn the_centre_counts_lists_and_marks_read(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = account(&server, "ern-rnd-hp1").await;
    let nora = signed_in(&server, "ern-rnd-hp1").await;
    let otto = signed_in(&server, "ern-rnd-hp2").await;
    let (_, home) = nora.get_text("/").await;
    assert_eq!(bell(&home), "0");

    notify(
        &server,
        &[lead.id, lead.id],
        &about(EventType::Invitation, "P-0001", true),
    )
    .await;
    notify(
        &server,
        &[lead.id],
        &about(EventType::Contribution, "P-0002", false),
    )
    .await;

    let (_, home) = nora.get_text("/").await;
    assert_eq!(bell(&home), "2", "named twice, told once");
    let (status, centre) = nora.get_text("/notifications").await;
    assert_eq!(status, 200);
    assert!(
        centre.contains(">Panel P-0001: You are invited to a panel<"),
        "{centre}"
    );
    assert!(centre.contains("class=\"badge-urgent\""), "urgent badge");
    assert!(
        !centre.contains("URGENT: Panel"),
        "the badge alone marks it urgent in the centre"
    );
    assert!(
        centre.contains("href=\"/panels/P-0001\""),
        "links into the app"
    );
    assert!(centre.contains("Patient 7KQ4-M2XA-C9HZ"));

    let (status, list) = api(&nora, reqwest::Method::GET, "/api/v1/notifications", None).await;
    assert_eq!(status, 200);
    assert_eq!(list["unread"], 2);
    assert_eq!(list["items"][0]["event"], "contribution", "newest first");
    assert_eq!(
        list["items"][1]["headline"],
        "URGENT: Panel P-0001: You are invited to a panel"
    );
    let invitation = list["items"][1]["id"].as_str().unwrap().to_owned();
    let contribution = list["items"][0]["id"].as_str().unwrap().to_owned();

    // Someone else can neither see nor mark them.
    let (_, others) = otto.get_text("/notifications").await;
    assert!(!others.contains("P-0001"), "{others}");
    let refused = otto
        .post_form(
            "/notifications",
            &format!("/notifications/{invitation}/read"),
            &[],
        )
        .await;
    assert_eq!(refused.status(), 404);
    let (status, problem) = api(
        &otto,
        reqwest::Method::POST,
        &format!("/api/v1/notifications/{invitation}/read"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(problem["code"], "not_found");
    let (_, count) = api(
        &otto,
        reqwest::Method::POST,
        "/api/v1/notifications/read-all",
        None,
    )
    .await;
    assert_eq!(count["marked"], 0);
    let (status, _) = api(
        &nora,
        reqwest::Method::POST,
        "/api/v1/notifications/not-an-id/read",
        None,
    )
    .await;
    assert_eq!(status, 404);

    // The recipient marks one read on the page, the rest through the API.
    let done = nora
        .post_form(
            "/notifications",
            &format!("/notifications/{invitation}/read"),
            &[],
        )
        .await;
    assert_eq!(done.status(), 303);
    let (_, unread) = api(
        &nora,
        reqwest::Method::GET,
        "/api/v1/notifications/unread-count",
        None,
    )
    .await;
    assert_eq!(unread["unread"], 1);
    let (_, centre) = nora.get_text("/notifications").await;
    let first = centre.find("P-0002").unwrap();
    let second = centre.find("P-0001").unwrap();
    assert!(first < second, "unread first");
    let (_, marked) = api(
        &nora,
        reqwest::Method::POST,
        "/api/v1/notifications/read-all",
        None,
    )
    .await;
    assert_eq!(marked["marked"], 1);
    let (_, home) = nora.get_text("/").await;
    assert_eq!(bell(&home), "0");
    let (_, list) = api(&nora, reqwest::Method::GET, "/api/v1/notifications", None).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["read_at"].is_string())
    );
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == contribution.as_str())
    );
    server.stop().await;
}

async fn preferences_are_saved_and_validated(engine: Engine) {
    let server = TestServer::training(engine).await;
    let nora = signed_in(&server, "ern-rnd-hp1").await;
    let (status, page) = nora.get_text("/account/notifications").await;
    assert_eq!(status, 200);
    assert!(page.contains("A new contribution to a panel"));
    assert!(page.contains("name=\"contribution\" value=\"immediately\" aria-labelledby=\"label-contribution col-immediately\" checked"), "immediately by default");
    let (_, security) = nora.get_text("/account/security").await;
    assert!(
        security.contains("href=\"/account/notifications\""),
        "linked from the account pages"
    );

    let saved = nora
        .post_form(
            "/account/notifications",
            "/account/notifications",
            &[("contribution", "daily_digest"), ("panel_closed", "off")],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let page = saved.text().await.unwrap();
    assert!(page.contains("Your notification settings are saved."));
    assert!(page.contains("name=\"contribution\" value=\"daily_digest\" aria-labelledby=\"label-contribution col-daily_digest\" checked"));

    // A bad value is refused naming the kind; nothing of the form is kept.
    let refused = nora
        .post_form(
            "/account/notifications",
            "/account/notifications",
            &[("invitation", "off"), ("contribution", "weekly")],
        )
        .await;
    assert_eq!(refused.status(), 400);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("A new contribution to a panel: &#39;weekly&#39; is not a delivery; choose immediately, daily_digest or off"),
        "{page}"
    );
    let (_, prefs) = api(
        &nora,
        reqwest::Method::GET,
        "/api/v1/notifications/preferences",
        None,
    )
    .await;
    let of = |prefs: &Value, event: &str| {
        prefs
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["event"] == event)
            .unwrap()["delivery"]
            .clone()
    };
    assert_eq!(of(&prefs, "contribution"), "daily_digest");
    assert_eq!(
        of(&prefs, "invitation"),
        "immediately",
        "the refused form changed nothing"
    );
    assert_eq!(prefs.as_array().unwrap().len(), EventType::ALL.len());

    let (status, problem) = api(
        &nora,
        reqwest::Method::PUT,
        "/api/v1/notifications/preferences",
        Some(json!({"meeting_changed": "sometimes"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("A panel meeting changed: 'sometimes' is not a delivery"),
        "{problem}"
    );
    let (status, problem) = api(
        &nora,
        reqwest::Method::PUT,
        "/api/v1/notifications/preferences",
        Some(json!({"birthday": "off"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("'birthday' is not a kind of notification"),
        "{problem}"
    );
    let (status, prefs) = api(
        &nora,
        reqwest::Method::PUT,
        "/api/v1/notifications/preferences",
        Some(json!({"meeting_changed": "off"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(of(&prefs, "meeting_changed"), "off");
    assert_eq!(of(&prefs, "panel_closed"), "off");

    // Each saving that changed something is audited, with what changed.
    let mut conn = server.app().store().read().await.unwrap();
    let details: Vec<String> = sqlx::query(
        "SELECT detail FROM audit_events WHERE action = 'notification.preferences_changed' ORDER BY seq",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get("detail").unwrap())
    .collect();
    assert_eq!(
        details,
        [
            "contribution=daily_digest, panel_closed=off",
            "meeting_changed=off"
        ]
    );
    drop(conn);
    server.stop().await;
}

async fn mail_goes_at_once_or_in_one_daily_digest(engine: Engine) {
    let sink = SmtpSink::start(SmtpSink::free_port().await).await;
    let server = TestServer::start(
        engine,
        Options {
            training: true,
            env: vec![
                ("CPMS_SMTP_HOST".into(), "127.0.0.1".into()),
                ("CPMS_SMTP_PORT".into(), sink.port.to_string()),
            ],
        },
    )
    .await;
    let lead = account(&server, "ern-rnd-hp1").await;
    let expert = account(&server, "ern-rnd-hp2").await;
    let nora = signed_in(&server, "ern-rnd-hp1").await;
    let otto = signed_in(&server, "ern-rnd-hp2").await;
    api(
        &nora,
        reqwest::Method::PUT,
        "/api/v1/notifications/preferences",
        Some(json!({"panel_closed": "off"})),
    )
    .await;
    let everything_daily: serde_json::Map<String, Value> = EventType::ALL
        .iter()
        .map(|e| (e.as_str().to_owned(), json!("daily_digest")))
        .collect();
    let (status, _) = api(
        &otto,
        reqwest::Method::PUT,
        "/api/v1/notifications/preferences",
        Some(Value::Object(everything_daily)),
    )
    .await;
    assert_eq!(status, 200);

    // Immediately: one e-mail, urgent in the subject, the link absolute.
    notify(
        &server,
        &[lead.id],
        &about(EventType::InformationRequested, "P-0007", true),
    )
    .await;
    let mail = sink.wait_for(&lead.email).await;
    assert!(
        mail.data
            .contains("Subject: URGENT: Panel P-0007: More information is requested from you"),
        "{}",
        mail.data
    );
    let parts = mail.parts();
    assert_eq!(parts.len(), 2, "plain text and HTML");
    let link = format!("http://localhost:{}/panels/P-0007", server.addr.port());
    assert!(parts[0].contains(&link), "{}", parts[0]);
    assert!(parts[0].contains("Patient 7KQ4-M2XA-C9HZ"));
    assert!(
        parts[1].contains(&format!("href=\"{link}\"")),
        "{}",
        parts[1]
    );
    assert!(parts[1].contains(">URGENT<"), "a badge in the HTML");

    // Off: in the centre, no e-mail.
    notify(
        &server,
        &[lead.id],
        &about(EventType::PanelClosed, "P-0007", true),
    )
    .await;
    // Daily digest: nothing now…
    for (event, panel) in [
        (EventType::Invitation, "P-0010"),
        (EventType::MeetingScheduled, "P-0011"),
        (EventType::UrgentAnswerDatePassed, "P-0012"),
    ] {
        notify(
            &server,
            &[expert.id],
            &about(event, panel, panel == "P-0012"),
        )
        .await;
    }
    let read_one = about(EventType::Contribution, "P-0013", false);
    notify(&server, &[expert.id], &read_one).await;
    let (_, list) = api(&otto, reqwest::Method::GET, "/api/v1/notifications", None).await;
    let p13 = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["link"] == "/panels/P-0013")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    api(
        &otto,
        reqwest::Method::POST,
        &format!("/api/v1/notifications/{p13}/read"),
        None,
    )
    .await;
    let (_, unread) = api(
        &nora,
        reqwest::Method::GET,
        "/api/v1/notifications/unread-count",
        None,
    )
    .await;
    assert_eq!(
        unread["unread"], 2,
        "the one turned off is still in the centre"
    );

    // …then one digest of what is still unread, once.
    let tomorrow = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24))
        .unwrap();
    assert_eq!(server.app().send_due_digests(tomorrow).await.unwrap(), 1);
    assert_eq!(
        server.app().send_due_digests(tomorrow).await.unwrap(),
        0,
        "once a day"
    );
    let digest = sink.wait_for(&expert.email).await;
    assert!(
        digest
            .data
            .contains("Subject: ERN-CPMS: 3 notifications today (1 URGENT)"),
        "{}",
        digest.data
    );
    let text = &digest.parts()[0];
    for expected in [
        "Panel P-0010",
        "Panel P-0011",
        "URGENT: Panel P-0012",
        "/panels/P-0011",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(
        !text.contains("P-0013"),
        "read in the app, left out: {text}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let to = |who: &str| sink.messages().iter().filter(|m| m.to == who).count();
    assert_eq!(to(&lead.email), 1, "immediately once, off never");
    assert_eq!(to(&expert.email), 1, "one digest, nothing immediately");
    sink.stop();
    server.stop().await;
}

/// Reads the event stream until `wanted` has arrived (at most 10 s).
async fn read_until(stream: &mut reqwest::Response, received: &mut String, wanted: &str) {
    let arrived = tokio::time::timeout(Duration::from_secs(10), async {
        while !received.contains(wanted) {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            received.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    assert!(arrived.is_ok(), "no {wanted} in: {received}");
}

#[tokio::test]
async fn the_live_stream_pushes_the_count_and_the_new_item() {
    let server = TestServer::training(Engine::Sqlite).await;
    let lead = account(&server, "ern-rnd-hp1").await;
    let nora = signed_in(&server, "ern-rnd-hp1").await;
    let mut stream = nora.get("/notifications/stream").await;
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    assert_eq!(stream.headers()["x-accel-buffering"], "no");
    let mut received = String::new();
    read_until(&mut stream, &mut received, "\"unread\":0").await;
    assert!(received.contains("event: notifications"), "{received}");

    received.clear();
    notify(
        &server,
        &[lead.id],
        &about(EventType::MeetingChanged, "P-0042", true),
    )
    .await;
    read_until(&mut stream, &mut received, "\"unread\":1").await;
    assert!(
        received.contains("\"title\":\"Panel P-0042: A panel meeting changed\"")
            && received.contains("\"urgent\":true"),
        "{received}"
    );
    assert!(
        received.contains("\"link\":\"/panels/P-0042\""),
        "{received}"
    );

    // Marking read elsewhere (another tab, the API) reaches the stream too.
    received.clear();
    nora.post_form("/notifications", "/notifications/read-all", &[])
        .await;
    read_until(&mut stream, &mut received, "\"unread\":0").await;

    // Without a session there is no stream.
    let stranger = Client::new(&server.url(""));
    let refused = stranger.get("/notifications/stream").await;
    assert_ne!(refused.status(), 200);

    // An open stream does not hold up a graceful shutdown: it ends.
    tokio::time::timeout(Duration::from_secs(10), server.stop())
        .await
        .expect("the server stops with a stream open");
    let end = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(end.is_ok(), "the stream ended");
}
