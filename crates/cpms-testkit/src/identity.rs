//! Local accounts and authenticator-app codes for identity tests.

use cpms_auth::password::{HashCost, PasswordHasher, PasswordPolicy};
use cpms_auth::totp::{Totp, TotpSecret};
use cpms_domain::ids::UserId;
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::users;

use crate::client::{Client, hidden_value};
use crate::server::TestServer;

/// A local account outside the training set: it must present a second
/// factor (and enrol one at its first sign-in).
pub async fn add_account(
    server: &TestServer,
    username: &str,
    password: &str,
    administrator: bool,
) -> UserId {
    let accepted = PasswordPolicy::default()
        .check(password)
        .expect("a password the policy accepts");
    let hash = PasswordHasher::new(HashCost::TESTING)
        .and_then(|hasher| hasher.hash(&accepted))
        .expect("hash");
    let user = User {
        id: UserId::new(),
        username: username.to_owned(),
        display_name: format!("Test {username}"),
        email: format!("{username}@example.invalid"),
        status: AccountStatus::Active,
        administrator,
        training: false,
    };
    let mut tx = server.app().store().write().await.expect("write");
    users::insert(&mut tx, &user, Some(&hash), jiff::Timestamp::now())
        .await
        .expect("insert user");
    tx.commit().await.expect("commit");
    user.id
}

/// The code an authenticator app holding `manual_key` shows `steps_ahead`
/// time steps (of 30 s) from now. A code is accepted once and up to one step
/// early, so tests that need several fresh codes take the next step's.
pub fn totp_code(manual_key: &str, steps_ahead: u64) -> String {
    let totp = Totp::default();
    let secret = TotpSecret::from_base32(manual_key).expect("base32 key");
    let step = totp
        .step_at(jiff::Timestamp::now())
        .expect("a clock after 1970");
    totp.code_at_step(&secret, step + steps_ahead)
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("ASCII location")
        .to_owned()
}

/// The session cookie value a response sets.
pub fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("cpms-session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// The key for typing in, from the enrolment page.
pub fn manual_key(page: &str) -> String {
    let marker = "id=\"manual-key\">";
    let start = page.find(marker).expect("a manual key") + marker.len();
    page[start..]
        .split('<')
        .next()
        .unwrap_or_default()
        .replace(' ', "")
}

/// The handle of the authenticator-app form on the enrolment page (the
/// passkey form before it has its own).
pub fn totp_handle(page: &str) -> String {
    let form = page
        .find("action=\"/account/totp\"")
        .expect("an authenticator-app form");
    hidden_value(&page[form..], "handle").expect("an enrolment handle")
}

/// The recovery codes a page shows.
pub fn recovery_codes(page: &str) -> Vec<String> {
    page.split("<li><code>")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .map(str::to_owned)
        .collect()
}

/// Signs in for the first time, which leads to enrolment, and enrols an
/// authenticator app; returns its key and the recovery codes shown.
pub async fn enrol_totp(client: &Client, username: &str, password: &str) -> (String, Vec<String>) {
    let response = client.sign_in(username, password).await;
    assert_eq!(location(&response), "/account/enrol");
    let (_, page) = client.get_text("/account/enrol").await;
    let key = manual_key(&page);
    let handle = totp_handle(&page);
    let code = totp_code(&key, 0);
    let response = client
        .post_form(
            "/account/enrol",
            "/account/totp",
            &[("handle", handle.as_str()), ("code", code.as_str())],
        )
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let page = response.text().await.expect("page");
    (key, recovery_codes(&page))
}
