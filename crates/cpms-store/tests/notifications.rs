#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Notifications on both engines: the centre's order and paging, unread
//! counts, marking read only one's own, preferences with defaults, and the
//! digest bookkeeping.

use cpms_domain::ids::{MailId, UserId};
use cpms_domain::notification::{Delivery, EventType, NewNotification, Notification};
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::{notifications, users};
use cpms_store::testing::TestDatabase;
use cpms_store::{Engine, Store, both_engines};
use jiff::{SignedDuration, Timestamp};

both_engines!(
    the_centre_lists_unread_first_and_counts_them,
    only_the_recipient_marks_read,
    preferences_default_to_immediately_and_update,
    digests_gather_before_the_cutoff_once,
);

fn at(minutes: i64) -> Timestamp {
    let start: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
    start
        .checked_add(SignedDuration::from_mins(minutes))
        .unwrap()
}

async fn world(engine: Engine) -> (TestDatabase, Store, UserId, UserId) {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    let mut tx = store.write().await.unwrap();
    let mut ids = Vec::new();
    for name in ["nora", "otto"] {
        let user = User {
            id: UserId::new(),
            username: name.into(),
            display_name: name.into(),
            email: format!("{name}@example.org"),
            status: AccountStatus::Active,
            administrator: false,
            training: false,
        };
        users::insert(&mut tx, &user, None, at(0)).await.unwrap();
        ids.push(user.id);
    }
    tx.commit().await.unwrap();
    (db, store, ids[0], ids[1])
}

fn note(to: UserId, title: &str, minute: i64) -> Notification {
    NewNotification::new(
        EventType::Contribution,
        title,
        "Pseudonym 7KQ4-M2XA-C9HZ",
        "/panels/1",
    )
    .unwrap()
    .urgent(title.contains('!'))
    .to(to, at(minute))
}

async fn write(store: &Store, notes: &[(Notification, Delivery)]) {
    let mut tx = store.write().await.unwrap();
    for (n, d) in notes {
        notifications::insert(&mut tx, n, *d).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn the_centre_lists_unread_first_and_counts_them(engine: Engine) {
    let (_db, store, nora, otto) = world(engine).await;
    let first = note(nora, "first", 1);
    let second = note(nora, "second!", 2);
    let third = note(nora, "third", 3);
    write(
        &store,
        &[
            (first.clone(), Delivery::Immediately),
            (second.clone(), Delivery::Off),
            (third.clone(), Delivery::DailyDigest),
            (note(otto, "otto's", 4), Delivery::Immediately),
        ],
    )
    .await;
    let mut tx = store.write().await.unwrap();
    assert!(
        notifications::mark_read(&mut tx, nora, third.id, at(5))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    let mut conn = store.read().await.unwrap();
    assert_eq!(
        notifications::count_unread(&mut conn, nora).await.unwrap(),
        2
    );
    assert_eq!(notifications::count(&mut conn, nora).await.unwrap(), 3);
    let page = notifications::page(&mut conn, nora, 0, 10).await.unwrap();
    let titles: Vec<_> = page.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        ["second!", "first", "third"],
        "unread newest first, then read"
    );
    assert_eq!(page[0], second, "round trip");
    assert!(page[0].urgent);
    assert_eq!(page[2].read_at, Some(at(5)));
    let next = notifications::page(&mut conn, nora, 2, 2).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].id, third.id);
}

async fn only_the_recipient_marks_read(engine: Engine) {
    let (_db, store, nora, otto) = world(engine).await;
    let one = note(nora, "one", 1);
    let two = note(nora, "two", 2);
    write(
        &store,
        &[(one.clone(), Delivery::Off), (two.clone(), Delivery::Off)],
    )
    .await;
    let mut tx = store.write().await.unwrap();
    assert!(
        !notifications::mark_read(&mut tx, otto, one.id, at(3))
            .await
            .unwrap()
    );
    assert_eq!(
        notifications::mark_all_read(&mut tx, otto, at(3))
            .await
            .unwrap(),
        0
    );
    assert!(
        notifications::mark_read(&mut tx, nora, one.id, at(3))
            .await
            .unwrap()
    );
    // Reading again keeps the first reading time.
    assert!(
        notifications::mark_read(&mut tx, nora, one.id, at(9))
            .await
            .unwrap()
    );
    assert_eq!(
        notifications::mark_all_read(&mut tx, nora, at(4))
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
    let mut conn = store.read().await.unwrap();
    assert_eq!(
        notifications::count_unread(&mut conn, nora).await.unwrap(),
        0
    );
    let page = notifications::page(&mut conn, nora, 0, 10).await.unwrap();
    let one_read = page.iter().find(|n| n.id == one.id).unwrap();
    assert_eq!(one_read.read_at, Some(at(3)));
}

async fn preferences_default_to_immediately_and_update(engine: Engine) {
    let (_db, store, nora, otto) = world(engine).await;
    let mut tx = store.write().await.unwrap();
    notifications::set_preference(&mut tx, nora, EventType::Contribution, Delivery::Off, at(1))
        .await
        .unwrap();
    notifications::set_preference(
        &mut tx,
        nora,
        EventType::Contribution,
        Delivery::DailyDigest,
        at(2),
    )
    .await
    .unwrap();
    notifications::set_preference(&mut tx, nora, EventType::PanelClosed, Delivery::Off, at(2))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.read().await.unwrap();
    let prefs = notifications::preferences(&mut conn, nora).await.unwrap();
    assert_eq!(prefs.of(EventType::Contribution), Delivery::DailyDigest);
    assert_eq!(prefs.of(EventType::PanelClosed), Delivery::Off);
    assert_eq!(prefs.of(EventType::Invitation), Delivery::Immediately);
    let others = notifications::preferences(&mut conn, otto).await.unwrap();
    assert_eq!(others.of(EventType::Contribution), Delivery::Immediately);
}

async fn digests_gather_before_the_cutoff_once(engine: Engine) {
    let (_db, store, nora, otto) = world(engine).await;
    let early = note(nora, "early", 1);
    let second = note(nora, "second", 2);
    let late = note(nora, "late", 30);
    write(
        &store,
        &[
            (early.clone(), Delivery::DailyDigest),
            (second.clone(), Delivery::DailyDigest),
            (late.clone(), Delivery::DailyDigest),
            (note(nora, "immediate", 3), Delivery::Immediately),
            (note(otto, "otto's", 4), Delivery::DailyDigest),
        ],
    )
    .await;
    let cutoff = at(10);
    let mut conn = store.read().await.unwrap();
    let mut who = notifications::digest_recipients(&mut conn, cutoff)
        .await
        .unwrap();
    who.sort();
    let mut expected = vec![nora, otto];
    expected.sort();
    assert_eq!(who, expected);
    drop(conn);

    let mut tx = store.write().await.unwrap();
    let claimed = notifications::claim_digest(&mut tx, nora, cutoff, at(11))
        .await
        .unwrap();
    let titles: Vec<_> = claimed.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        ["early", "second"],
        "oldest first, before the cutoff"
    );
    let ids: Vec<_> = claimed.iter().map(|n| n.id).collect();
    notifications::set_digest_mail(&mut tx, &ids, MailId::new())
        .await
        .unwrap();
    // Claimed once: a second claim in the same slot finds nothing.
    assert!(
        notifications::claim_digest(&mut tx, nora, cutoff, at(12))
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
    let mut conn = store.read().await.unwrap();
    assert_eq!(
        notifications::digest_recipients(&mut conn, cutoff)
            .await
            .unwrap(),
        vec![otto]
    );
    drop(conn);
    let mut tx = store.write().await.unwrap();
    let tomorrow = notifications::claim_digest(&mut tx, nora, at(60), at(61))
        .await
        .unwrap();
    assert_eq!(tomorrow.len(), 1);
    assert_eq!(tomorrow[0].id, late.id);
    tx.commit().await.unwrap();
}
