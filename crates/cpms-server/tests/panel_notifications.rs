//! Panel events become notifications, written in the same transaction as
//! the change, over HTTP on both engines: an invitation reaches the
//! invitee's centre (unread count up) and, with "immediately", their inbox
//! at a real SMTP sink, marked urgent for urgent panels; "off" sends no
//! mail; answers, contributions, requests for information and their
//! answers, sign-off, closing, triage, forwarding and returning reach the right
//! people and not the author; inviting an expert group or, by e-mail, a
//! guest who has an account tells each invitee; `@username` mentions reach only people who can see the
//! panel and are highlighted; the reminder job tells an overdue urgent
//! panel's people once a day until it closes; texts carry the pseudonym and reference, never identity.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use cpms_testkit::client::Client;
use cpms_testkit::identity::location;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::SmtpSink;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::clinic::{self, NAME, RECORD_NUMBER, signed_in};
use support::notices::account;
use support::panel::{answer, invite, outcome_for_sign_off, post, step, submit, user_id};

both_engines!(
    invitations_and_the_discussion_notify_the_right_people,
    triage_reaches_the_network_and_returning_reaches_the_lead,
    forwarding_groups_and_guests_tell_the_people_concerned,
    mentions_notify_only_people_who_see_the_panel,
    overdue_urgent_panels_are_reminded_once_a_day,
);

/// The caller's centre through the API: (unread count, items).
async fn centre(client: &Client) -> (i64, Vec<Value>) {
    let (status, body) = client.get_text("/api/v1/notifications").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    (
        page["unread"].as_i64().unwrap(),
        page["items"].as_array().unwrap().clone(),
    )
}

/// The one item of kind `event` in `client`'s centre.
async fn the_one(client: &Client, event: &str) -> Value {
    let (_, items) = centre(client).await;
    let found: Vec<&Value> = items.iter().filter(|n| n["event"] == event).collect();
    assert_eq!(found.len(), 1, "one {event} in {items:?}");
    found[0].clone()
}

async fn kinds(client: &Client) -> Vec<String> {
    let (_, items) = centre(client).await;
    items
        .iter()
        .map(|n| n["event"].as_str().unwrap().to_owned())
        .collect()
}

async fn invitations_and_the_discussion_notify_the_right_people(engine: Engine) {
    let sink = SmtpSink::start(SmtpSink::free_port().await).await;
    let server = TestServer::start(engine, Options::training_with_mail(sink.port)).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let keen = signed_in(&server, "bond-hp2").await;
    let quiet = signed_in(&server, "bond-hp3").await;
    let preference = quiet
        .http
        .put(quiet.url("/api/v1/notifications/preferences"))
        .header("x-csrf-token", quiet.csrf("/").await)
        .json(&json!({"invitation": "off"}))
        .send()
        .await
        .unwrap();
    assert_eq!(preference.status(), StatusCode::OK);

    let record = clinic::enrol(&server, &lead, "bond-hp1").await;
    let pseudonym = record.trim_start_matches("/patients/").to_owned();
    let panel = submit(&lead, &record, "urgent", &[]).await;
    let reference = panel.trim_start_matches("/panels/").to_owned();
    let (before, _) = centre(&keen).await;
    invite(
        &lead,
        &panel,
        &[
            user_id(&server, "bond-hp2").await,
            user_id(&server, "bond-hp3").await,
        ],
    )
    .await;

    // The invitee's centre has it, urgent, linking to the panel, naming
    // only the pseudonym; the count rose.
    let (after, _) = centre(&keen).await;
    assert_eq!(after, before + 1);
    let invited = the_one(&keen, "invitation").await;
    assert_eq!(invited["urgent"], true);
    assert_eq!(invited["link"], panel.as_str());
    assert_eq!(
        invited["headline"],
        format!("URGENT: Panel {reference}: you are invited")
    );
    let text = invited["text"].as_str().unwrap();
    assert!(text.contains(&pseudonym), "{text}");
    assert!(!text.contains(NAME) && !text.contains(RECORD_NUMBER));
    // …and, "immediately", their inbox, urgent in the subject.
    let keen_mail = account(&server, "bond-hp2").await.email;
    let mail = sink.wait_for(&keen_mail).await;
    assert!(
        mail.data.contains(&format!(
            "Subject: URGENT: Panel {reference}: you are invited"
        )),
        "{}",
        mail.data
    );
    assert!(!mail.data.contains(NAME) && !mail.data.contains(RECORD_NUMBER));
    // "Off": in the centre, but no mail.
    the_one(&quiet, "invitation").await;

    answer(&keen, &panel, &[("answer", "accept")]).await;
    answer(
        &quiet,
        &panel,
        &[("answer", "decline"), ("reason", "Outside my field")],
    )
    .await;
    let (_, items) = centre(&lead).await;
    let answers: Vec<&str> = items
        .iter()
        .filter(|n| n["event"] == "invitation_answered")
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(answers.len(), 2, "{items:?}");
    assert!(answers.iter().any(|t| t.contains("accepted")));
    assert!(
        answers.iter().any(|t| t.contains("Outside my field")),
        "the decline reason reaches the lead: {answers:?}"
    );

    // A contribution tells the lead, not its author; the decliner hears
    // nothing more.
    let sent = post(
        &keen,
        &panel,
        &[("kind", "contribution"), ("body", "Sequence COL1A1.")],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    the_one(&lead, "contribution").await;
    assert!(!kinds(&keen).await.contains(&"contribution".to_owned()));

    // A request for information goes to the lead, the answer to the asker.
    let asked = post(
        &keen,
        &panel,
        &[("kind", "info_request"), ("body", "Any dental findings?")],
    )
    .await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    the_one(&lead, "information_requested").await;
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
            ("body", "None."),
        ],
    )
    .await;
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    the_one(&keen, "information_answered").await;

    // Asking for sign-off and closing tell the members.
    outcome_for_sign_off(&lead, &panel).await;
    the_one(&keen, "outcome_ready_for_sign_off").await;
    let closed = step(
        &lead,
        &panel,
        &[("transition", "close"), ("confirm_few", "on")],
    )
    .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let closing = the_one(&keen, "panel_closed").await;
    assert_eq!(closing["urgent"], true);
    assert!(!kinds(&quiet).await.contains(&"panel_closed".to_owned()));
    assert!(!kinds(&lead).await.contains(&"panel_closed".to_owned()));

    let quiet_mail = account(&server, "bond-hp3").await.email;
    assert!(
        sink.messages().iter().all(|m| !m.to.contains(&quiet_mail)),
        "no mail for an invitation whose delivery is off"
    );
    server.stop().await;
    sink.stop();
}

async fn triage_reaches_the_network_and_returning_reaches_the_lead(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let coordinator = signed_in(&server, "bond-coordinator").await;
    let foreign = signed_in(&server, "ern-rnd-coordinator").await;
    let record = clinic::enrol(&server, &lead, "bond-hp1").await;
    let panel = submit(&lead, &record, "routine", &[("ern_help", "on")]).await;

    let waiting = the_one(&coordinator, "triage_item_waiting").await;
    assert_eq!(waiting["urgent"], false);
    assert_eq!(waiting["link"], panel.as_str());
    assert!(kinds(&foreign).await.is_empty(), "another network's queue");

    let returned = coordinator
        .post_form(
            &panel,
            &format!("{panel}/return"),
            &[("comment", "Please share the phenotype too")],
        )
        .await;
    assert_eq!(returned.status(), StatusCode::SEE_OTHER);
    let back = the_one(&lead, "returned_from_triage").await;
    assert!(
        !back["text"]
            .as_str()
            .unwrap()
            .contains("Please share the phenotype"),
        "the comment stays on the request form"
    );
    server.stop().await;
}

/// The one item of kind `event` about `panel` in `client`'s centre.
async fn the_one_about(client: &Client, event: &str, panel: &str) -> Value {
    let (_, items) = centre(client).await;
    let found: Vec<&Value> = items
        .iter()
        .filter(|n| n["event"] == event && n["link"] == panel)
        .collect();
    assert_eq!(found.len(), 1, "one {event} about {panel} in {items:?}");
    found[0].clone()
}

async fn forwarding_groups_and_guests_tell_the_people_concerned(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let coordinator = signed_in(&server, "bond-coordinator").await;
    let record = clinic::enrol(&server, &lead, "bond-hp1").await;

    // Forwarded from triage with an expert: the lead hears the panel is open.
    let panel = submit(&lead, &record, "urgent", &[("ern_help", "on")]).await;
    let form = format!("{panel}/invite");
    let hp2 = user_id(&server, "bond-hp2").await.to_string();
    let forwarded = coordinator
        .post_form(&form, &form, &[("experts", &hp2), ("action", "forward")])
        .await;
    assert_eq!(forwarded.status(), StatusCode::SEE_OTHER);
    let opened = the_one_about(&lead, "forwarded_from_triage", &panel).await;
    assert_eq!(opened["urgent"], true);
    assert!(
        opened["text"]
            .as_str()
            .unwrap()
            .contains("opened your panel"),
        "{opened}"
    );

    // An expert group: each expert the invitation reaches is told.
    let groups = "/erns/BOND/expert-groups";
    let created = coordinator
        .post_form(groups, groups, &[("name", "Bone fragility")])
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let group = location(&created);
    let hp3 = user_id(&server, "bond-hp3").await.to_string();
    let added = coordinator
        .post_form(&group, &format!("{group}/members"), &[("experts", &hp3)])
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let by_group = lead
        .post_form(
            &form,
            &format!("{panel}/invite-group"),
            &[("group", group.rsplit('/').next().unwrap())],
        )
        .await;
    assert_eq!(by_group.status(), StatusCode::SEE_OTHER);
    let grouped = signed_in(&server, "bond-hp3").await;
    let invited = the_one_about(&grouped, "invitation", &panel).await;
    assert_eq!(invited["urgent"], true);

    // A "guest" by e-mail who already has an account: told in the centre.
    let known = account(&server, "bond-hp4").await.email;
    let guest = lead
        .post_form(
            &form,
            &format!("{panel}/guests"),
            &[("name", "A colleague"), ("email", &known)],
        )
        .await;
    assert_eq!(guest.status(), StatusCode::SEE_OTHER);
    let colleague = signed_in(&server, "bond-hp4").await;
    the_one_about(&colleague, "invitation", &panel).await;

    // Forwarded to another lead: both are told, each their part.
    let second = submit(&lead, &record, "routine", &[("ern_help", "on")]).await;
    let form = format!("{second}/invite");
    let hp5 = user_id(&server, "bond-hp5").await.to_string();
    let handed = coordinator
        .post_form(&form, &form, &[("lead", &hp5), ("action", "forward")])
        .await;
    assert_eq!(handed.status(), StatusCode::SEE_OTHER);
    let former = the_one_about(&lead, "forwarded_from_triage", &second).await;
    assert_eq!(former["urgent"], false);
    assert!(
        former["text"]
            .as_str()
            .unwrap()
            .contains("another clinician"),
        "{former}"
    );
    let new_lead = signed_in(&server, "bond-hp5").await;
    let told = the_one_about(&new_lead, "forwarded_from_triage", &second).await;
    assert_eq!(
        told["headline"],
        format!(
            "Panel {}: you are the lead",
            second.trim_start_matches("/panels/")
        )
    );
    server.stop().await;
}

async fn mentions_notify_only_people_who_see_the_panel(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let member = signed_in(&server, "bond-hp2").await;
    let outsider = signed_in(&server, "bond-hp3").await;
    let stranger = signed_in(&server, "ern-rnd-hp1").await;
    let record = clinic::enrol(&server, &lead, "bond-hp1").await;
    let panel = submit(&lead, &record, "urgent", &[]).await;
    invite(&lead, &panel, &[user_id(&server, "bond-hp2").await]).await;
    answer(&member, &panel, &[("answer", "accept")]).await;

    let body = "@Bond-HP1 could you add the X-rays? cc @bond-hp3, @ern-rnd-hp1, \
                @no-such-user and me@bond-hp2.example";
    let sent = post(&member, &panel, &[("kind", "comment"), ("body", body)]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);

    let mentioned = the_one(&lead, "mentioned").await;
    assert_eq!(mentioned["urgent"], true);
    assert_eq!(mentioned["link"], panel.as_str());
    assert!(kinds(&outsider).await.is_empty(), "no access, no word");
    assert!(kinds(&stranger).await.is_empty(), "another network");
    assert!(
        !kinds(&member).await.contains(&"mentioned".to_owned()),
        "the author is not told about their own message"
    );

    let (_, page) = lead.get_text(&panel).await;
    assert!(
        page.contains(r#"<mark class="mention">@Bond-HP1</mark> could you add"#),
        "{page}"
    );
    assert!(page.contains(r#"<mark class="mention">@bond-hp3</mark>,"#));
    assert!(
        page.contains("me@bond-hp2.example"),
        "an e-mail address is not a mention"
    );
    assert!(page.contains("notifies nobody"), "the hint says so");
    server.stop().await;
}

async fn overdue_urgent_panels_are_reminded_once_a_day(engine: Engine) {
    let server = TestServer::training(engine).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let member = signed_in(&server, "bond-hp2").await;
    let now = jiff::Timestamp::now();
    let due = now
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .saturating_add(jiff::Span::new().days(3))
        .to_string();
    let record = clinic::enrol(&server, &lead, "bond-hp1").await;
    let urgent = submit(&lead, &record, "urgent", &[("answer_by", &due)]).await;
    let routine = submit(&lead, &record, "routine", &[("answer_by", &due)]).await;
    for panel in [&urgent, &routine] {
        invite(&lead, panel, &[user_id(&server, "bond-hp2").await]).await;
        answer(&member, panel, &[("answer", "accept")]).await;
    }
    let app = server.app();
    let days = |n: i64| now + jiff::SignedDuration::from_hours(24 * n);

    assert_eq!(
        app.send_due_reminders(days(3)).await.unwrap(),
        0,
        "on the date"
    );
    assert_eq!(
        app.send_due_reminders(days(4)).await.unwrap(),
        1,
        "only the urgent one"
    );
    for client in [&lead, &member] {
        let reminder = the_one(client, "urgent_answer_date_passed").await;
        assert_eq!(reminder["urgent"], true);
        assert_eq!(reminder["link"], urgent.as_str());
    }
    assert_eq!(
        app.send_due_reminders(days(4) + jiff::SignedDuration::from_secs(60))
            .await
            .unwrap(),
        0,
        "once a day, however often the job runs"
    );
    assert_eq!(
        app.send_due_reminders(days(5)).await.unwrap(),
        1,
        "the next day"
    );
    let count = |items: Vec<Value>| {
        items
            .iter()
            .filter(|n| n["event"] == "urgent_answer_date_passed")
            .count()
    };
    assert_eq!(count(centre(&member).await.1), 2);

    let cancelled = step(&lead, &urgent, &[("transition", "cancel")]).await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.send_due_reminders(days(6)).await.unwrap(),
        0,
        "not once it ended"
    );
    assert_eq!(count(centre(&lead).await.1), 2);
    server.stop().await;
}
