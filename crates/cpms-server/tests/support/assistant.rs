//! A training account made an assistant at a clinician's hospital (the
//! training set has no assistants).

use cpms_domain::ids::UserId;
use cpms_store::repo::users;
use cpms_testkit::server::TestServer;

pub async fn user(server: &TestServer, username: &str) -> (UserId, String) {
    let mut conn = server.app().store().read().await.unwrap();
    let (user, _) = users::find_by_username(&mut conn, username)
        .await
        .unwrap()
        .unwrap();
    (user.id, user.display_name)
}

/// Turns `username`'s membership into an assistant's at `clinician`'s
/// hospital; returns the assistant's id and name.
pub async fn make_assistant(
    server: &TestServer,
    username: &str,
    clinician: &str,
) -> (UserId, String) {
    let (id, name) = user(server, username).await;
    let (clinician, _) = user(server, clinician).await;
    let mut tx = server.app().store().write().await.unwrap();
    sqlx::query(
        "UPDATE memberships SET role = 'assistant', \
         hcp_id = (SELECT hcp_id FROM memberships WHERE user_id = $1) WHERE user_id = $2",
    )
    .bind(clinician.to_string())
    .bind(id.to_string())
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (id, name)
}
