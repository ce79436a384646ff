//! `cpms audit verify` passes on an intact log and fails, naming the first
//! bad event, after rows are altered, deleted or reordered with SQL, on
//! both engines.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use support::{cpms, stderr, stdout};

both_engines!(
    an_intact_log_verifies,
    an_altered_event_is_named,
    a_deleted_event_is_named,
    reordered_events_are_named,
    a_removed_last_event_is_detected,
);

/// A server whose log holds sign-ins, a failed sign-in and a sign-out;
/// stopped, so the binary can verify its database.
async fn server_with_history(engine: Engine) -> TestServer {
    let server = TestServer::training(engine).await;
    let client = Client::new(&server.url(""));
    let password = server.training_password("bond-hp1");
    client.sign_in("bond-hp1", "wrong password here").await;
    client.sign_in("bond-hp1", &password).await;
    client.post_form("/", "/signout", &[]).await;
    client
        .sign_in("bond-hp2", &server.training_password("bond-hp2"))
        .await;
    let mut server = server;
    if let Some(running) = server.running.take() {
        running.stop().await.unwrap();
    }
    server
}

fn verify(server: &TestServer) -> std::process::Output {
    cpms(
        &[
            "audit",
            "verify",
            "--data-dir",
            server.data_dir.path().to_str().unwrap(),
        ],
        &[("CPMS_DATABASE_URL", &server.db.url)],
    )
}

async fn tamper(server: &TestServer, sql: &str) {
    let store = cpms_store::Store::open(&server.db.url, &Default::default())
        .await
        .unwrap();
    let mut tx = store.write().await.unwrap();
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    store.close().await;
}

async fn an_intact_log_verifies(engine: Engine) {
    let server = server_with_history(engine).await;
    let out = verify(&server);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("audit log intact: 4 events verified"),
        "{}",
        stdout(&out)
    );
}

async fn an_altered_event_is_named(engine: Engine) {
    let server = server_with_history(engine).await;
    tamper(
        &server,
        "UPDATE audit_events SET outcome = 'success' WHERE seq = 1",
    )
    .await;
    let out = verify(&server);
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(stderr(&out).contains("event 1"), "{}", stderr(&out));
    assert!(stderr(&out).contains("was altered"), "{}", stderr(&out));
}

async fn a_deleted_event_is_named(engine: Engine) {
    let server = server_with_history(engine).await;
    tamper(&server, "DELETE FROM audit_events WHERE seq = 2").await;
    let out = verify(&server);
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains("event 3") && stderr(&out).contains("event 2 was expected"),
        "{}",
        stderr(&out)
    );
}

async fn reordered_events_are_named(engine: Engine) {
    let server = server_with_history(engine).await;
    tamper(
        &server,
        "UPDATE audit_events SET seq = 100 WHERE seq = 2; UPDATE audit_events SET seq = 2 WHERE seq = 3; \
         UPDATE audit_events SET seq = 3 WHERE seq = 100",
    )
    .await;
    let out = verify(&server);
    assert_eq!(out.status.code(), Some(6));
    assert!(stderr(&out).contains("event 2"), "{}", stderr(&out));
}

async fn a_removed_last_event_is_detected(engine: Engine) {
    let server = server_with_history(engine).await;
    tamper(&server, "DELETE FROM audit_events WHERE seq = 4").await;
    let out = verify(&server);
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains("events at the end were removed"),
        "{}",
        stderr(&out)
    );
}
