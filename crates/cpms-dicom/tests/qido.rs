//! QIDO-RS matching against DICOM JSON attribute maps.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use cpms_dicom::InstanceSummary;
use cpms_dicom::json::attribute;
use cpms_dicom::qido::{IncludeFields, Matcher, QueryError, parse_query};
use dicom_core::VR;
use dicom_dictionary_std::tags;
use serde_json::{Map, Value};

fn study(id: &str, name: &str, date: &str, modalities: &[&str], uid: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("00100020".into(), attribute(VR::LO, &[id]));
    map.insert("00100010".into(), attribute(VR::PN, &[name]));
    map.insert("00080020".into(), attribute(VR::DA, &[date]));
    map.insert("00080061".into(), attribute(VR::CS, modalities));
    map.insert("0020000D".into(), attribute(VR::UI, &[uid]));
    map.insert("00081030".into(), attribute(VR::LO, &[]));
    map
}

fn matching<'a>(query: &[(&str, &str)], records: &'a [Map<String, Value>]) -> Vec<&'a str> {
    let query = parse_query(query.iter().copied()).unwrap();
    records
        .iter()
        .filter(|r| query.matches(r))
        .map(|r| r["0020000D"]["Value"][0].as_str().unwrap())
        .collect()
}

fn records() -> Vec<Map<String, Value>> {
    vec![
        study("ERN-001", "PSEUDO^ALPHA", "20200115", &["CT", "SR"], "1.1"),
        study("ERN-002", "PSEUDO^BETA", "20201231", &["MR"], "1.2"),
        study("ERN-003", "OTHER^GAMMA", "20210101", &["CT"], "1.3"),
    ]
}

#[test]
fn single_value_wildcard_and_list_matching() {
    let r = records();
    assert_eq!(matching(&[("PatientID", "ERN-002")], &r), ["1.2"]);
    assert_eq!(
        matching(&[("PatientID", "ERN-00?")], &r),
        ["1.1", "1.2", "1.3"]
    );
    assert_eq!(matching(&[("PatientName", "pseudo*")], &r), ["1.1", "1.2"]);
    assert_eq!(matching(&[("ModalitiesInStudy", "CT")], &r), ["1.1", "1.3"]);
    assert_eq!(
        matching(&[("ModalitiesInStudy", "MR,SR")], &r),
        ["1.1", "1.2"]
    );
    assert_eq!(
        matching(&[("StudyInstanceUID", "1.3,1.1")], &r),
        ["1.1", "1.3"]
    );
    assert_eq!(matching(&[("0020000D", "1.2")], &r), ["1.2"]);
    assert_eq!(
        matching(&[("PatientID", "ERN-001"), ("ModalitiesInStudy", "MR")], &r),
        Vec::<&str>::new()
    );
    // Universal matching on an empty value, even for attributes the record lacks.
    assert_eq!(matching(&[("StudyDescription", "")], &r).len(), 3);
    assert_eq!(matching(&[("StudyDescription", "x")], &r).len(), 0);
}

#[test]
fn date_ranges() {
    let r = records();
    assert_eq!(
        matching(&[("StudyDate", "20200101-20201231")], &r),
        ["1.1", "1.2"]
    );
    assert_eq!(matching(&[("StudyDate", "20201231-")], &r), ["1.2", "1.3"]);
    assert_eq!(matching(&[("StudyDate", "-20200115")], &r), ["1.1"]);
    assert_eq!(matching(&[("StudyDate", "20210101")], &r), ["1.3"]);
    assert!(matches!(
        parse_query([("StudyDate", "-")]),
        Err(QueryError::InvalidValue { .. })
    ));
    assert!(matches!(
        parse_query([("StudyDate", "2020x-2021")]),
        Err(QueryError::InvalidValue { .. })
    ));
}

#[test]
fn parameters_and_projection() {
    let query = parse_query([
        ("includefield", "StudyDescription,00100010"),
        ("limit", "10"),
        ("offset", "5"),
        ("fuzzymatching", "true"),
        ("PatientID", "ERN-001"),
    ])
    .unwrap();
    assert_eq!(query.limit, Some(10));
    assert_eq!(query.offset, 5);
    assert!(query.fuzzy);
    assert_eq!(
        query.include,
        IncludeFields::Tags(vec![tags::STUDY_DESCRIPTION, tags::PATIENT_NAME])
    );
    assert_eq!(query.filters[0].matcher, Matcher::Single("ERN-001".into()));
    let record = &records()[0];
    let projected = query.project(record, &[tags::STUDY_INSTANCE_UID]);
    let mut keys: Vec<&str> = projected.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["00081030", "00100010", "00100020", "0020000D"]);
    let all = parse_query([("includefield", "all")]).unwrap();
    assert_eq!(all.project(record, &[]), *record);
    assert_eq!(
        parse_query([("NoSuchKeyword", "1")]),
        Err(QueryError::UnknownAttribute("NoSuchKeyword".into()))
    );
    assert!(matches!(
        parse_query([("limit", "-1")]),
        Err(QueryError::InvalidValue { .. })
    ));
}

#[test]
fn instance_summaries_are_queryable() {
    let summary = InstanceSummary {
        patient_id: Some("ERN-9".into()),
        patient_name: Some("PSEUDO^NINE".into()),
        study_instance_uid: "2.25.1".into(),
        series_instance_uid: "2.25.2".into(),
        sop_instance_uid: "2.25.3".into(),
        sop_class_uid: "1.2.840.10008.5.1.4.1.1.2".into(),
        modality: Some("CT".into()),
        study_date: Some("20220202".into()),
        study_description: None,
        series_number: Some(4),
        series_description: None,
        instance_number: Some(12),
        rows: Some(512),
        columns: Some(512),
        frames: 1,
        pixel_spacing: Some([0.7, 0.7]),
        window_center: Some(40.0),
        window_width: Some(400.0),
        photometric_interpretation: Some("MONOCHROME2".into()),
        transfer_syntax: "1.2.840.10008.1.2.1".into(),
    };
    let record = summary.to_json_attributes();
    let hit = |q: &[(&str, &str)]| parse_query(q.iter().copied()).unwrap().matches(&record);
    assert!(hit(&[
        ("Modality", "CT"),
        ("SeriesNumber", "4"),
        ("InstanceNumber", "12")
    ]));
    assert!(hit(&[("StudyDate", "2022-")]));
    assert!(!hit(&[("InstanceNumber", "13")]));
    assert_eq!(record["00100010"]["Value"][0]["Alphabetic"], "PSEUDO^NINE");
}
