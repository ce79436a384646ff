use std::io::Write;
use std::process::Command;

use proptest::prelude::*;

use super::lines::{MAX_OCTETS, escape_text, fold_into};
use super::*;

fn person(name: &str, email: &str) -> Invitee {
    Invitee {
        name: name.into(),
        email: email.into(),
    }
}

fn meeting() -> Meeting {
    Meeting {
        uid: "0193a5c2-7d1e-7c3a-9f00-2b5e6a1c9d44@cpms.example.eu".into(),
        sequence: 0,
        organiser: person("Dr. Małgorzata Wiśniewska-Kovač", "m.wisniewska@usk.wroc.pl"),
        attendees: vec![
            person("Prof. Γεώργιος \"Giorgos\" Παπαδόπουλος", "g.papadopoulos@attikon.gr"),
            person("Dr. Олена Шевченко", "o.shevchenko@ohmatdyt.ua"),
            person(
                "Dr. Søren Ødegård-Jørgensen, Klinisk Genetisk Afdeling; Rigshospitalet",
                "soren.jorgensen@regionh.dk",
            ),
        ],
        start: jiff::civil::date(2026, 12, 3).at(14, 0, 0, 0),
        time_zone: "Europe/Brussels".into(),
        duration: SignedDuration::from_mins(90),
        summary: "Panel P-2026-00417; ataxia, 9 years — case discussion".into(),
        description: "Agenda:\r\n1. Case summary (lead)\n2. GAA repeat sizing, results\\next steps\r3. Sign-off; ☕ break".into(),
        location: Some("https://meet.example.org/ern-rnd-0193a5c2,room;1".into()),
        status: MeetingStatus::Confirmed,
    }
}

fn now() -> Timestamp {
    "2026-11-20T14:02:03Z".parse().unwrap()
}

fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

/// Checks the physical form every invitation must have: CRLF line ends
/// only, no line over 75 octets.
fn assert_physical_form(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "bare CR or LF"
    );
    for line in ics.split("\r\n") {
        assert!(line.len() <= MAX_OCTETS, "{} octets: {line:?}", line.len());
    }
}

/// Reads an invitation with the Python `icalendar` package and reports
/// what it understood, as JSON. An independent, widely used reader is the
/// better judge than a parser we would write, and it works out the time
/// values and unescapes the text for us to compare; a Rust crate parser
/// would have been simpler to run but the ones available read far less of
/// the standard (no parameter or TEXT decoding of their own). The test
/// fails, and says why, when Python or the package is missing
/// (`scripts/prerequisites` installs it).
fn read_with_python(ics: &[u8]) -> serde_json::Value {
    const SCRIPT: &str = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
events = cal.walk('VEVENT')
ev = events[0]
attendees = ev.get('ATTENDEE', [])
if not isinstance(attendees, list):
    attendees = [attendees]
print(json.dumps({
    'errors': [str(e) for c in cal.walk() for e in c.errors],
    'method': str(cal['METHOD']),
    'version': str(cal['VERSION']),
    'events': len(events),
    'uid': str(ev['UID']),
    'sequence': int(ev['SEQUENCE']),
    'dtstamp': ev.decoded('DTSTAMP').isoformat(),
    'dtstart': ev.decoded('DTSTART').isoformat(),
    'dtend': ev.decoded('DTEND').isoformat(),
    'summary': str(ev['SUMMARY']),
    'description': str(ev['DESCRIPTION']),
    'location': str(ev['LOCATION']) if 'LOCATION' in ev else None,
    'status': str(ev['STATUS']),
    'organizer': [str(ev['ORGANIZER']), ev['ORGANIZER'].params.get('CN')],
    'attendees': [[str(a), a.params.get('CN')] for a in attendees],
}))
"#;
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(ics).unwrap();
    let output = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(file.path())
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); run scripts/prerequisites"));
    assert!(
        output.status.success(),
        "the icalendar reader failed (run scripts/prerequisites if the package is missing): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn an_independent_reader_understands_the_invitation() {
    let m = meeting();
    let ics = invitation(&m, now()).unwrap();
    assert_physical_form(std::str::from_utf8(&ics).unwrap());
    let read = read_with_python(&ics);
    let expected = serde_json::json!({
        "errors": [],
        "method": "REQUEST",
        "version": "2.0",
        "events": 1,
        "uid": m.uid,
        "sequence": 0,
        "dtstamp": "2026-11-20T14:02:03+00:00",
        // 14:00 in Brussels in December is 13:00 UTC.
        "dtstart": "2026-12-03T13:00:00+00:00",
        "dtend": "2026-12-03T14:30:00+00:00",
        "summary": m.summary,
        "description": "Agenda:\n1. Case summary (lead)\n2. GAA repeat sizing, results\\next steps\n3. Sign-off; ☕ break\n\nStarts Thursday 3 December 2026, 14:00 (Europe/Brussels).",
        "location": m.location,
        "status": "CONFIRMED",
        "organizer": ["mailto:m.wisniewska@usk.wroc.pl", "Dr. Małgorzata Wiśniewska-Kovač"],
        "attendees": [
            ["mailto:g.papadopoulos@attikon.gr", "Prof. Γεώργιος 'Giorgos' Παπαδόπουλος"],
            ["mailto:o.shevchenko@ohmatdyt.ua", "Dr. Олена Шевченко"],
            ["mailto:soren.jorgensen@regionh.dk", "Dr. Søren Ødegård-Jørgensen, Klinisk Genetisk Afdeling; Rigshospitalet"],
        ],
    });
    assert_eq!(read, expected);
}

#[test]
fn updates_and_cancellation_keep_the_uid_and_raise_the_sequence() {
    let first = meeting();
    let mut moved = first.revised();
    moved.start = jiff::civil::date(2026, 7, 1).at(9, 30, 0, 0);
    let cancelled = moved.cancelled();
    assert_eq!((moved.sequence, cancelled.sequence), (1, 2));
    let read = read_with_python(&invitation(&moved, now()).unwrap());
    assert_eq!(read["uid"], first.uid.as_str());
    assert_eq!(read["sequence"], 1);
    // Summer time: Brussels is two hours ahead of UTC.
    assert_eq!(read["dtstart"], "2026-07-01T07:30:00+00:00");
    let read = read_with_python(&invitation(&cancelled, now()).unwrap());
    assert_eq!(
        (
            &read["method"],
            &read["status"],
            &read["sequence"],
            &read["uid"]
        ),
        (
            &"CANCEL".into(),
            &"CANCELLED".into(),
            &2.into(),
            &first.uid.as_str().into()
        )
    );
    assert_eq!(
        content_type(&cancelled),
        "text/calendar; charset=utf-8; method=CANCEL"
    );
    assert_eq!(
        content_type(&first),
        "text/calendar; charset=utf-8; method=REQUEST"
    );
}

#[test]
fn the_lines_are_as_written() {
    let ics = String::from_utf8(invitation(&meeting(), now()).unwrap()).unwrap();
    let lines: Vec<&str> = ics.split("\r\n").collect();
    assert_eq!(
        &lines[..5],
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//ERN-CPMS//Panel meetings//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST"
        ]
    );
    let unfolded = unfold(&ics);
    for expected in [
        "DTSTAMP:20261120T140203Z",
        "DTSTART:20261203T130000Z",
        "DTEND:20261203T143000Z",
        "SUMMARY:Panel P-2026-00417\\; ataxia\\, 9 years — case discussion",
        "LOCATION:https://meet.example.org/ern-rnd-0193a5c2\\,room\\;1",
        "ORGANIZER;CN=\"Dr. Małgorzata Wiśniewska-Kovač\":mailto:m.wisniewska@usk.wroc.pl",
    ] {
        assert!(
            unfolded.split("\r\n").any(|l| l == expected),
            "{expected} in\n{unfolded}"
        );
    }
}

#[test]
fn bad_meetings_are_refused_by_field() {
    type Spoil = fn(&mut Meeting);
    let cases: [(&str, Spoil); 10] = [
        ("time_zone", |m| m.time_zone = "Europe/Atlantis".into()),
        ("time_zone", |m| m.time_zone = "../etc/passwd".into()),
        // Clocks go forward at 02:00 on 29 March 2026: 02:30 never happens.
        ("start", |m| {
            m.start = jiff::civil::date(2026, 3, 29).at(2, 30, 0, 0)
        }),
        // ...and back at 03:00 on 25 October: 02:30 happens twice.
        ("start", |m| {
            m.start = jiff::civil::date(2026, 10, 25).at(2, 30, 0, 0)
        }),
        ("duration", |m| m.duration = SignedDuration::ZERO),
        ("duration", |m| m.duration = SignedDuration::from_hours(13)),
        ("uid", |m| m.uid = "has space@x".into()),
        ("summary", |m| m.summary = "  ".into()),
        ("attendees", |m| m.attendees.clear()),
        ("attendees", |m| {
            m.attendees[1].email = "o.shevchenko@x.ua\r\nATTENDEE:mailto:evil@x".into()
        }),
    ];
    for (field, spoil) in cases {
        let mut m = meeting();
        spoil(&mut m);
        let err = invitation(&m, now()).unwrap_err();
        assert_eq!(err.field, field, "{err}");
    }
    let mut m = meeting();
    m.organiser.email = "no-at-sign".into();
    let err = invitation(&m, now()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "organiser: 'no-at-sign' is not an e-mail address this invitation can carry"
    );
    m.time_zone = "Mars/Olympus".into();
    assert_eq!(
        m.starts_at().unwrap_err().message,
        "'Mars/Olympus' is not a time zone of the tz database, like Europe/Brussels"
    );
}

#[test]
fn escaping_covers_the_four_special_characters() {
    assert_eq!(
        escape_text("a\\b;c,d\ne\r\nf\rg\th\u{7}i"),
        "a\\\\b\\;c\\,d\\ne\\nf\\ng\thi"
    );
}

/// Reverses TEXT escaping, as a reader does.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    /// Folding keeps every physical line within 75 octets, cuts only
    /// between characters (the pieces are `&str`, so a cut inside a UTF-8
    /// sequence would have panicked), and unfolding gives the line back.
    #[test]
    fn folding_round_trips_within_75_octets(line in "[a-zé€😀;:,\\\\ ]{0,400}") {
        let mut out = String::new();
        fold_into(&mut out, &line);
        prop_assert!(out.ends_with("\r\n"));
        let body = &out[..out.len() - 2];
        for physical in body.split("\r\n") {
            prop_assert!(physical.len() <= MAX_OCTETS, "{} octets", physical.len());
        }
        prop_assert_eq!(unfold(body), line);
    }

    /// Escaped text has no line break and no bare `;` or `,`, and reading
    /// it back gives the text with its line breaks made `\n` and other
    /// control characters gone.
    #[test]
    fn escaping_round_trips(text in "[a-z\\\\;,\n\r\t\u{1}é ]{0,80}") {
        let escaped = escape_text(&text);
        prop_assert!(!escaped.contains(['\n', '\r']));
        let expected: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        prop_assert_eq!(unescape(&escaped), expected);
    }

    /// Whatever people type in the summary, agenda and names, the whole
    /// invitation keeps its physical form.
    #[test]
    fn any_text_gives_well_formed_lines(
        summary in "[a-zΩ😀;,\"\\\\ ]{1,200}",
        description in "[a-z€\n\r;,\\\\ ]{0,600}",
        name in "[A-Za-zß\"; ]{0,120}",
    ) {
        let mut m = meeting();
        m.summary = summary;
        m.description = description;
        m.attendees[0].name = name;
        prop_assume!(!m.summary.trim().is_empty());
        let ics = String::from_utf8(invitation(&m, now()).unwrap()).unwrap();
        assert_physical_form(&ics);
    }
}
