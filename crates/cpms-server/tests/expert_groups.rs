//! Expert groups over HTTP on both engines: a coordinator creates (names
//! checked, unique per network whatever the case), fills from the
//! directory, renames, trims and deletes a group, each change audited;
//! clinicians and other networks' coordinators are refused (audited); on a
//! panel, inviting the group invites its experts not already on it and
//! leaves those who are as they were.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_store::repo::users;
use cpms_testkit::client::Client;
use cpms_testkit::identity::location;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use sqlx::Row;
use support::clinic::{enrol, signed_in};

both_engines!(a_coordinator_keeps_a_group_and_a_lead_invites_it);

const GROUPS: &str = "/erns/BOND/expert-groups";

async fn user_id(server: &TestServer, username: &str) -> String {
    let mut conn = server.app().store().read().await.unwrap();
    let (user, _) = users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap();
    user.id.to_string()
}

async fn audited(server: &TestServer, action: &str) -> i64 {
    let mut conn = server.app().store().read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn create(coordinator: &Client, name: &str) -> reqwest::Response {
    coordinator
        .post_form(GROUPS, GROUPS, &[("name", name)])
        .await
}

/// A submitted, open panel of `bond-hp1`; returns its path.
async fn open_panel(server: &TestServer, lead: &Client) -> String {
    let record = enrol(server, lead, "bond-hp1").await;
    let form = format!("{record}/consultation");
    let response = lead
        .post_form(
            &form,
            &form,
            &[
                ("ern", "BOND"),
                ("panel_type", "treatment"),
                ("questions", "Which bisphosphonate, and for how long?"),
                ("urgency", "routine"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

async fn a_coordinator_keeps_a_group_and_a_lead_invites_it(engine: Engine) {
    let server = TestServer::training(engine).await;
    let coordinator = signed_in(&server, "bond-coordinator").await;
    let (_, dashboard) = coordinator.get_text("/erns/BOND").await;
    assert!(
        dashboard.contains("id=\"expert-groups-link\""),
        "{dashboard}"
    );
    let (status, page) = coordinator.get_text(GROUPS).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No groups yet"), "{page}");

    let blank = create(&coordinator, "   ").await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank
            .text()
            .await
            .unwrap()
            .contains("Name: give the group a name")
    );
    let created = create(&coordinator, "Bone fragility").await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let group = location(&created);
    assert!(group.starts_with("/erns/BOND/expert-groups/"), "{group}");
    let twice = create(&coordinator, "bone FRAGILITY").await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = twice.text().await.unwrap();
    assert!(page.contains("already has a group named"), "{page}");
    assert!(
        page.contains("value=\"bone FRAGILITY\""),
        "the typed name is kept"
    );

    // Filled from the directory's search (which lists people with a
    // profile).
    for expert in ["bond-hp2", "bond-hp3"] {
        let client = signed_in(&server, expert).await;
        let saved = client
            .post_form(
                "/account/profile",
                "/account/profile",
                &[
                    ("cares_for", "both"),
                    ("profession", "clinical_geneticist"),
                    ("specialist_in", "Osteogenesis imperfecta"),
                ],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    let (status, page) = coordinator
        .get_text(&format!("{group}?q=osteogenesis"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (hp2, hp3) = (
        user_id(&server, "bond-hp2").await,
        user_id(&server, "bond-hp3").await,
    );
    assert!(page.contains(&hp2) && page.contains(&hp3), "{page}");
    let members = format!("{group}/members");
    let added = coordinator
        .post_form(
            &group,
            &members,
            &[("experts", hp2.as_str()), ("experts", hp3.as_str())],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let none = coordinator.post_form(&group, &members, &[]).await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bogus = coordinator
        .post_form(&group, &members, &[("experts", "not-a-person")])
        .await;
    assert_eq!(bogus.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = coordinator
        .post_form(
            &group,
            &format!("{group}/rename"),
            &[("name", "Bone fragility experts")],
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::SEE_OTHER);
    let removed = coordinator
        .post_form(&group, &format!("{group}/members/{hp3}/remove"), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let (_, page) = coordinator.get_text(&group).await;
    assert!(
        page.contains("Bone fragility experts") && page.contains("1 expert(s)"),
        "{page}"
    );
    let readded = coordinator
        .post_form(&group, &members, &[("experts", hp3.as_str())])
        .await;
    assert_eq!(readded.status(), StatusCode::SEE_OTHER);
    let (_, list) = coordinator.get_text(GROUPS).await;
    assert!(
        list.contains("data-group=\"Bone fragility experts\""),
        "{list}"
    );

    // Only the network's coordinators and panel managers keep groups.
    let clinician = signed_in(&server, "bond-hp1").await;
    assert_eq!(clinician.get_text(GROUPS).await.0, StatusCode::FORBIDDEN);
    let other = signed_in(&server, "ern-rnd-coordinator").await;
    assert_eq!(other.get_text(&group).await.0, StatusCode::FORBIDDEN);
    assert_eq!(audited(&server, "access.manage_expert_groups").await, 2);

    // On a panel: hp2 already accepted; the group adds hp3 only.
    let panel = open_panel(&server, &clinician).await;
    let invite = format!("{panel}/invite");
    let one = clinician
        .post_form(
            &invite,
            &invite,
            &[("experts", hp2.as_str()), ("action", "invite")],
        )
        .await;
    assert_eq!(one.status(), StatusCode::SEE_OTHER);
    let member = signed_in(&server, "bond-hp2").await;
    let accepted = member
        .post_form(&panel, &format!("{panel}/answer"), &[("answer", "accept")])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let (_, page) = clinician.get_text(&invite).await;
    assert!(page.contains("Invite an expert group of BOND"), "{page}");
    let group_id = group.rsplit('/').next().unwrap().to_owned();
    let by_group = clinician
        .post_form(
            &invite,
            &format!("{panel}/invite-group"),
            &[("group", group_id.as_str())],
        )
        .await;
    assert_eq!(by_group.status(), StatusCode::SEE_OTHER);
    let (_, page) = clinician.get_text(&panel).await;
    let row = |name: &str| {
        page.split("<tr data-member=\"")
            .skip(1)
            .find(|r| r.starts_with(name))
            .map(|r| r.split("</tr>").next().unwrap().to_owned())
    };
    let names = {
        let mut conn = server.app().store().read().await.unwrap();
        let hp2_name = users::find_by_username(&mut conn, "bond-hp2")
            .await
            .unwrap()
            .unwrap()
            .0
            .display_name;
        let hp3_name = users::find_by_username(&mut conn, "bond-hp3")
            .await
            .unwrap()
            .unwrap()
            .0
            .display_name;
        (hp2_name, hp3_name)
    };
    assert!(row(&names.0).unwrap().contains(">Member<"), "{page}");
    assert!(row(&names.1).unwrap().contains(">Invited<"), "{page}");
    let again = clinician
        .post_form(
            &invite,
            &format!("{panel}/invite-group"),
            &[("group", group_id.as_str())],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("Nobody to invite"));
    let elsewhere = clinician
        .post_form(
            &invite,
            &format!("{panel}/invite-group"),
            &[("group", "0190aaaa-0000-7000-8000-000000000000")],
        )
        .await;
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);

    // Deleting the group leaves the panel as it is.
    let deleted = coordinator
        .post_form(&group, &format!("{group}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let (_, list) = coordinator.get_text(GROUPS).await;
    assert!(list.contains("No groups yet"), "{list}");
    assert_eq!(coordinator.get_text(&group).await.0, StatusCode::NOT_FOUND);
    let (_, page) = clinician.get_text(&panel).await;
    assert!(page.contains(&names.1), "{page}");
    for action in [
        "expert_group.create",
        "expert_group.rename",
        "expert_group.remove",
        "expert_group.delete",
    ] {
        assert_eq!(audited(&server, action).await, 1, "{action}");
    }
    assert_eq!(audited(&server, "expert_group.add").await, 2);
    server.stop().await;
}
