#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Patients and record versions on both engines: round trip, the owner's
//! list with search, order and paging, versions, erasure.

use cpms_domain::ids::{PatientId, UserId};
use cpms_domain::org::{CountryCode, ErnCode, HcpCode, HcpKind};
use cpms_domain::patient::{
    Consent, ConsentKind, ConsentStatus, Consents, PatientSearch, PatientStatus, Pseudonym, Sex,
};
use cpms_domain::record::{ClinicalRecord, RecordChange};
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::patients::{
    self, PatientOrder, PatientPage, PatientQuery, RecordVersion, StoredPatient,
};
use cpms_store::repo::{reference, users};
use cpms_store::testing::TestDatabase;
use cpms_store::{Engine, Store, StoreError, both_engines};

both_engines!(
    patients_round_trip_and_pseudonyms_are_unique,
    the_list_is_the_owners_with_search_order_and_paging,
    versions_append_in_order_and_erasure_removes_identity,
);

fn now() -> jiff::Timestamp {
    "2026-11-23T10:00:00.123456Z".parse().unwrap()
}

struct World {
    store: Store,
    hcp: cpms_domain::ids::HcpId,
    owner: UserId,
    other: UserId,
    _db: TestDatabase,
}

async fn world(engine: Engine) -> World {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    let mut tx = store.write().await.unwrap();
    let bond = ErnCode::parse("BOND").unwrap();
    reference::insert_ern(
        &mut tx,
        &cpms_domain::org::Ern {
            code: bond.clone(),
            label: "Bone".into(),
            full_name: "ERN BOND".into(),
        },
    )
    .await
    .unwrap();
    let it = CountryCode::parse("IT").unwrap();
    reference::insert_country(
        &mut tx,
        &cpms_domain::org::Country {
            code: it,
            name: "Italy".into(),
            usage: cpms_domain::org::CountryUse::Member,
        },
    )
    .await
    .unwrap();
    let hcp = reference::ensure_hcp(
        &mut tx,
        &reference::NewHcp {
            code: &HcpCode::parse("IT08").unwrap(),
            name: "AOU Pisana",
            city: "Pisa",
            country: Some(it),
            kind: HcpKind::Hospital,
            synthetic: false,
        },
    )
    .await
    .unwrap();
    let mut ids = Vec::new();
    for name in ["bond-hp1", "bond-hp2"] {
        let user = User {
            id: UserId::new(),
            username: name.into(),
            display_name: name.into(),
            email: format!("{name}@example.org"),
            status: AccountStatus::Active,
            administrator: false,
            training: true,
        };
        users::insert(&mut tx, &user, None, now()).await.unwrap();
        ids.push(user.id);
    }
    tx.commit().await.unwrap();
    World {
        store,
        hcp,
        owner: ids[0],
        other: ids[1],
        _db: db,
    }
}

fn patient(w: &World, owner: UserId, seed: u8, nickname: Option<&str>) -> StoredPatient {
    let consent = Consent {
        kind: ConsentKind::Care,
        status: ConsentStatus::Given,
        date: jiff::civil::date(2026, 11, 20),
        recorded_by: owner,
        recorded_at: now(),
    };
    StoredPatient {
        id: PatientId::new(),
        pseudonym: Pseudonym::from_random([seed, 1, 2, 3, 4, 5, 6]),
        nickname: nickname.map(str::to_owned),
        sex: Sex::Female,
        birth_year: 2015,
        country: CountryCode::parse("IT").unwrap(),
        ern: ErnCode::parse("BOND").unwrap(),
        hcp: w.hcp,
        enrolled_by: owner,
        enrolled_at: now()
            .checked_add(jiff::SignedDuration::from_secs(i64::from(seed)))
            .unwrap(),
        status: PatientStatus::Active,
        identity_sealed: Some(format!("k1:sealed{seed}")),
        consents: Consents::at_enrolment(vec![consent], jiff::civil::date(2026, 11, 23)).unwrap(),
        current_version: 0,
    }
}

async fn patients_round_trip_and_pseudonyms_are_unique(engine: Engine) {
    let w = world(engine).await;
    let p = patient(&w, w.owner, 1, Some("bed 4"));
    let mut tx = w.store.write().await.unwrap();
    patients::insert(&mut tx, &p).await.unwrap();
    let mut twin = patient(&w, w.owner, 1, None);
    twin.id = PatientId::new();
    assert!(matches!(
        patients::insert(&mut tx, &twin).await,
        Err(StoreError::Duplicate { .. })
    ));
    drop(tx);
    let mut tx = w.store.write().await.unwrap();
    patients::insert(&mut tx, &p).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    assert_eq!(
        patients::get(&mut conn, p.id).await.unwrap(),
        Some(p.clone())
    );
    assert_eq!(
        patients::get_by_pseudonym(&mut conn, &p.pseudonym)
            .await
            .unwrap(),
        Some(p)
    );
}

async fn the_list_is_the_owners_with_search_order_and_paging(engine: Engine) {
    let w = world(engine).await;
    let mut tx = w.store.write().await.unwrap();
    for seed in 0..7u8 {
        let nickname = format!("Bed {seed}");
        patients::insert(&mut tx, &patient(&w, w.owner, seed, Some(&nickname)))
            .await
            .unwrap();
    }
    patients::insert(&mut tx, &patient(&w, w.owner, 7, Some("Ward A")))
        .await
        .unwrap();
    patients::insert(&mut tx, &patient(&w, w.owner, 8, None))
        .await
        .unwrap();
    patients::insert(&mut tx, &patient(&w, w.other, 50, Some("Bed 1")))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let mut query = PatientQuery {
        hcp: w.hcp,
        owner: w.owner,
        search: None,
        order: PatientOrder::NewestFirst,
        offset: 0,
        limit: 5,
        count_limit: 100,
    };
    let nicknames = |page: &PatientPage| -> Vec<String> {
        page.patients
            .iter()
            .map(|p| p.nickname.clone().unwrap_or_default())
            .collect()
    };
    let page = patients::list(&mut conn, &query).await.unwrap();
    assert_eq!(page.counted, 9, "only the owner's patients");
    assert_eq!(nicknames(&page), ["", "Ward A", "Bed 6", "Bed 5", "Bed 4"]);
    assert!(page.more);
    query.offset = 5;
    let page = patients::list(&mut conn, &query).await.unwrap();
    assert_eq!((page.patients.len(), page.more), (4, false));
    query.offset = 0;
    query.count_limit = 3;
    assert_eq!(
        patients::list(&mut conn, &query).await.unwrap().counted,
        3,
        "counting stops at the limit"
    );
    query.count_limit = 100;

    let found = |typed: &str| PatientSearch::new(typed);
    query.search = found("bed 3");
    let page = patients::list(&mut conn, &query).await.unwrap();
    assert_eq!(
        (nicknames(&page), page.counted),
        (vec!["Bed 3".to_owned()], 1)
    );
    query.search = found("WARD");
    assert_eq!(
        nicknames(&patients::list(&mut conn, &query).await.unwrap()),
        ["Ward A"]
    );
    query.search = found("ed");
    let page = patients::list(&mut conn, &query).await.unwrap();
    assert_eq!(page.counted, 0, "the start of a nickname, not any part");

    query.search = found("bed");
    query.order = PatientOrder::Nickname;
    query.offset = 2;
    query.limit = 2;
    let page = patients::list(&mut conn, &query).await.unwrap();
    assert_eq!(nicknames(&page), ["Bed 2", "Bed 3"]);
    assert_eq!((page.counted, page.more), (7, true));

    let shown = page.patients[0].pseudonym.to_string();
    query.search = found(&shown[..6].to_lowercase());
    query.offset = 0;
    query.limit = 5;
    let page = patients::list(&mut conn, &query).await.unwrap();
    assert!(
        page.patients
            .iter()
            .any(|p| p.pseudonym.to_string() == shown),
        "pseudonym prefix with hyphen"
    );

    // A patient whose nickname and pseudonym both match appears once.
    let mut twin = patient(&w, w.owner, 9, None);
    let start = twin.pseudonym.as_str()[..4].to_lowercase();
    twin.nickname = Some(start.clone());
    let mut tx = w.store.write().await.unwrap();
    patients::insert(&mut tx, &twin).await.unwrap();
    tx.commit().await.unwrap();
    query.search = found(&start);
    let page = patients::list(&mut conn, &query).await.unwrap();
    let twins = page.patients.iter().filter(|p| p.id == twin.id).count();
    assert_eq!(
        (twins, page.counted),
        (1, i64::try_from(page.patients.len()).unwrap())
    );

    query.search = None;
    query.order = PatientOrder::Nickname;
    let page = patients::list(&mut conn, &query).await.unwrap();
    assert_eq!(
        nicknames(&page)[..3],
        ["", start.as_str(), "Bed 0"],
        "no nickname first, then by code point"
    );
    query.order = PatientOrder::Pseudonym;
    let page = patients::list(&mut conn, &query).await.unwrap();
    let pseudonyms: Vec<_> = page
        .patients
        .iter()
        .map(|p| p.pseudonym.as_str().to_owned())
        .collect();
    let mut sorted = pseudonyms.clone();
    sorted.sort();
    assert_eq!(pseudonyms, sorted);
}

async fn versions_append_in_order_and_erasure_removes_identity(engine: Engine) {
    let w = world(engine).await;
    let p = patient(&w, w.owner, 9, Some("bed 9"));
    let mut tx = w.store.write().await.unwrap();
    patients::insert(&mut tx, &p).await.unwrap();
    let mut content = ClinicalRecord::default();
    for (n, change) in [
        RecordChange::Enrolled,
        RecordChange::Summary {
            text: "Short stature.".into(),
        },
    ]
    .into_iter()
    .enumerate()
    {
        content.apply(&change).unwrap();
        let version = RecordVersion {
            version: n as i64 + 1,
            at: now(),
            author: w.owner,
            on_behalf_of: None,
            description: change.describe(),
            change,
            content: content.clone(),
        };
        patients::append_version(&mut tx, p.id, &version)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let versions = patients::versions(&mut conn, p.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(versions[0].content.summary, "Short stature.");
    assert_eq!(
        patients::get(&mut conn, p.id)
            .await
            .unwrap()
            .unwrap()
            .current_version,
        2
    );
    drop(conn);
    let mut tx = w.store.write().await.unwrap();
    patients::erase_identity(&mut tx, p.id).await.unwrap();
    patients::delete_versions(&mut tx, p.id).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let erased = patients::get(&mut conn, p.id).await.unwrap().unwrap();
    assert_eq!(erased.identity_sealed, None);
    assert_eq!(erased.nickname, None);
    assert_eq!(erased.status, PatientStatus::Erased);
    assert!(
        patients::versions(&mut conn, p.id)
            .await
            .unwrap()
            .is_empty()
    );
    let by_old_nickname = PatientQuery {
        hcp: w.hcp,
        owner: w.owner,
        search: PatientSearch::new("bed 9"),
        order: PatientOrder::Nickname,
        offset: 0,
        limit: 5,
        count_limit: 100,
    };
    let page = patients::list(&mut conn, &by_old_nickname).await.unwrap();
    assert_eq!(page.counted, 0, "the search key goes with the nickname");
}
