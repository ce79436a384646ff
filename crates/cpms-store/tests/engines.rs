#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! The store on both engines: migrations, reference data, users,
//! memberships, sessions and the audit chain behave the same on SQLite and
//! PostgreSQL.

use cpms_domain::audit::{NewEvent, Outcome, Verifier};
use cpms_domain::ids::{MailId, MembershipId, SessionId, UserId};
use cpms_domain::mail::Mail;
use cpms_domain::org::{
    CountryCode, Ern, ErnCode, HcpCode, HcpKind, Membership, MembershipStatus, Role,
};
use cpms_domain::session::Session;
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::{audit, memberships, outbox, reference, sessions, users};
use cpms_store::testing::TestDatabase;
use cpms_store::{Engine, SchemaState, Store, StoreError, StoreOptions, both_engines};

fn now() -> jiff::Timestamp {
    "2026-11-23T10:00:00.123456Z".parse().unwrap()
}

both_engines!(
    migrations_apply_once_and_report_state,
    seeding_twice_changes_nothing,
    users_memberships_and_sessions_round_trip,
    audit_appends_form_a_verifiable_chain,
    concurrent_audit_appends_stay_linear,
    queued_mail_keeps_its_calendar,
);

async fn migrations_apply_once_and_report_state(engine: Engine) {
    let db = TestDatabase::new(engine).await;
    let store = Store::open(&db.url, &StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(store.schema_version().await.unwrap(), 0);
    assert!(matches!(
        store.require_current_schema().await,
        Err(StoreError::NeedsMigration { current: 0, .. })
    ));
    let applied = store.migrate().await.unwrap();
    assert_eq!(applied.len(), cpms_store::MIGRATIONS.len());
    assert_eq!(store.schema_state().await.unwrap(), SchemaState::Current);
    assert!(
        store.migrate().await.unwrap().is_empty(),
        "second run applies nothing"
    );
}

async fn seed(store: &Store) -> ErnCode {
    let mut tx = store.write().await.unwrap();
    let bond = ErnCode::parse("BOND").unwrap();
    let ern = Ern {
        code: bond.clone(),
        label: "Bone Disorders".into(),
        full_name: "ERN on Rare Bone Disorders".into(),
    };
    reference::insert_ern(&mut tx, &ern).await.unwrap();
    let it = cpms_domain::org::Country {
        code: CountryCode::parse("IT").unwrap(),
        name: "Italy".into(),
        usage: cpms_domain::org::CountryUse::Member,
    };
    reference::insert_country(&mut tx, &it).await.unwrap();
    let code = HcpCode::parse("IT08").unwrap();
    let hcp = reference::ensure_hcp(
        &mut tx,
        &reference::NewHcp {
            code: &code,
            name: "AOU Pisana",
            city: "Pisa",
            country: Some(it.code),
            kind: HcpKind::Hospital,
            synthetic: false,
        },
    )
    .await
    .unwrap();
    reference::link_hcp_ern(&mut tx, hcp, &bond).await.unwrap();
    reference::ensure_area(
        &mut tx,
        &bond,
        Some("Skeletal dysplasias"),
        "Osteogenesis imperfecta",
    )
    .await
    .unwrap();
    reference::insert_profession(&mut tx, "radiologist", "Radiologist", 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    bond
}

async fn seeding_twice_changes_nothing(engine: Engine) {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    seed(&store).await;
    let mut conn = store.read().await.unwrap();
    let first = reference::counts(&mut conn).await.unwrap();
    drop(conn);
    let bond = seed(&store).await;
    let mut conn = store.read().await.unwrap();
    assert_eq!(reference::counts(&mut conn).await.unwrap(), first);
    assert_eq!(first.thematic_areas, 2, "area and its parent");
    let areas = reference::areas_of_ern(&mut conn, &bond).await.unwrap();
    let child = areas
        .iter()
        .find(|a| a.name == "Osteogenesis imperfecta")
        .unwrap();
    let parent = areas
        .iter()
        .find(|a| a.name == "Skeletal dysplasias")
        .unwrap();
    assert_eq!(child.parent, Some(parent.id));
    let hospitals = reference::hospitals_of_ern(&mut conn, &bond).await.unwrap();
    assert_eq!(hospitals.len(), 1);
    assert_eq!(hospitals[0].erns, vec![bond]);
    assert_eq!(hospitals[0].country.unwrap().as_str(), "IT");
}

async fn users_memberships_and_sessions_round_trip(engine: Engine) {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    let bond = seed(&store).await;
    let user = User {
        id: UserId::new(),
        username: "bond-hp1".into(),
        display_name: "Anna Rossi".into(),
        email: "anna@example.org".into(),
        status: AccountStatus::Active,
        administrator: false,
        training: true,
    };
    let mut tx = store.write().await.unwrap();
    users::insert(&mut tx, &user, Some("$argon2id$v=19$x"), now())
        .await
        .unwrap();
    let duplicate = users::insert(
        &mut tx,
        &User {
            id: UserId::new(),
            ..user.clone()
        },
        None,
        now(),
    )
    .await;
    assert!(
        matches!(duplicate, Err(StoreError::Duplicate { .. })),
        "{duplicate:?}"
    );
    tx.commit().await.unwrap_or_else(|e| {
        panic!("a failed statement must not poison the transaction on {engine:?}: {e}")
    });

    let hcp = {
        let mut conn = store.read().await.unwrap();
        reference::get_hcp_by_code(&mut conn, &HcpCode::parse("IT08").unwrap())
            .await
            .unwrap()
            .unwrap()
    };
    let membership = Membership {
        id: MembershipId::new(),
        user: user.id,
        ern: bond.clone(),
        hcp: hcp.id,
        hcp_code: hcp.code.clone(),
        hcp_name: hcp.name.clone(),
        role: Role::Hp,
        status: MembershipStatus::Approved,
        expires_at: Some("2027-02-21T00:00:00Z".parse().unwrap()),
    };
    let session = Session {
        id: SessionId::new(),
        user: user.id,
        created_at: now(),
        last_seen_at: now(),
        expires_at: "2026-11-23T22:00:00Z".parse().unwrap(),
        client_addr: Some("192.0.2.1".into()),
        user_agent: Some("test".into()),
        current_ern: None,
        stage: cpms_domain::session::SessionStage::Full,
        roles_digest: Some("digest".to_owned()),
    };
    let mut tx = store.write().await.unwrap();
    memberships::insert(&mut tx, &membership, now())
        .await
        .unwrap();
    sessions::insert(&mut tx, &session, "hash-1").await.unwrap();
    sessions::set_current_ern(&mut tx, session.id, &bond)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut conn = store.read().await.unwrap();
    let (found, hash) = users::find_by_username(&mut conn, "bond-hp1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, user);
    assert_eq!(hash.as_deref(), Some("$argon2id$v=19$x"));
    assert_eq!(
        memberships::of_user(&mut conn, user.id).await.unwrap(),
        vec![membership]
    );
    let loaded = sessions::find_by_token_hash(&mut conn, "hash-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        loaded,
        Session {
            current_ern: Some(bond),
            ..session.clone()
        }
    );
    assert!(
        sessions::find_by_token_hash(&mut conn, "hash-2")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        sessions::delete_for_user(&mut conn, user.id).await.unwrap(),
        1
    );
}

async fn append(store: &Store, action: &str) {
    let mut tx = store.write().await.unwrap();
    let event = NewEvent::new(action, "user:x", Outcome::Success)
        .by(UserId::new())
        .from_addr(Some("::1".into()));
    audit::append(&mut tx, event, jiff::Timestamp::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn verify(store: &Store) -> Result<u64, cpms_domain::audit::ChainError> {
    let mut conn = store.read().await.unwrap();
    let mut verifier = Verifier::default();
    let mut after = 0;
    loop {
        let page = audit::page(&mut conn, after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        for event in &page {
            verifier.check(event)?;
        }
    }
    let head = audit::head(&mut conn).await.unwrap();
    verifier.finish(head.as_ref().map(|(s, h)| (*s, h.as_str())))
}

async fn audit_appends_form_a_verifiable_chain(engine: Engine) {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    assert_eq!(verify(&store).await, Ok(0));
    for action in ["auth.sign_in", "auth.sign_out", "auth.sign_in"] {
        append(&store, action).await;
    }
    assert_eq!(verify(&store).await, Ok(3));

    // A rolled-back append leaves no trace in the chain.
    let mut tx = store.write().await.unwrap();
    audit::append(&mut tx, NewEvent::new("x", "y", Outcome::Failure), now())
        .await
        .unwrap();
    drop(tx);
    assert_eq!(verify(&store).await, Ok(3));
}

async fn concurrent_audit_appends_stay_linear(engine: Engine) {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { append(&store, &format!("test.concurrent.{i}")).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(verify(&store).await, Ok(20));
}

async fn queued_mail_keeps_its_calendar(engine: Engine) {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    let plain = Mail {
        id: MailId::new(),
        recipient: "ada@example.org".into(),
        subject: "Approved".into(),
        body_text: "text".into(),
        body_html: "<p>html</p>".into(),
        calendar: None,
        attempts: 0,
    };
    let invitation = Mail {
        id: MailId::new(),
        calendar: Some("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n".into()),
        ..plain.clone()
    };
    let mut tx = store.write().await.unwrap();
    outbox::enqueue(&mut tx, &plain, now()).await.unwrap();
    outbox::enqueue(&mut tx, &invitation, now()).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.read().await.unwrap();
    let mut due = outbox::due(&mut conn, now(), 10).await.unwrap();
    due.sort_by_key(|m| m.id);
    assert_eq!(due, vec![plain, invitation]);
}
