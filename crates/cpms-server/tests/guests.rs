//! Guests over HTTP on both engines: an expired guest is refused at their
//! centre; only a coordinator extends the membership, after which the guest
//! is let in again; a guest who signed up is granted the virtual-centre
//! capability. Both changes are audited. The ERN dashboard links to the
//! request queue and the guests page only for those allowed to use them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use serde_json::Value;
use sqlx::Row;

const PASSWORD: &str = "a long enough passphrase for guests";

async fn signed_in(server: &TestServer, username: &str) -> Client {
    let client = Client::new(&server.url(""));
    let password = server.training_password(username);
    client.sign_in(username, &password).await;
    client
}

async fn audited(server: &TestServer, action: &str, target: &str) -> i64 {
    let mut conn = server.app().store().read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1 AND target = $2")
        .bind(action)
        .bind(target)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// The `data-id` of the guests table row naming `who`.
fn row_id(page: &str, who: &str) -> String {
    page.split("<tr data-id=\"")
        .skip(1)
        .find(|row| row.split("</tr>").next().unwrap_or_default().contains(who))
        .and_then(|row| row.split('"').next())
        .unwrap_or_else(|| panic!("no guest {who}: {page}"))
        .to_owned()
}

async fn expired_guest_is_refused_until_extended(engine: Engine) {
    let server = TestServer::training(engine).await;
    let guest = signed_in(&server, "ern-rnd-guest").await;
    let me: Value = guest.get("/api/v1/me").await.json().await.unwrap();
    let name = me["name"].as_str().unwrap().to_owned();
    let centre = me["memberships"][0]["hospital"]
        .as_str()
        .unwrap()
        .to_owned();
    let patients = format!("/centres/{centre}/patients");
    assert_eq!(guest.get_text(&patients).await.0, 200);

    // The membership ended yesterday.
    let yesterday = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24);
    {
        let mut tx = server.app().store().write().await.unwrap();
        sqlx::query(
            "UPDATE memberships SET expires_at = $1 \
             WHERE user_id = (SELECT id FROM users WHERE username = 'ern-rnd-guest')",
        )
        .bind(cpms_domain::time::format_utc(yesterday))
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(guest.get_text(&patients).await.0, 403, "expired guest");

    let coordinator = signed_in(&server, "ern-rnd-coordinator").await;
    let (status, page) = coordinator.get_text("/erns/ERN-RND/guests").await;
    assert_eq!(status, 200);
    let id = row_id(&page, &name);
    assert!(page.contains(">expired<"), "{page}");
    let extend = format!("/erns/ERN-RND/guests/{id}/extend");

    // A healthcare professional of the network may not extend it.
    let colleague = signed_in(&server, "ern-rnd-hp1").await;
    let refused = colleague.post_form("/access-requests", &extend, &[]).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(guest.get_text(&patients).await.0, 403);

    let extended = coordinator
        .post_form("/erns/ERN-RND/guests", &extend, &[])
        .await;
    assert!(extended.status().is_redirection(), "{}", extended.status());
    let (_, page) = coordinator.get_text("/erns/ERN-RND/guests").await;
    assert!(!page.contains(">expired<"), "{page}");
    let until = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(90 * 24))
        .strftime("%Y-%m-%d")
        .to_string();
    assert!(page.contains(&until), "90 days from now: {page}");
    assert_eq!(guest.get_text(&patients).await.0, 200, "let in again");
    assert_eq!(
        audited(&server, "membership.extended", &format!("membership:{id}")).await,
        1
    );

    server.stop().await;
}

both_engines!(expired_guest_is_refused_until_extended);

async fn coordinator_grants_the_virtual_centre(engine: Engine) {
    let server = TestServer::training(engine).await;
    let applicant = Client::new(&server.url(""));
    let done = applicant
        .post_form(
            "/signup",
            "/signup",
            &[
                ("display_name", "Gita Guest"),
                ("email", "gita@example.org"),
                ("username", "gita.guest"),
                ("category", "clinician"),
                ("member", "no"),
                ("guest_hospital", "Ospedale di Esempio"),
                ("working_country", "IT"),
                ("inviting_ern", "ERN-RND"),
                ("cares_for", "paediatric"),
                ("profession", "neurologist"),
                ("specialist_in", "Paediatric movement disorders"),
                ("go", "submit"),
                ("password", PASSWORD),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("Your request is sent"), "{done}");
    let coordinator = signed_in(&server, "ern-rnd-coordinator").await;
    let (_, queue) = coordinator.get_text("/erns/ERN-RND/requests?q=gita").await;
    let request = cpms_testkit::client::hidden_value(&queue, "id").unwrap();
    coordinator
        .post_form(
            "/erns/ERN-RND/requests",
            "/erns/ERN-RND/requests",
            &[("approve_one", request.as_str())],
        )
        .await;

    let (_, page) = coordinator.get_text("/erns/ERN-RND/guests").await;
    let id = row_id(&page, "Gita Guest");
    assert_eq!(id, request);
    let row = page.split(&format!("data-id=\"{id}\"")).nth(1).unwrap();
    let row = row.split("</tr>").next().unwrap();
    assert!(row.contains("Grant virtual centre"), "{row}");
    let granted = coordinator
        .post_form(
            "/erns/ERN-RND/guests",
            &format!("/erns/ERN-RND/guests/{id}/virtual-centre"),
            &[],
        )
        .await;
    assert!(granted.status().is_redirection(), "{}", granted.status());
    let (_, page) = coordinator.get_text("/erns/ERN-RND/guests").await;
    let row = page.split(&format!("data-id=\"{id}\"")).nth(1).unwrap();
    let row = row.split("</tr>").next().unwrap();
    assert!(!row.contains("Grant virtual centre"), "{row}");
    assert!(row.contains("Guest (virtual centre)"), "{row}");
    assert_eq!(
        audited(&server, "access.role_granted", &format!("membership:{id}")).await,
        2,
        "granted at approval, then the virtual centre"
    );

    server.stop().await;
}

both_engines!(coordinator_grants_the_virtual_centre);

async fn the_ern_dashboard_links_to_requests_and_guests_for_those_allowed(engine: Engine) {
    let server = TestServer::training(engine).await;
    let links = [
        "href=\"/erns/ERN-RND/requests\"",
        "href=\"/erns/ERN-RND/guests\"",
    ];
    let coordinator = signed_in(&server, "ern-rnd-coordinator").await;
    let (status, page) = coordinator.get_text("/erns/ERN-RND").await;
    assert_eq!(status, 200);
    for link in links {
        assert!(page.contains(link), "{link}: {page}");
    }
    let clinician = signed_in(&server, "ern-rnd-hp1").await;
    let (status, page) = clinician.get_text("/erns/ERN-RND").await;
    assert_eq!(status, 200);
    for link in links {
        assert!(!page.contains(link), "{link}: {page}");
    }
    server.stop().await;
}

both_engines!(the_ern_dashboard_links_to_requests_and_guests_for_those_allowed);
