//! Writing notifications the way a use case does: `App::notify` inside a
//! write transaction that is then committed, with made-up wording, to test
//! the centre apart from the panel events that cause them.

use cpms_domain::ids::UserId;
use cpms_domain::notification::{EventType, NewNotification};
use cpms_domain::user::User;
use cpms_store::repo::users;
use cpms_testkit::server::TestServer;

pub async fn account(server: &TestServer, username: &str) -> User {
    let mut conn = server.app().store().read().await.unwrap();
    users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap()
        .0
}

/// A notification about panel `reference` of the patient known as
/// `pseudonym` (never a name).
pub fn about(event: EventType, reference: &str, urgent: bool) -> NewNotification {
    NewNotification::new(
        event,
        &format!("Panel {reference}: {}", event.label()),
        "Patient 7KQ4-M2XA-C9HZ. Open the panel to see what changed.",
        &format!("/panels/{reference}"),
    )
    .unwrap()
    .urgent(urgent)
}

pub async fn notify(server: &TestServer, to: &[UserId], note: &NewNotification) {
    let app = server.app();
    let mut tx = app.store().write().await.unwrap();
    app.notify(&mut tx, to, note).await.unwrap();
    tx.commit().await.unwrap();
}
