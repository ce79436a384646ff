//! Local accounts and authenticator-app codes for identity tests.

use cpms_auth::password::{HashCost, PasswordHasher, PasswordPolicy};
use cpms_auth::totp::{Totp, TotpSecret};
use cpms_domain::ids::UserId;
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::users;

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
