#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! The imaging index on both engines (migration 0401): staged instances
//! move into the index in one commit with their counts and modalities,
//! a second upload of the same instances indexes nothing and hands back
//! its blobs, stale uploads are found for the sweep, metadata comes back in
//! instance order, and erasure returns every blob to delete.

use cpms_domain::ids::{HcpId, PatientId, UserId};
use cpms_domain::org::{CountryCode, ErnCode, HcpCode, HcpKind};
use cpms_domain::patient::{
    Consent, ConsentKind, ConsentStatus, Consents, PatientStatus, Pseudonym, Sex,
};
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::imaging::{self, NewInstance, NewSeries, NewStudy};
use cpms_store::repo::patients::{self, StoredPatient};
use cpms_store::repo::{reference, users};
use cpms_store::testing::TestDatabase;
use cpms_store::{Engine, Store, both_engines};

both_engines!(
    uploads_index_once_and_hand_back_duplicates,
    stale_uploads_are_found_and_erasure_returns_blobs,
);

fn at(second: i64) -> jiff::Timestamp {
    let start: jiff::Timestamp = "2026-11-23T10:00:00.123456Z".parse().unwrap();
    start
        .checked_add(jiff::SignedDuration::from_secs(second))
        .unwrap()
}

struct World {
    store: Store,
    user: UserId,
    patient: PatientId,
    _db: TestDatabase,
}

async fn world(engine: Engine) -> World {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    let mut tx = store.write().await.unwrap();
    let ern = ErnCode::parse("BOND").unwrap();
    reference::insert_ern(
        &mut tx,
        &cpms_domain::org::Ern {
            code: ern.clone(),
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
    let hcp: HcpId = reference::ensure_hcp(
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
    let user = User {
        id: UserId::new(),
        username: "bond-hp1".into(),
        display_name: "bond-hp1".into(),
        email: "bond-hp1@example.org".into(),
        status: AccountStatus::Active,
        administrator: false,
        training: true,
    };
    users::insert(&mut tx, &user, None, at(0)).await.unwrap();
    let consent = Consent {
        kind: ConsentKind::Care,
        status: ConsentStatus::Given,
        date: jiff::civil::date(2026, 11, 20),
        recorded_by: user.id,
        recorded_at: at(0),
    };
    let patient = StoredPatient {
        id: PatientId::new(),
        pseudonym: Pseudonym::from_random([7, 1, 2, 3, 4, 5, 6]),
        nickname: None,
        sex: Sex::Female,
        birth_year: 2015,
        country: it,
        ern,
        hcp,
        enrolled_by: user.id,
        enrolled_at: at(0),
        status: PatientStatus::Active,
        identity_sealed: None,
        consents: Consents::at_enrolment(vec![consent], jiff::civil::date(2026, 11, 23)).unwrap(),
        current_version: 0,
    };
    patients::insert(&mut tx, &patient).await.unwrap();
    tx.commit().await.unwrap();
    World {
        store,
        user: user.id,
        patient: patient.id,
        _db: db,
    }
}

fn instance(blob: &str, sop: &str, series: &str, number: i64, burned_in: bool) -> NewInstance {
    NewInstance {
        blob_id: blob.into(),
        sop_uid: sop.into(),
        series_uid: series.into(),
        study_uid: "2.25.1".into(),
        sop_class_uid: "1.2.840.10008.5.1.4.1.1.2".into(),
        instance_number: Some(number),
        rows: Some(64),
        columns: Some(64),
        frames: 1,
        transfer_syntax: "1.2.840.10008.1.2.1".into(),
        size_bytes: 9000,
        burned_in: burned_in.then(|| "Burned In Annotation is YES".into()),
        metadata: format!(r#"{{"00200013":{{"vr":"IS","Value":[{number}]}}}}"#),
    }
}

fn study(w: &World) -> NewStudy {
    NewStudy {
        study_uid: "2.25.1".into(),
        patient: w.patient,
        study_date: Some("20230101".into()),
        description: Some("CT".into()),
        uploaded_by: w.user,
        uploaded_at: at(1),
    }
}

fn series(uid: &str, modality: &str, number: i64) -> NewSeries {
    NewSeries {
        series_uid: uid.into(),
        study_uid: "2.25.1".into(),
        modality: Some(modality.into()),
        series_number: Some(number),
        description: None,
    }
}

async fn uploads_index_once_and_hand_back_duplicates(engine: Engine) {
    let w = world(engine).await;
    let mut tx = w.store.write().await.unwrap();
    imaging::begin_upload(&mut tx, "u1", w.patient, at(1))
        .await
        .unwrap();
    let staged = [
        instance("b2", "2.25.12", "2.25.10", 2, false),
        instance("b1", "2.25.11", "2.25.10", 1, true),
        instance("b3", "2.25.21", "2.25.20", 1, false),
    ];
    imaging::stage(&mut tx, "u1", &staged, at(2)).await.unwrap();
    assert!(!imaging::instance_exists(&mut tx, "2.25.11").await.unwrap());
    let committed = imaging::commit_upload(
        &mut tx,
        "u1",
        &[study(&w)],
        &[series("2.25.10", "CT", 1), series("2.25.20", "SR", 2)],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(committed.indexed, 3);
    assert!(committed.duplicates.is_empty());

    let mut conn = w.store.read().await.unwrap();
    assert!(
        imaging::instance_exists(&mut conn, "2.25.11")
            .await
            .unwrap()
    );
    let studies = imaging::studies_of_patient(&mut conn, w.patient)
        .await
        .unwrap();
    assert_eq!(studies.len(), 1);
    assert_eq!(studies[0].series_count, 2);
    assert_eq!(studies[0].instance_count, 3);
    assert_eq!(studies[0].burned_in_count, 1);
    assert_eq!(studies[0].modalities, ["CT", "SR"]);
    let series_rows = imaging::series_of_study(&mut conn, "2.25.1").await.unwrap();
    assert_eq!(series_rows[0].series_uid, "2.25.10");
    assert_eq!(series_rows[0].instance_count, 2);
    assert_eq!(series_rows[0].burned_in_count, 1);
    let instances = imaging::instances_of_series(&mut conn, "2.25.10")
        .await
        .unwrap();
    let order: Vec<&str> = instances.iter().map(|i| i.sop_uid.as_str()).collect();
    assert_eq!(order, ["2.25.11", "2.25.12"]);
    let metadata = imaging::series_metadata(&mut conn, "2.25.10")
        .await
        .unwrap();
    assert!(metadata[0].contains("[1]") && metadata[1].contains("[2]"));
    assert_eq!(
        imaging::study_metadata(&mut conn, "2.25.1")
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        imaging::instance(&mut conn, "2.25.1", "2.25.20", "2.25.11")
            .await
            .unwrap()
            .is_none(),
        "an instance is found only under its own series"
    );
    assert!(
        imaging::series(&mut conn, "2.25.999", "2.25.10")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        imaging::staged_blobs(&mut conn, "u1")
            .await
            .unwrap()
            .is_empty()
    );
    drop(conn);

    // The same instance again: nothing indexed, its blob handed back.
    let mut tx = w.store.write().await.unwrap();
    imaging::begin_upload(&mut tx, "u2", w.patient, at(3))
        .await
        .unwrap();
    imaging::stage(
        &mut tx,
        "u2",
        &[instance("b9", "2.25.11", "2.25.10", 1, true)],
        at(3),
    )
    .await
    .unwrap();
    let again = imaging::commit_upload(&mut tx, "u2", &[study(&w)], &[series("2.25.10", "CT", 1)])
        .await
        .unwrap();
    assert_eq!(again.indexed, 0);
    assert_eq!(again.duplicates, ["b9"]);
    imaging::unstage(&mut tx, &again.duplicates).await.unwrap();
    imaging::end_upload(&mut tx, "u2").await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let studies = imaging::studies_of_patient(&mut conn, w.patient)
        .await
        .unwrap();
    assert_eq!(studies[0].instance_count, 3);
    assert!(
        imaging::stale_uploads(&mut conn, at(100))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn stale_uploads_are_found_and_erasure_returns_blobs(engine: Engine) {
    let w = world(engine).await;
    let mut tx = w.store.write().await.unwrap();
    imaging::begin_upload(&mut tx, "crashed", w.patient, at(1))
        .await
        .unwrap();
    imaging::stage(
        &mut tx,
        "crashed",
        &[instance("b1", "2.25.11", "2.25.10", 1, false)],
        at(5),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    assert!(
        imaging::stale_uploads(&mut conn, at(5))
            .await
            .unwrap()
            .is_empty(),
        "staging touches the upload"
    );
    assert_eq!(
        imaging::stale_uploads(&mut conn, at(6)).await.unwrap(),
        ["crashed"]
    );
    assert_eq!(
        imaging::staged_blobs(&mut conn, "crashed").await.unwrap(),
        ["b1"]
    );
    drop(conn);

    let mut tx = w.store.write().await.unwrap();
    imaging::commit_upload(
        &mut tx,
        "crashed",
        &[study(&w)],
        &[series("2.25.10", "CT", 1)],
    )
    .await
    .unwrap();
    let blobs = imaging::blobs_of_patient(&mut tx, w.patient).await.unwrap();
    assert_eq!(blobs, ["b1"]);
    imaging::delete_of_patient(&mut tx, w.patient)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    assert!(
        imaging::studies_of_patient(&mut conn, w.patient)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        imaging::series_of_study(&mut conn, "2.25.1")
            .await
            .unwrap()
            .is_empty()
    );
}
