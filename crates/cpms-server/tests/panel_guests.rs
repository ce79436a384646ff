//! Guests invited to a panel by e-mail, over HTTP with the real SMTP sink
//! on both engines: the lead invites a guest (a bad address is refused and
//! the form keeps what was typed), the mail carries an absolute single-use
//! link (only its hash is stored), the guest signs up through it, enrols an
//! authenticator app, accepts and contributes; the membership is approved
//! by the invitation (audited with the inviter) until the guest period
//! ends; the guest downloads what the panel shares, and the outcome lists
//! them with the hospital they named. Used, expired and altered links get a page saying so; an address
//! that has an account is invited to sign in instead.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::client::Client;
use cpms_testkit::identity::{location, manual_key, recovery_codes, totp_code, totp_handle};
use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::smtp_sink::SmtpSink;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use sqlx::Row;
use support::clinic::{enrol, signed_in};
use support::files::{download_links, upload};

both_engines!(
    a_guest_invited_by_mail_signs_up_enrols_and_contributes,
    unusable_links_and_existing_accounts,
);

const GUEST: &str = "ada.guest@example.org";

/// A panel of `bond-hp1` sharing a PDF of the record, submitted and open;
/// returns its path.
async fn open_panel(server: &TestServer, lead: &Client) -> String {
    let record = enrol(server, lead, "bond-hp1").await;
    let pdf = b"%PDF-1.4\n1 0 obj << /Title (Skeletal survey) >> endobj\n%%EOF\n".to_vec();
    let uploaded = upload(lead, &record, "survey.pdf", "application/pdf", pdf, false).await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let links = download_links(lead, &record).await;
    let attachment = links[0].rsplit('/').next().unwrap();
    let form = format!("{record}/consultation");
    let response = lead
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "diagnosis"),
                ("questions", "Is this a collagen disorder?"),
                ("urgency", "routine"),
                ("sections", "summary"),
                ("attachments", attachment),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

async fn invite_guest(lead: &Client, panel: &str, name: &str, email: &str) -> reqwest::Response {
    lead.post_form(
        &format!("{panel}/invite"),
        &format!("{panel}/guests"),
        &[("name", name), ("email", email)],
    )
    .await
}

/// The sign-up link of the invitation mailed to `to`, as a path.
async fn mailed_link(sink: &SmtpSink, server: &TestServer, to: &str) -> String {
    let mail = sink.wait_for(to).await;
    let parts = mail.parts();
    let text = &parts[0];
    let start = text.find("http").expect("a link");
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(
        parts[1].contains(&format!("<a href=\"{link}\">")),
        "{}",
        parts[1]
    );
    let origin = server.localhost_url("");
    assert!(link.starts_with(&origin), "absolute: {link} from {origin}");
    link[origin.len()..].to_owned()
}

async fn scalar(server: &TestServer, sql: &str, bind: &str) -> String {
    let mut conn = server.app().store().read().await.unwrap();
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(bind.to_owned())
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    row.try_get::<String, _>(0)
        .or_else(|_| row.try_get::<i64, _>(0).map(|n| n.to_string()))
        .unwrap()
}

fn sign_up_fields<'a>(username: &'a str, hospital: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("display_name", "Dr Ada Guest"),
        ("username", username),
        ("hospital", hospital),
        ("country", "NO"),
        ("profession", "clinical_geneticist"),
        ("specialist_in", "Skeletal dysplasias in adults"),
        ("password", "a long passphrase for the guest"),
    ]
}

async fn a_guest_invited_by_mail_signs_up_enrols_and_contributes(engine: Engine) {
    let sink = SmtpSink::start(0).await;
    let server = TestServer::start(engine, Options::training_with_mail(sink.port)).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let panel = open_panel(&server, &lead).await;
    let reference = panel.trim_start_matches("/panels/").to_owned();

    let (status, page) = lead.get_text(&format!("{panel}/invite")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Invite a guest by e-mail"), "{page}");
    let bad = invite_guest(&lead, &panel, "Dr Ada Guest", "not an address").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("id=\"guest-error\">E-mail: give the guest"),
        "{page}"
    );
    assert!(
        page.contains("value=\"Dr Ada Guest\""),
        "the typed name is kept"
    );

    let sent = invite_guest(&lead, &panel, "Dr Ada Guest", GUEST).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let (_, page) = lead.get_text(&panel).await;
    assert!(
        page.contains("Guests invited by e-mail") && page.contains(GUEST),
        "{page}"
    );
    let link = mailed_link(&sink, &server, GUEST).await;
    let token = link.trim_start_matches("/guest-invitations/").to_owned();
    let stored = scalar(
        &server,
        "SELECT COUNT(*) FROM panel_guest_invitations WHERE token_hash = $1 OR id = $1",
        &token,
    )
    .await;
    assert_eq!(stored, "0", "the token itself is not stored");

    let guest = Client::new(&server.url(""));
    let (status, page) = guest.get_text(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&reference) && page.contains(GUEST) && page.contains("Dr Ada Guest"));

    // A mistake keeps the form and creates nothing.
    let mut fields = sign_up_fields("ada.guest", "");
    let refused = guest.post_form(&link, &link, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Your hospital: give the name"), "{page}");
    assert!(page.contains("value=\"ada.guest\""));
    let accounts = "SELECT COUNT(*) FROM users WHERE email = $1";
    assert_eq!(scalar(&server, accounts, GUEST).await, "0");

    fields = sign_up_fields("ada.guest", "Hôpital Cantonal de Test");
    let joined = guest.post_form(&link, &link, &fields).await;
    assert_eq!(
        joined.status(),
        StatusCode::SEE_OTHER,
        "{}",
        joined.text().await.unwrap()
    );
    assert_eq!(location(&joined), "/account/enrol");
    let (status, page) = guest.get_text("/account/enrol").await;
    assert_eq!(status, StatusCode::OK);
    let (key, handle) = (manual_key(&page), totp_handle(&page));
    let code = totp_code(&key, 0);
    let enrolled = guest
        .post_form(
            "/account/enrol",
            "/account/totp",
            &[("handle", handle.as_str()), ("code", code.as_str())],
        )
        .await;
    assert_eq!(enrolled.status(), StatusCode::OK);
    assert!(!recovery_codes(&enrolled.text().await.unwrap()).is_empty());

    // Approved by the invitation, for the guest period, audited as such.
    let lead_id = scalar(
        &server,
        "SELECT id FROM users WHERE username = $1",
        "bond-hp1",
    )
    .await;
    let membership = "SELECT m.role || ' ' || m.status || ' ' || m.decided_by || ' ' || \
         COALESCE(m.expires_at, '') FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE u.email = $1";
    let m = scalar(&server, membership, GUEST).await;
    let expected_end = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(90 * 24))
        .strftime("%Y-%m-%d")
        .to_string();
    assert!(
        m.starts_with(&format!("guest_consult approved {lead_id} {expected_end}")),
        "{m}"
    );
    let audited = "SELECT COUNT(*) FROM audit_events WHERE action = 'access.request_decided' \
         AND detail LIKE $1";
    let by = format!("approved by invitation of user:{lead_id} to panel {reference}%");
    assert_eq!(scalar(&server, audited, &by).await, "1");

    // Invited on the panel: accepts, then contributes.
    let (_, mine) = guest.get_text("/panels").await;
    assert!(
        mine.contains(&reference) && mine.contains("Invitation to answer"),
        "{mine}"
    );
    let accept = guest
        .post_form(&panel, &format!("{panel}/answer"), &[("answer", "accept")])
        .await;
    assert_eq!(accept.status(), StatusCode::SEE_OTHER);
    let opinion = "As a guest expert: consider a COL1A1 panel.";
    let posted = guest
        .post_form(
            &panel,
            &format!("{panel}/posts"),
            &[("kind", "contribution"), ("body", opinion)],
        )
        .await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let (_, page) = lead.get_text(&panel).await;
    assert!(page.contains(opinion), "{page}");
    assert!(page.contains("Signed up"), "{page}");

    // Having accepted, the guest downloads what the panel shares.
    let (_, page) = guest.get_text(&panel).await;
    let shared = page
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with(&format!("{panel}/attachments/")))
        .expect("a link to the shared attachment")
        .to_owned();
    let download = guest.get(&shared).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(download.bytes().await.unwrap().starts_with(b"%PDF"));

    // The outcome lists the guest with the hospital they named and the
    // country they work in, not the guest-access entry behind them.
    let started = lead
        .post_form(
            &panel,
            &format!("{panel}/steps"),
            &[("transition", "start_outcome")],
        )
        .await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let (_, page) = lead.get_text(&format!("{panel}/outcome")).await;
    let composition = page
        .split("id=\"composition\"")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap();
    assert!(
        composition.contains("<td>Hôpital Cantonal de Test (guest)</td><td>NO</td>"),
        "{composition}"
    );
    assert!(!composition.contains("Guest Access"), "{composition}");

    // The link worked once.
    let again = Client::new(&server.url(""));
    let (status, page) = again.get_text(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("already used"), "{page}");
    server.stop().await;
    sink.stop();
}

async fn unusable_links_and_existing_accounts(engine: Engine) {
    let sink = SmtpSink::start(0).await;
    let server = TestServer::start(engine, Options::training_with_mail(sink.port)).await;
    let lead = signed_in(&server, "bond-hp1").await;
    let panel = open_panel(&server, &lead).await;
    let visitor = Client::new(&server.url(""));

    let sent = invite_guest(&lead, &panel, "Late Guest", "late@example.org").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let link = mailed_link(&sink, &server, "late@example.org").await;

    // Altered: one character of the token changed.
    let mut altered = link.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    let (status, page) = visitor.get_text(&altered).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("This invitation link is not valid"), "{page}");

    // Expired: fourteen days have passed.
    {
        let mut tx = server.app().store().write().await.unwrap();
        sqlx::query("UPDATE panel_guest_invitations SET expires_at = $1 WHERE email = $2")
            .bind("2026-01-01T00:00:00.000000Z")
            .bind("late@example.org")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let (status, page) = visitor.get_text(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(
        page.contains("This invitation expired on 2026-01-01"),
        "{page}"
    );
    let fields = sign_up_fields("late.guest", "Somewhere");
    let refused = visitor.post_form("/signin", &link, &fields).await;
    assert_eq!(refused.status(), StatusCode::GONE, "nothing is created");
    let accounts = "SELECT COUNT(*) FROM users WHERE username = $1";
    assert_eq!(scalar(&server, accounts, "late.guest").await, "0");

    // An address with an account: invited on the panel, asked to sign in.
    let email = "bond-hp2@training.ern-cpms.invalid";
    let sent = invite_guest(&lead, &panel, "A colleague", email).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let mail = sink.wait_for(email).await;
    let text = &mail.parts()[0];
    assert!(text.contains("sign in and accept or decline"), "{text}");
    assert!(text.contains(&server.localhost_url(&panel)), "{text}");
    let colleague = signed_in(&server, "bond-hp2").await;
    let (_, page) = colleague.get_text(&panel).await;
    assert!(page.contains("You are invited to this panel"), "{page}");
    let twice = invite_guest(&lead, &panel, "A colleague", email).await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .text()
            .await
            .unwrap()
            .contains("is already on this panel")
    );

    // Only those who may invite do.
    let outsider = signed_in(&server, "bond-hp3").await;
    let refused = outsider
        .post_form(
            "/panels",
            &format!("{panel}/guests"),
            &[("name", "Someone"), ("email", "someone@example.org")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    server.stop().await;
    sink.stop();
}
