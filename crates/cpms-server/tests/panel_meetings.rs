//! Panel meetings through the pages on both engines, with mail through a
//! real SMTP sink: scheduling (the zone from the list, Brussels by
//! default; a bad plan refused with what was typed kept) sends every
//! attendee an invitation that Python's icalendar reads; a change keeps the
//! UID with a higher SEQUENCE; a cancellation is METHOD:CANCEL; minutes
//! are shown to members; members may not schedule.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use cpms_store::repo::users;
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::{Received, SmtpSink};
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use serde_json::Value;
use support::panel::discussed_panel;

both_engines!(meetings_are_scheduled_changed_and_cancelled_by_mail);

async fn email_of(server: &TestServer, username: &str) -> String {
    let mut conn = server.app().store().read().await.unwrap();
    users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap()
        .0
        .email
}

/// The `n`th message (1-based) for `to`, waiting for it.
/// The `n`th calendar invitation mailed to `to` (the panel's notification
/// of the same change is a separate, plain message).
async fn nth_message(sink: &SmtpSink, to: &str, n: usize) -> Received {
    for _ in 0..300 {
        let mine: Vec<_> = sink
            .messages()
            .into_iter()
            .filter(|m| m.to == to && m.data.contains("invite.ics"))
            .collect();
        if let Some(m) = mine.get(n - 1) {
            return m.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("message {n} for {to} did not arrive");
}

/// The calendar part of a message as Python's icalendar reads it.
fn calendar(message: &Received) -> Value {
    let ics = message
        .parts()
        .into_iter()
        .find(|p| p.starts_with("BEGIN:VCALENDAR"))
        .expect("a calendar part");
    const SCRIPT: &str = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
ev = cal.walk('VEVENT')[0]
attendees = ev.get('ATTENDEE', [])
if not isinstance(attendees, list):
    attendees = [attendees]
print(json.dumps({
    'errors': [str(e) for c in cal.walk() for e in c.errors],
    'method': str(cal['METHOD']),
    'uid': str(ev['UID']),
    'sequence': int(ev['SEQUENCE']),
    'start': ev.decoded('DTSTART').isoformat(),
    'end': ev.decoded('DTEND').isoformat(),
    'status': str(ev['STATUS']),
    'location': str(ev['LOCATION']),
    'attendees': [str(a) for a in attendees],
}))
"#;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (scripts/prerequisites installs icalendar)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "icalendar could not read the invitation: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn meetings_are_scheduled_changed_and_cancelled_by_mail(engine: Engine) {
    let sink = SmtpSink::start(SmtpSink::free_port().await).await;
    let server = TestServer::start(engine, Options::training_with_mail(sink.port)).await;
    let (lead, hp2, _hp3, panel, _) = discussed_panel(&server).await;
    let emails = [
        email_of(&server, "bond-hp1").await,
        email_of(&server, "bond-hp2").await,
        email_of(&server, "bond-hp3").await,
    ];
    let new = format!("{panel}/meetings/new");
    let create = format!("{panel}/meetings");

    let (status, page) = lead.get_text(&new).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<option value=\"Europe/Brussels\" selected>"),
        "Brussels by default"
    );
    let day = jiff::Zoned::now()
        .date()
        .saturating_add(jiff::ToSpan::days(30));
    let date = day.to_string();
    let refused = hp2
        .post_form(
            &new,
            &create,
            &[
                ("date", &date),
                ("time", "14:30"),
                ("time_zone", "Europe/Brussels"),
                ("duration", "60"),
                ("agenda", "x"),
            ],
        )
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "members do not schedule"
    );

    let agenda = "1. Imaging review\n2. Genetic testing plan";
    let bad = lead
        .post_form(
            &new,
            &create,
            &[
                ("date", "2001-01-01"),
                ("time", "14:30"),
                ("time_zone", "Mars/Olympus"),
                ("duration", "60"),
                ("agenda", agenda),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("Time zone: choose a time zone from the list"),
        "{page}"
    );
    assert!(page.contains("Imaging review"), "the agenda is kept");

    let scheduled = lead
        .post_form(
            &new,
            &create,
            &[
                ("date", &date),
                ("time", "14:30"),
                ("time_zone", "Europe/Brussels"),
                ("duration", "60"),
                ("agenda", agenda),
            ],
        )
        .await;
    assert_eq!(scheduled.status(), StatusCode::SEE_OTHER);
    let (_, page) = hp2.get_text(&panel).await;
    let id = page
        .split("data-meeting=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        page.contains("14:30 (Europe/Brussels), 60 minutes") && page.contains("datetime=\""),
        "{page}"
    );
    let reference = panel.trim_start_matches("/panels/");
    let link = format!("https://meet.example.org/ern-cpms-{reference}-{id}");
    assert!(
        page.contains(&link),
        "the video link from the default template"
    );

    let expected_start = day
        .at(14, 30, 0, 0)
        .in_tz("Europe/Brussels")
        .unwrap()
        .timestamp();
    let mut uid = String::new();
    for email in &emails {
        let message = nth_message(&sink, email, 1).await;
        assert!(
            message.data.contains("method=REQUEST"),
            "the calendar part's method"
        );
        assert!(message.data.contains("invite.ics"));
        let cal = calendar(&message);
        assert_eq!(cal["errors"], serde_json::json!([]));
        assert_eq!(cal["method"], "REQUEST");
        assert_eq!(cal["sequence"], 0);
        assert_eq!(cal["status"], "CONFIRMED");
        assert_eq!(cal["location"], link.as_str());
        let start: jiff::Timestamp = cal["start"].as_str().unwrap().parse().unwrap();
        assert_eq!(start, expected_start);
        assert_eq!(cal["attendees"].as_array().unwrap().len(), 3);
        assert!(cal["uid"].as_str().unwrap().starts_with(&id));
        uid = cal["uid"].as_str().unwrap().to_owned();
        let text = message.parts().join("\n");
        assert!(text.contains("Imaging review") && text.contains(&link));
        assert!(
            !text.contains(support::clinic::NAME),
            "nothing of the patient"
        );
    }

    // A change: same UID, next SEQUENCE, to everyone.
    let meeting = format!("{panel}/meetings/{id}");
    let changed = lead
        .post_form(
            &meeting,
            &meeting,
            &[
                ("date", &date),
                ("time", "15:00"),
                ("time_zone", "Europe/Lisbon"),
                ("duration", "45"),
                ("agenda", agenda),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    for email in &emails {
        let cal = calendar(&nth_message(&sink, email, 2).await);
        assert_eq!(cal["uid"], uid.as_str());
        assert_eq!(cal["sequence"], 1);
        assert_eq!(cal["method"], "REQUEST");
        let start: jiff::Timestamp = cal["start"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            start,
            day.at(15, 0, 0, 0)
                .in_tz("Europe/Lisbon")
                .unwrap()
                .timestamp()
        );
    }

    // Minutes for the members.
    let minutes = lead
        .post_form(
            &meeting,
            &format!("{meeting}/minutes"),
            &[("minutes", "Agreed to sequence COL1A1.")],
        )
        .await;
    assert_eq!(minutes.status(), StatusCode::SEE_OTHER);
    let (_, page) = hp2.get_text(&panel).await;
    assert!(page.contains("Agreed to sequence COL1A1."));

    // The cancellation: METHOD:CANCEL, the same UID, one more SEQUENCE.
    let cancelled = lead
        .post_form(&meeting, &format!("{meeting}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    for email in &emails {
        let message = nth_message(&sink, email, 3).await;
        assert!(message.data.contains("method=CANCEL"));
        let cal = calendar(&message);
        assert_eq!(cal["method"], "CANCEL");
        assert_eq!(cal["status"], "CANCELLED");
        assert_eq!(cal["uid"], uid.as_str());
        assert_eq!(cal["sequence"], 2);
    }
    let again = lead
        .post_form(
            &meeting,
            &meeting,
            &[
                ("date", &date),
                ("time", "16:00"),
                ("time_zone", "UTC"),
                ("duration", "30"),
                ("agenda", agenda),
            ],
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a cancelled meeting stays cancelled"
    );
    let (_, page) = lead.get_text(&panel).await;
    assert!(page.contains(">Cancelled<"));
    server.stop().await;
    sink.stop();
}
