//! Property test: for random identities, random private data and random nesting, no
//! identifying value survives de-identification in the bytes or the JSON.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use cpms_dicom::deid::{self, DateShift, DeidOptions, Pseudonym};
use cpms_dicom::synth::{self, Encoding, Identity, InstanceIds, TestImage};
use cpms_dicom::{DicomFile, Limits};
use dicom_core::value::PrimitiveValue;
use dicom_core::{DataElement, DicomValue, Length, Tag, VR};
use dicom_object::InMemDicomObject;
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9]{9,15}"
}

fn date() -> impl Strategy<Value = String> {
    (1930u32..2020, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}{m:02}{d:02}"))
}

prop_compose! {
    fn identity()(
        names in prop::collection::vec(word(), 16),
        birth_date in date(),
        study_date in date(),
    ) -> Identity {
        let n = |i: usize| names[i].clone();
        Identity {
            patient_name: format!("{}^{}", n(0), n(1)),
            patient_id: n(2),
            birth_date,
            address: format!("{} street {}", n(3), n(4)),
            telephone: n(5),
            other_patient_id: n(6),
            mother_birth_name: n(7),
            institution: n(8),
            institution_address: n(9),
            referring_physician: n(10),
            performing_physician: n(11),
            operator: n(12),
            accession_number: n(13),
            study_description: n(14),
            series_description: n(15),
            image_comments: format!("{} {}", n(0), n(14)),
            study_date,
            station_name: n(3),
            device_serial_number: n(4),
            requested_procedure_id: n(5),
            private_text: n(6),
        }
    }
}

/// Wraps `value` (a PN nobody listed in the table) in `depth` nested sequences of private and
/// public sequence tags.
fn nested_names(value: &str, depth: usize, private: bool) -> DataElement<InMemDicomObject> {
    let mut element = DataElement::new(Tag(0x0040, 0xA123), VR::PN, PrimitiveValue::from(value));
    for level in 0..depth {
        let tag = if private {
            Tag(0x0019, 0x1000 + level as u16)
        } else {
            Tag(0x0008, 0x1115)
        };
        let item = InMemDicomObject::from_element_iter([element]);
        element = DataElement::new(
            tag,
            VR::SQ,
            DicomValue::new_sequence(vec![item], Length::UNDEFINED),
        );
    }
    element
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn nothing_identifying_survives(
        identity in identity(),
        encoding in prop::sample::select(vec![
            Encoding::ExplicitVrLittleEndian,
            Encoding::ImplicitVrLittleEndian,
            Encoding::ExplicitVrBigEndian,
            Encoding::DeflatedExplicitVrLittleEndian,
        ]),
        hidden in word(),
        depth in 1usize..6,
        private in any::<bool>(),
        shift in prop::option::of(-4000i32..4000),
        key in prop::collection::vec(any::<u8>(), 1..40),
    ) {
        let ids = InstanceIds::derived(&identity.patient_id, 1);
        let bytes = synth::instance(&TestImage::grey8(8, 8, 1), encoding, &identity, &ids).unwrap();
        let mut obj = DicomFile::from_bytes(&bytes, &Limits::default()).unwrap().into_object();
        obj.put(nested_names(&hidden, depth, private));
        obj.put(DataElement::new(Tag(0x0029, 0x0010), VR::LO, PrimitiveValue::from(hidden.as_str())));
        let mut bytes = Vec::new();
        obj.write_all(&mut bytes).unwrap();
        let options = DeidOptions {
            uid_key: key,
            pseudonym: Pseudonym { patient_name: "P".into(), patient_id: "P1".into() },
            retain_longitudinal: shift.map(|days| DateShift { days }),
            retain_device_identity: false,
        };
        let out = deid::deidentify(DicomFile::from_bytes(&bytes, &Limits::default()).unwrap(), &options, &mut |r| r.path.clone()).unwrap();
        let json = out.json.to_string();
        let mut secrets: Vec<String> = identity.values().iter().map(|v| v.to_string()).collect();
        secrets.extend([hidden.clone(), ids.study.clone(), ids.series.clone(), ids.instance.clone()]);
        if shift.is_some_and(|d| d != 0) || shift.is_none() {
            secrets.push(identity.study_date.clone());
        }
        for secret in secrets {
            for form in [secret.clone(), secret.to_uppercase(), secret.to_lowercase()] {
                prop_assert!(!out.bytes.windows(form.len()).any(|w| w == form.as_bytes()), "{} in bytes", form);
                prop_assert!(!json.contains(&form), "{} in JSON", form);
            }
        }
        // The output is itself a valid instance in the same transfer syntax.
        let again = DicomFile::from_bytes(&out.bytes, &Limits::default()).unwrap();
        prop_assert_eq!(again.transfer_syntax(), encoding.uid());
    }
}
