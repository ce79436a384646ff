//! Each bad start-up input stops `cpms` with one clear message naming the
//! key or resource, and a non-zero exit code.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_store::testing::TestDatabase;
use cpms_store::{Engine, Store, StoreOptions};
use support::{cpms, stderr, stdout};

fn assert_fails(output: &std::process::Output, code: i32, needles: &[&str]) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(code), "exit code; stderr: {err}");
    for needle in needles {
        assert!(
            err.contains(needle),
            "stderr should mention {needle:?}: {err}"
        );
    }
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
}

#[test]
fn a_bad_value_names_the_key_and_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let out = cpms(
        &["serve", "--data-dir", &data],
        &[("CPMS_LISTEN", "not-an-address")],
    );
    assert_fails(&out, 2, &["`listen`", "CPMS_LISTEN", "not-an-address"]);

    let file = dir.path().join("cpms.toml");
    std::fs::write(&file, "[session]\nidle_timeout = \"soon\"\n").unwrap();
    let out = cpms(
        &[
            "serve",
            "--config",
            file.to_str().unwrap(),
            "--data-dir",
            &data,
        ],
        &[],
    );
    assert_fails(&out, 2, &["`session.idle_timeout`", "cpms.toml", "soon"]);

    let out = cpms(
        &["serve", "--data-dir", &data],
        &[("CPMS_PASWORD_HASHING", "fast")],
    );
    assert_fails(
        &out,
        2,
        &["unknown environment variable CPMS_PASWORD_HASHING"],
    );

    let out = cpms(
        &["serve", "--data-dir", &data],
        &[("CPMS_PASSWORD_HASHING", "fast")],
    );
    assert_fails(
        &out,
        2,
        &["`password_hashing`", "only in the training environment"],
    );
}

#[test]
fn an_unreachable_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = cpms(
        &["serve", "--data-dir", dir.path().to_str().unwrap()],
        &[(
            "CPMS_DATABASE_URL",
            "postgres://cpms:secret@127.0.0.1:1/cpms",
        )],
    );
    assert_fails(
        &out,
        3,
        &["cannot reach the database", "127.0.0.1:1", "database_url"],
    );
    assert!(
        !stderr(&out).contains("secret"),
        "the password is not printed"
    );
}

#[test]
fn a_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = cpms(
        &[
            "serve",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            &addr,
        ],
        &[],
    );
    assert_fails(&out, 4, &["cannot listen on", &addr, "(listen)"]);
}

#[test]
fn an_unusable_data_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("occupied");
    std::fs::write(&file, b"a file, not a directory").unwrap();
    let target = file.join("data");
    let out = cpms(&["serve", "--data-dir", target.to_str().unwrap()], &[]);
    assert_fails(&out, 5, &["data directory", "(data_dir)", "not usable"]);
}

#[tokio::test]
async fn postgres_schema_must_match_this_build() {
    let db = TestDatabase::new(Engine::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let env = [("CPMS_DATABASE_URL", db.url.as_str())];

    let out = cpms(&["serve", "--data-dir", &data], &env);
    assert_fails(&out, 3, &["schema is at version 0", "run `cpms migrate`"]);

    let out = cpms(&["migrate", "--data-dir", &data], &env);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("applied"), "{}", stdout(&out));
    let out = cpms(&["config", "check", "--data-dir", &data], &env);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("configuration is valid"));
    let listed = stdout(&out);
    let url_line = listed
        .lines()
        .find(|l| l.starts_with("database_url"))
        .expect("lists the settings");
    assert!(
        url_line.contains("***") && url_line.contains("CPMS_DATABASE_URL"),
        "secret hidden, origin shown: {url_line}"
    );

    let store = Store::open(&db.url, &StoreOptions::default())
        .await
        .unwrap();
    let mut conn = store.read().await.unwrap();
    sqlx::query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', 'now')")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    store.close().await;
    let out = cpms(&["serve", "--data-dir", &data], &env);
    assert_fails(
        &out,
        3,
        &["version 999", "newer than this build", "upgrade cpms"],
    );
}
