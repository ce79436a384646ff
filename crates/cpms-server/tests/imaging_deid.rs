//! The de-identification acceptance test of issue 6, on both engines: a
//! study whose headers carry identifying values everywhere (names, IDs,
//! dates, addresses, institution, physicians, free text, inside sequences
//! and private tags) is uploaded through the real upload route, twice to
//! one patient and once to another; then every stored byte is searched
//! for each value: the instances as the application decrypts them, every
//! file under the data directory, and the whole database (the SQLite file
//! and its write-ahead log as raw bytes; every PostgreSQL table dumped as
//! text). UIDs stay the same across uploads for one patient and differ
//! between patients; Patient's Name and ID are the record's pseudonym.
#![allow(clippy::unwrap_used)]

mod support;

use cpms_app::ClientInfo;
use cpms_dicom::synth::{Identity, InstanceIds};
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use reqwest::StatusCode;
use support::clinic::{enrol, signed_in};
use support::imaging::{ct_files, study_links, upload, zip_of};

both_engines!(identifying_values_are_stored_nowhere);

const SLICES: u32 = 3;

/// Every identifying value of the synthetic identity, its name parts, and
/// the original UIDs, lower-cased.
fn needles(identity: &Identity) -> Vec<String> {
    let mut needles: Vec<String> = identity.values().iter().map(|v| v.to_string()).collect();
    for name in [
        &identity.patient_name,
        &identity.mother_birth_name,
        &identity.referring_physician,
        &identity.performing_physician,
        &identity.operator,
    ] {
        needles.extend(name.split('^').map(str::to_owned));
    }
    for n in 1..=SLICES {
        let ids = InstanceIds::derived(&format!("ct/{}", identity.patient_id), n);
        needles.extend([ids.study, ids.series, ids.instance]);
    }
    needles.iter().map(|n| n.to_lowercase()).collect()
}

fn leaks(haystack: &[u8], needles: &[String]) -> Vec<String> {
    let text = String::from_utf8_lossy(haystack).to_lowercase();
    needles
        .iter()
        .filter(|n| text.contains(n.as_str()))
        .cloned()
        .collect()
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The whole database as bytes: the SQLite files, or every PostgreSQL
/// table dumped row by row as text.
async fn database_bytes(server: &TestServer) -> Vec<u8> {
    match server.db.engine {
        Engine::Sqlite => {
            let mut files = Vec::new();
            files_under(server.db.dir.path(), &mut files);
            assert!(!files.is_empty());
            files
                .iter()
                .flat_map(|f| std::fs::read(f).unwrap())
                .collect()
        }
        Engine::Postgres => {
            let mut conn = server.app().store().read().await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = 'public' ORDER BY table_name",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert!(tables.iter().any(|t| t == "imaging_instances"));
            let mut dump = Vec::new();
            for table in tables {
                let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT CAST(t.* AS TEXT) FROM {table} t"
                )))
                .fetch_all(&mut *conn)
                .await
                .unwrap();
                for row in rows {
                    dump.extend_from_slice(row.as_bytes());
                    dump.push(b'\n');
                }
            }
            dump
        }
    }
}

async fn identifying_values_are_stored_nowhere(engine: Engine) {
    let server = TestServer::training(engine).await;
    let hp = signed_in(&server, "bond-hp1").await;
    let record_a = enrol(&server, &hp, "bond-hp1").await;
    let record_b = enrol(&server, &hp, "bond-hp1").await;
    let identity = Identity::sample();
    let files = ct_files(&identity, SLICES);

    let (status, page) = upload(&hp, &record_a, &[("exam.zip".into(), zip_of(&files))]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, page) = upload(&hp, &record_a, &files).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("0 image(s) stored, 3 already present"),
        "{page}"
    );
    let (status, page) = upload(&hp, &record_b, &files).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("3 image(s) stored"), "{page}");

    let study_of = |page: String| {
        study_links(&page)[0]
            .trim_start_matches("/studies/")
            .to_owned()
    };
    let study_a = study_of(hp.get_text(&record_a).await.1);
    let study_b = study_of(hp.get_text(&record_b).await.1);
    assert_ne!(study_a, study_b, "UIDs differ between patients");
    assert_eq!(study_links(&hp.get_text(&record_a).await.1).len(), 1);

    // Read back as the application serves it.
    let app = server.app();
    let signed = app
        .sign_in_with_password(
            "bond-hp1",
            &server.training_password("bond-hp1"),
            ClientInfo::default(),
        )
        .await
        .unwrap();
    let caller = app
        .resolve_session(&signed.token, ClientInfo::default())
        .await
        .unwrap();
    let mut visible: Vec<String> = app
        .visible_studies(&caller)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.study_uid)
        .collect();
    visible.sort();
    let mut expected = vec![study_a.clone(), study_b.clone()];
    expected.sort();
    assert_eq!(
        visible, expected,
        "the DICOMweb root lists both records' studies"
    );
    let mut stored: Vec<Vec<u8>> = Vec::new();
    let mut sop_uids = Vec::new();
    for (study, record) in [(&study_a, &record_a), (&study_b, &record_b)] {
        let metadata = app.study_metadata(&caller, study).await.unwrap();
        assert_eq!(metadata.len(), SLICES as usize);
        let pseudonym = record.trim_start_matches("/patients/");
        let mut uids = Vec::new();
        for instance in &metadata {
            assert_eq!(instance["00100010"]["Value"][0]["Alphabetic"], pseudonym);
            assert_eq!(instance["00100020"]["Value"][0], pseudonym);
            let series = instance["0020000E"]["Value"][0].as_str().unwrap();
            let sop = instance["00080018"]["Value"][0].as_str().unwrap();
            let bytes = app
                .instance_bytes(&caller, study, series, sop)
                .await
                .unwrap();
            assert_eq!(&bytes[128..132], b"DICM");
            stored.push(bytes);
            stored.push(instance.to_string().into_bytes());
            uids.push(sop.to_owned());
        }
        sop_uids.push(uids);
    }
    assert!(
        sop_uids[0].iter().all(|uid| !sop_uids[1].contains(uid)),
        "instance UIDs differ between patients"
    );

    let mut files_on_disk = Vec::new();
    files_under(&server.data_path(), &mut files_on_disk);
    for file in files_on_disk {
        stored.push(std::fs::read(file).unwrap());
    }
    stored.push(database_bytes(&server).await);

    let needles = needles(&identity);
    let found: Vec<String> = stored.iter().flat_map(|h| leaks(h, &needles)).collect();
    assert!(found.is_empty(), "identifying values stored: {found:?}");
    // The search finds every value in what was uploaded.
    let original: Vec<u8> = files.iter().flat_map(|(_, b)| b.clone()).collect();
    assert_eq!(leaks(&original, &needles).len(), needles.len());
}
