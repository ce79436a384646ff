//! `cpms keys rotate` on both engines: after a key is appended to the
//! ring, every identity, attachment name and attachment blob is re-sealed
//! under it, the record and its files stay readable with the old key retired, and bad keys stop the command with its exit
//! code.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use support::clinic::{NAME, enrol, signed_in};
use support::{cpms, stderr, stdout};

both_engines!(
    rotation_reseals_under_the_new_key_and_the_old_one_can_go,
    bad_keys_stop_the_rotation,
    rotation_reencrypts_attachments_and_they_download_without_the_old_key,
);

const NEW_KEY: &str = "5e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";

fn rotate(server: &TestServer, env: &[(&str, &str)]) -> std::process::Output {
    let data_dir = server.data_path();
    let mut env = env.to_vec();
    env.push(("CPMS_DATABASE_URL", &server.db.url));
    cpms(
        &["keys", "rotate", "--data-dir", data_dir.to_str().unwrap()],
        &env,
    )
}

fn key_ring(server: &TestServer) -> std::path::PathBuf {
    server.data_path().join("identity.keys")
}

async fn sealed_values(server: &TestServer) -> Vec<String> {
    let store = cpms_store::Store::open(&server.db.url, &Default::default())
        .await
        .unwrap();
    let mut conn = store.read().await.unwrap();
    let sealed = cpms_store::repo::patients::sealed_identities(&mut conn, None, 100)
        .await
        .unwrap();
    drop(conn);
    store.close().await;
    sealed.into_iter().map(|(_, s)| s).collect()
}

async fn stopped(mut server: TestServer) -> TestServer {
    if let Some(running) = server.running.take() {
        running.stop().await.unwrap();
    }
    server
}

async fn rotation_reseals_under_the_new_key_and_the_old_one_can_go(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let first = enrol(&server, &hp, "bond-hp1").await;
    let second = enrol(&server, &hp, "bond-hp1").await;
    let mut server = stopped(server).await;
    let old_key = std::fs::read_to_string(key_ring(&server)).unwrap();
    let old_id = cpms_app::patients::key_id(&hex_key(old_key.trim()));
    let new_id = cpms_app::patients::key_id(&hex_key(NEW_KEY));
    let before = sealed_values(&server).await;
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|s| s.starts_with(&format!("{old_id}:"))));

    std::fs::write(
        key_ring(&server),
        format!("{}\n{NEW_KEY}\n", old_key.trim()),
    )
    .unwrap();
    let out = rotate(&server, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!(
            "re-sealed 2 of 2 patient identities under key {new_id}"
        )),
        "{}",
        stdout(&out)
    );
    let after = sealed_values(&server).await;
    assert!(after.iter().all(|s| s.starts_with(&format!("{new_id}:"))));
    assert!(after.iter().all(|s| !before.contains(s)));

    let again = rotate(&server, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("re-sealed 0 of 2"),
        "{}",
        stdout(&again)
    );

    // The old key retired: both records still open.
    std::fs::write(key_ring(&server), format!("{NEW_KEY}\n")).unwrap();
    server.restart().await;
    let hp = signed_in(&server, "bond-hp1").await;
    for record in [first, second] {
        let (status, page) = hp.get_text(&record).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(NAME), "{record} reads its identity");
    }
    server.stop().await;
}

async fn bad_keys_stop_the_rotation(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    enrol(&server, &hp, "bond-hp1").await;
    let server = stopped(server).await;
    let before = sealed_values(&server).await;

    // A ring without the key that sealed the stored value.
    let out = rotate(&server, &[("CPMS_IDENTITY_KEYS", NEW_KEY)]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("not configured"), "{}", stderr(&out));
    assert_eq!(sealed_values(&server).await, before, "nothing changed");

    // A key that is not 64 hexadecimal digits.
    let out = rotate(&server, &[("CPMS_IDENTITY_KEYS", "not-a-key")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("identity_keys"), "{}", stderr(&out));

    // An empty key ring file.
    std::fs::write(key_ring(&server), "\n").unwrap();
    let out = rotate(&server, &[]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("no identity key"), "{}", stderr(&out));
    assert_eq!(sealed_values(&server).await, before);
}

/// The stored blobs, as text: each is one sealed value.
fn blobs(server: &TestServer) -> Vec<String> {
    std::fs::read_dir(server.data_path().join("attachments"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect()
}

async fn sealed_names(server: &TestServer) -> Vec<String> {
    let store = cpms_store::Store::open(&server.db.url, &Default::default())
        .await
        .unwrap();
    let mut conn = store.read().await.unwrap();
    let rows = cpms_store::repo::attachments::sealed_names(&mut conn, None, 100)
        .await
        .unwrap();
    drop(conn);
    store.close().await;
    rows.into_iter().map(|r| r.file_name_sealed).collect()
}

async fn rotation_reencrypts_attachments_and_they_download_without_the_old_key(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record = enrol(&server, &hp, "bond-hp1").await;
    let report = b"%PDF-1.4\n1 0 obj << /Title (Exome report) >> endobj\n%%EOF\n".to_vec();
    let csrf = hp.csrf("/").await;
    let file = Part::bytes(report.clone())
        .file_name("exome.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let form = Form::new().part("file", file).text("keep_metadata", "on");
    let response = hp
        .http
        .post(hp.url(&format!("{record}/attachments?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut server = stopped(server).await;
    let old_key = std::fs::read_to_string(key_ring(&server)).unwrap();
    let old_id = cpms_app::patients::key_id(&hex_key(old_key.trim()));
    let new_id = cpms_app::patients::key_id(&hex_key(NEW_KEY));
    let old_prefix = format!("{old_id}:");
    assert!(blobs(&server).iter().all(|b| b.starts_with(&old_prefix)));
    assert!(
        sealed_names(&server)
            .await
            .iter()
            .all(|n| n.starts_with(&old_prefix))
    );

    std::fs::write(
        key_ring(&server),
        format!("{}\n{NEW_KEY}\n", old_key.trim()),
    )
    .unwrap();
    let out = rotate(&server, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("re-sealed 1 attachment names and re-encrypted 1 blobs of 1 attachments"),
        "{}",
        stdout(&out)
    );
    let new_prefix = format!("{new_id}:");
    let stored = blobs(&server);
    assert_eq!(stored.len(), 1, "the blob was swapped, not copied");
    assert!(stored[0].starts_with(&new_prefix));
    assert!(
        sealed_names(&server)
            .await
            .iter()
            .all(|n| n.starts_with(&new_prefix))
    );
    let again = rotate(&server, &[]);
    assert!(
        stdout(&again).contains("re-sealed 0 attachment names and re-encrypted 0 blobs of 1"),
        "{}",
        stdout(&again)
    );

    // The old key retired: the file is still listed and downloads intact.
    std::fs::write(key_ring(&server), format!("{NEW_KEY}\n")).unwrap();
    server.restart().await;
    let hp = signed_in(&server, "bond-hp1").await;
    let (status, page) = hp.get_text(&record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("exome.pdf"), "{page}");
    let link = format!("{record}/attachments/");
    let href = page
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with(&link))
        .unwrap()
        .to_owned();
    let response = hp.get(&href).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().as_ref(), report.as_slice());
    server.stop().await;
}

fn hex_key(hex: &str) -> [u8; 32] {
    hex::decode(hex).unwrap().try_into().unwrap()
}
