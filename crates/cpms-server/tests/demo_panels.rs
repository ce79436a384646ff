//! `cpms demo panels` on both engines: synthetic panels across the training
//! networks, reached through the lifecycle's steps, with members and a
//! discussion; closed and archived ones with an issued outcome that
//! downloads as a PDF; the summary it prints matches what is stored, the
//! lists show them, the audit chain still holds; without training
//! accounts it says what to do.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use cpms_testkit::server::{Options, TestServer};
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;
use support::clinic::signed_in;
use support::{cpms, stderr, stdout};

both_engines!(
    synthetic_panels_fill_the_lists,
    without_training_accounts_the_command_says_what_to_do,
);

fn demo(server: &TestServer, count: &str) -> std::process::Output {
    let data_dir = server.data_path();
    cpms(
        &[
            "demo",
            "panels",
            "--count",
            count,
            "--data-dir",
            data_dir.to_str().unwrap(),
        ],
        &[("CPMS_DATABASE_URL", &server.db.url)],
    )
}

/// The `key=value` pairs of the summary's first line.
fn summary(out: &str) -> BTreeMap<String, f64> {
    out.lines()
        .next()
        .unwrap()
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.parse().unwrap()))
        .collect()
}

async fn count(server: &TestServer, sql: &str) -> i64 {
    let mut conn = server.app().store().read().await.unwrap();
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    row.try_get::<i64, _>(0).unwrap()
}

async fn synthetic_panels_fill_the_lists(engine: Engine) {
    let mut server = TestServer::training(engine).await;
    if let Some(running) = server.running.take() {
        running.stop().await.unwrap();
    }
    // More than one batch.
    let out = demo(&server, "600");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    let made = summary(&printed);
    assert_eq!(made["panels"], 600.0, "{printed}");
    let contributions = made["contributions"];
    assert!(
        (3_000.0..=8_000.0).contains(&contributions),
        "about ten contributions per panel: {printed}"
    );
    assert!(printed.contains("states: draft "), "{printed}");
    server.restart().await;

    assert_eq!(count(&server, "SELECT COUNT(*) FROM panels").await, 600);
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM panel_posts WHERE kind = 'contribution'"
        )
        .await as f64,
        contributions
    );
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM panel_members").await as f64,
        made["invitations"]
    );
    // Every panel past its draft ends where its logged steps led, and the
    // indicators' times are there.
    let astray = "SELECT COUNT(*) FROM panels p WHERE p.state <> 'draft' AND p.state <> \
         (SELECT t.to_state FROM panel_transitions t WHERE t.panel_id = p.id \
          ORDER BY t.seq DESC LIMIT 1)";
    assert_eq!(count(&server, astray).await, 0);
    let unstamped = "SELECT COUNT(*) FROM panels WHERE \
         (state IN ('closed', 'archived') AND closed_at IS NULL) \
         OR (state <> 'draft' AND submitted_at IS NULL) \
         OR (first_contribution_at IS NULL AND EXISTS (SELECT 1 FROM panel_posts c \
             WHERE c.panel_id = panels.id AND c.kind = 'contribution'))";
    assert_eq!(count(&server, unstamped).await, 0);
    let few = "SELECT COUNT(*) FROM panels WHERE closed_few_contributions = 1";
    assert_eq!(
        count(&server, few).await as f64,
        made["closed_few_contributions"]
    );
    // Closed and archived panels have their outcome issued when they were
    // closed, signed by members on the panel.
    let ended = "SELECT COUNT(*) FROM panels WHERE state IN ('closed', 'archived')";
    let ended = count(&server, ended).await;
    assert!(ended > 0);
    assert_eq!(made["outcomes"], ended as f64, "{printed}");
    let issued = "SELECT COUNT(*) FROM panels p JOIN panel_outcomes o ON o.panel_id = p.id \
         WHERE p.state IN ('closed', 'archived') AND o.version = 1 \
         AND o.frozen_at IS NOT NULL AND o.closed_at = p.closed_at AND o.document IS NOT NULL";
    assert_eq!(count(&server, issued).await, ended);
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM panel_outcomes").await,
        ended,
        "no outcome on panels still under way"
    );
    let strangers = "SELECT COUNT(*) FROM panel_outcome_sign_offs s WHERE NOT EXISTS \
         (SELECT 1 FROM panel_members m WHERE m.panel_id = s.panel_id \
          AND m.user_id = s.user_id AND m.declined = 0)";
    assert_eq!(count(&server, strangers).await, 0);
    // Members post only on panels they are on.
    let outsiders = "SELECT COUNT(*) FROM panel_posts c JOIN panels p ON p.id = c.panel_id \
         WHERE c.author_id <> p.lead_id AND NOT EXISTS (SELECT 1 FROM panel_members m \
         WHERE m.panel_id = c.panel_id AND m.user_id = c.author_id AND m.declined = 0)";
    assert_eq!(count(&server, outsiders).await, 0);

    // The coordinator pages through the whole network list.
    let in_bond = count(&server, "SELECT COUNT(*) FROM panels WHERE ern = 'BOND'").await;
    assert!(in_bond > 0);
    let coordinator = signed_in(&server, "bond-coordinator").await;
    let (status, page) = coordinator.get_text("/erns/BOND/panels").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("BOND-20"), "{page}");
    let mut seen = 0;
    let mut after = String::new();
    loop {
        let (status, body) = coordinator
            .get_text(&format!("/api/v1/erns/BOND/panels?after={after}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let json: Value = serde_json::from_str(&body).unwrap();
        seen += json["panels"].as_array().unwrap().len() as i64;
        match json["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, in_bond);

    // A clinician of the network sees every panel they lead or are on.
    let hp = signed_in(&server, "bond-hp1").await;
    let (status, mine) = hp.get_text("/panels").await;
    assert_eq!(status, StatusCode::OK);
    let on = "SELECT (SELECT COUNT(*) FROM panels p WHERE p.lead_id = u.id) + \
         (SELECT COUNT(*) FROM panel_members m WHERE m.user_id = u.id AND m.declined = 0) \
         FROM users u WHERE u.username = 'bond-hp1'";
    let listed: std::collections::BTreeSet<&str> = mine
        .match_indices("BOND-20")
        .map(|(at, _)| &mine[at..at + "BOND-2026-0001".len()])
        .collect();
    assert_eq!(listed.len() as i64, count(&server, on).await, "{mine}");

    // A closed demo panel's outcome reads and downloads as a PDF, for its
    // lead and for a member who signed it.
    let mut conn = server.app().store().read().await.unwrap();
    let row = sqlx::query(
        "SELECT p.reference, l.username AS lead, m.username AS member FROM panels p \
         JOIN users l ON l.id = p.lead_id \
         JOIN panel_outcome_sign_offs s ON s.panel_id = p.id \
         JOIN users m ON m.id = s.user_id \
         WHERE p.state = 'closed' ORDER BY p.reference LIMIT 1",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    let reference: String = row.try_get("reference").unwrap();
    for username in [
        row.try_get::<String, _>("lead").unwrap(),
        row.try_get::<String, _>("member").unwrap(),
    ] {
        let client = signed_in(&server, &username).await;
        let outcome = format!("/panels/{reference}/outcome");
        let (status, page) = client.get_text(&outcome).await;
        assert_eq!(status, StatusCode::OK, "{username}");
        assert!(
            page.contains("Synthetic case") && page.contains(">Issued<"),
            "{page}"
        );
        let pdf = client.get(&format!("{outcome}/1.pdf")).await;
        assert_eq!(pdf.status(), StatusCode::OK, "{username}");
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(
            bytes.starts_with(b"%PDF") && bytes.len() > 2_000,
            "{username}"
        );
        support::pdf::first_page_png(&bytes, &format!("demo-outcome-{}", engine.name()));
    }

    let data_dir = server.data_path();
    let verify = cpms(
        &["audit", "verify", "--data-dir", data_dir.to_str().unwrap()],
        &[("CPMS_DATABASE_URL", &server.db.url)],
    );
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
    server.stop().await;
}

async fn without_training_accounts_the_command_says_what_to_do(engine: Engine) {
    let mut server = TestServer::start(engine, Options::default()).await;
    if let Some(running) = server.running.take() {
        running.stop().await.unwrap();
    }
    let out = demo(&server, "5");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("start the server once with --training"),
        "{}",
        stderr(&out)
    );
    let out = demo(&server, "lots");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    server.stop().await;
}
