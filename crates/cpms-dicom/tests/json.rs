//! DICOM JSON (PS3.18 F.2) encoding of each VR family and of bulk data.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use cpms_dicom::json::{BulkDataRef, INLINE_BINARY_MAX, dataset_to_json};
use dicom_core::value::PrimitiveValue;
use dicom_core::{DataElement, DicomValue, Length, Tag, VR};
use dicom_object::InMemDicomObject;
use serde_json::json;

#[test]
fn value_representations_follow_ps3_18() {
    let item = InMemDicomObject::from_element_iter([
        DataElement::new(Tag(0x0008, 0x0100), VR::SH, PrimitiveValue::from("113100")),
        DataElement::new(
            Tag(0x0028, 0x3006),
            VR::OW,
            PrimitiveValue::U16(vec![7u16; 1000].into()),
        ),
    ]);
    let obj = InMemDicomObject::from_element_iter([
        DataElement::new(
            Tag(0x0010, 0x0010),
            VR::PN,
            PrimitiveValue::from("Yamada^Tarou=山田^太郎=やまだ^たろう"),
        ),
        DataElement::new(
            Tag(0x0008, 0x0060),
            VR::CS,
            PrimitiveValue::Strs(["CT".to_string(), "SR".to_string()].into_iter().collect()),
        ),
        DataElement::new(
            Tag(0x0028, 0x0030),
            VR::DS,
            PrimitiveValue::from("0.5\\0.25"),
        ),
        DataElement::new(Tag(0x0020, 0x0013), VR::IS, PrimitiveValue::from("12 ")),
        DataElement::new(Tag(0x0028, 0x0010), VR::US, PrimitiveValue::from(512u16)),
        DataElement::new(
            Tag(0x0020, 0x9165),
            VR::AT,
            PrimitiveValue::Tags([Tag(0x0020, 0x0032)].into_iter().collect()),
        ),
        DataElement::new(Tag(0x0008, 0x1030), VR::LO, PrimitiveValue::Empty),
        DataElement::new(
            Tag(0x0009, 0x1010),
            VR::OB,
            PrimitiveValue::U8(vec![1, 2, 3].into()),
        ),
        DataElement::new(
            Tag(0x0040, 0x0275),
            VR::SQ,
            DicomValue::new_sequence(vec![item], Length::UNDEFINED),
        ),
        DataElement::new(
            Tag(0x7FE0, 0x0010),
            VR::OB,
            PrimitiveValue::U8(vec![0; 16].into()),
        ),
    ]);
    let mut seen: Vec<BulkDataRef> = Vec::new();
    let out = dataset_to_json(&obj, &mut |r| {
        seen.push(r.clone());
        format!("https://example.invalid/bulk/{}", r.path)
    });
    assert_eq!(
        out["00100010"],
        json!({"vr": "PN", "Value": [{"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎", "Phonetic": "やまだ^たろう"}]})
    );
    assert_eq!(out["00080060"], json!({"vr": "CS", "Value": ["CT", "SR"]}));
    assert_eq!(out["00280030"], json!({"vr": "DS", "Value": [0.5, 0.25]}));
    assert_eq!(out["00200013"], json!({"vr": "IS", "Value": [12]}));
    assert_eq!(out["00280010"], json!({"vr": "US", "Value": [512]}));
    assert_eq!(out["00209165"], json!({"vr": "AT", "Value": ["00200032"]}));
    assert_eq!(out["00081030"], json!({"vr": "LO"}));
    assert_eq!(out["00091010"], json!({"vr": "OB", "InlineBinary": "AQID"}));
    assert_eq!(
        out["00400275"]["Value"][0]["00080100"],
        json!({"vr": "SH", "Value": ["113100"]})
    );
    assert_eq!(
        out["00400275"]["Value"][0]["00283006"]["BulkDataURI"],
        "https://example.invalid/bulk/00400275/0/00283006"
    );
    assert_eq!(
        out["7FE00010"],
        json!({"vr": "OB", "BulkDataURI": "https://example.invalid/bulk/7FE00010"})
    );
    assert_eq!(seen.len(), 2);
    assert!(seen[0].length > INLINE_BINARY_MAX);
    assert_eq!(seen[1].tag, Tag(0x7FE0, 0x0010));
}
