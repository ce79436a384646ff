//! A training clinician with enrolled patients, through the real pages.

use cpms_store::repo::{memberships, users};
use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use reqwest::StatusCode;

pub const NAME: &str = "Ottavina Brambilla-Serravalle";
pub const RECORD_NUMBER: &str = "MRN-B5520117";

pub async fn signed_in(server: &TestServer, username: &str) -> Client {
    let client = Client::new(&server.url(""));
    let response = client
        .sign_in(username, &server.training_password(username))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{username}");
    client
}

/// The hospital code of a training account's first membership.
pub async fn hospital_of(server: &TestServer, username: &str) -> String {
    let mut conn = server.app().store().read().await.unwrap();
    let (user, _) = users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap();
    let ms = memberships::of_user(&mut conn, user.id).await.unwrap();
    ms[0].hcp_code.to_string()
}

/// Enrols a patient with care consent as the signed-in `username`;
/// returns the record's path.
pub async fn enrol(server: &TestServer, client: &Client, username: &str) -> String {
    let hcp = hospital_of(server, username).await;
    let path = format!("/centres/{hcp}/patients/new");
    let response = client
        .post_form(
            &path,
            &path,
            &[
                ("name", NAME),
                ("date_of_birth", "2011-09-03"),
                ("record_number", RECORD_NUMBER),
                ("sex", "male"),
                ("country", "IT"),
                ("care_consent_date", "2026-02-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// A training clinician at another hospital than `username`'s.
pub async fn clinician_elsewhere(server: &TestServer, username: &str) -> String {
    let home = hospital_of(server, username).await;
    for n in 1..=5 {
        let other = format!("bond-hp{n}");
        if hospital_of(server, &other).await != home {
            return other;
        }
    }
    panic!("every training clinician works at {username}'s hospital");
}
