//! Identifying values placed into synthetic instances, in many attributes, inside sequences
//! and in private tags.

use dicom_core::value::PrimitiveValue;
use dicom_core::{DataElement, Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;

use super::{InstanceIds, sequence};

/// Identifying values for a synthetic patient and visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Patient's Name (PN, `FAMILY^GIVEN`).
    pub patient_name: String,
    /// Patient ID.
    pub patient_id: String,
    /// Patient's Birth Date (`YYYYMMDD`).
    pub birth_date: String,
    /// Patient's Address.
    pub address: String,
    /// Patient's Telephone Numbers.
    pub telephone: String,
    /// Other Patient IDs.
    pub other_patient_id: String,
    /// Patient's Mother's Birth Name.
    pub mother_birth_name: String,
    /// Institution Name.
    pub institution: String,
    /// Institution Address.
    pub institution_address: String,
    /// Referring Physician's Name.
    pub referring_physician: String,
    /// Performing Physician's Name.
    pub performing_physician: String,
    /// Operators' Name.
    pub operator: String,
    /// Accession Number.
    pub accession_number: String,
    /// Study Description (free text naming the patient).
    pub study_description: String,
    /// Series Description.
    pub series_description: String,
    /// Image Comments.
    pub image_comments: String,
    /// Study Date and Content Date (`YYYYMMDD`).
    pub study_date: String,
    /// Station Name (device identity).
    pub station_name: String,
    /// Device Serial Number (device identity).
    pub device_serial_number: String,
    /// Requested Procedure ID inside the Request Attributes Sequence.
    pub requested_procedure_id: String,
    /// Value of a private element.
    pub private_text: String,
}

impl Identity {
    /// A fictitious patient whose values are distinctive enough to search for in output bytes.
    pub fn sample() -> Identity {
        Identity {
            patient_name: "QUIMBY^AURELIA^MARGARET".into(),
            patient_id: "MRN-77341902".into(),
            birth_date: "19580723".into(),
            address: "17 Larkspur Crescent, Ghent".into(),
            telephone: "+32 9 555 0142".into(),
            other_patient_id: "NHS-4417720931".into(),
            mother_birth_name: "VANDERWALLE^ODETTE".into(),
            institution: "Saint Ermengild University Hospital".into(),
            institution_address: "Ermengildlaan 3, 9000 Ghent".into(),
            referring_physician: "OKONKWO^BARNABY".into(),
            performing_physician: "FITZWILLIAM^CORDELIA".into(),
            operator: "PRZYBYLSKI^TOMASZ".into(),
            accession_number: "ACC-55120987".into(),
            study_description: "CT thorax for Aurelia Quimby dyspnoea".into(),
            series_description: "Axial lung Quimby follow-up".into(),
            image_comments: "Patient Quimby moved during scan".into(),
            study_date: "20230914".into(),
            station_name: "ERMCT-SCANNER-04".into(),
            device_serial_number: "SN-XK4471-93".into(),
            requested_procedure_id: "RPID-Quimby-311".into(),
            private_text: "PRIVATE-Quimby-Notes-9912".into(),
        }
    }

    /// Every identifying value, for leak checks.
    pub fn values(&self) -> Vec<&str> {
        vec![
            &self.patient_name,
            &self.patient_id,
            &self.birth_date,
            &self.address,
            &self.telephone,
            &self.other_patient_id,
            &self.mother_birth_name,
            &self.institution,
            &self.institution_address,
            &self.referring_physician,
            &self.performing_physician,
            &self.operator,
            &self.accession_number,
            &self.study_description,
            &self.series_description,
            &self.image_comments,
            &self.study_date,
            &self.station_name,
            &self.device_serial_number,
            &self.requested_procedure_id,
            &self.private_text,
        ]
    }

    /// Patient, study, series and equipment attributes carrying this identity.
    pub fn dataset(&self, ids: &InstanceIds) -> InMemDicomObject {
        let text =
            |tag: Tag, vr: VR, value: &str| DataElement::new(tag, vr, PrimitiveValue::from(value));
        let person_in_sequence = InMemDicomObject::from_element_iter([
            text(
                tags::REFERENCED_SOP_CLASS_UID,
                VR::UI,
                "1.2.840.10008.3.1.2.1.1",
            ),
            text(
                tags::REFERENCED_SOP_INSTANCE_UID,
                VR::UI,
                &format!("{}.99", ids.study),
            ),
            text(tags::PATIENT_NAME, VR::PN, &self.patient_name),
        ]);
        let request = InMemDicomObject::from_element_iter([
            text(
                tags::REQUESTED_PROCEDURE_ID,
                VR::SH,
                &self.requested_procedure_id,
            ),
            text(tags::ACCESSION_NUMBER, VR::SH, &self.accession_number),
            text(
                tags::SCHEDULED_PROCEDURE_STEP_DESCRIPTION,
                VR::LO,
                &self.study_description,
            ),
        ]);
        let source_image = InMemDicomObject::from_element_iter([
            text(
                tags::REFERENCED_SOP_CLASS_UID,
                VR::UI,
                "1.2.840.10008.5.1.4.1.1.2",
            ),
            text(
                tags::REFERENCED_SOP_INSTANCE_UID,
                VR::UI,
                &format!("{}.7", ids.series),
            ),
        ]);
        let physician_id = InMemDicomObject::from_element_iter([
            text(tags::PERSON_ADDRESS, VR::ST, &self.institution_address),
            text(tags::INSTITUTION_NAME, VR::LO, &self.institution),
        ]);
        let private_item = InMemDicomObject::from_element_iter([
            text(Tag(0x0011, 0x0010), VR::LO, "CPMS SYNTH NESTED"),
            text(Tag(0x0011, 0x1001), VR::LO, &self.private_text),
        ]);
        InMemDicomObject::from_element_iter([
            text(tags::SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 100"),
            text(tags::INSTANCE_CREATION_DATE, VR::DA, &self.study_date),
            text(tags::SOP_INSTANCE_UID, VR::UI, &ids.instance),
            text(tags::STUDY_DATE, VR::DA, &self.study_date),
            text(tags::SERIES_DATE, VR::DA, &self.study_date),
            text(tags::CONTENT_DATE, VR::DA, &self.study_date),
            text(tags::STUDY_TIME, VR::TM, "101530"),
            text(tags::ACCESSION_NUMBER, VR::SH, &self.accession_number),
            text(tags::INSTITUTION_NAME, VR::LO, &self.institution),
            text(tags::INSTITUTION_ADDRESS, VR::ST, &self.institution_address),
            text(
                tags::REFERRING_PHYSICIAN_NAME,
                VR::PN,
                &self.referring_physician,
            ),
            sequence(
                tags::REFERRING_PHYSICIAN_IDENTIFICATION_SEQUENCE,
                vec![physician_id],
            ),
            text(tags::STATION_NAME, VR::SH, &self.station_name),
            text(tags::STUDY_DESCRIPTION, VR::LO, &self.study_description),
            text(tags::SERIES_DESCRIPTION, VR::LO, &self.series_description),
            text(
                tags::PERFORMING_PHYSICIAN_NAME,
                VR::PN,
                &self.performing_physician,
            ),
            text(tags::OPERATORS_NAME, VR::PN, &self.operator),
            text(tags::MANUFACTURER, VR::LO, "CPMS Synthetic Imaging"),
            sequence(tags::REFERENCED_PATIENT_SEQUENCE, vec![person_in_sequence]),
            sequence(tags::SOURCE_IMAGE_SEQUENCE, vec![source_image]),
            text(tags::PATIENT_NAME, VR::PN, &self.patient_name),
            text(tags::PATIENT_ID, VR::LO, &self.patient_id),
            text(tags::PATIENT_BIRTH_DATE, VR::DA, &self.birth_date),
            text(tags::PATIENT_SEX, VR::CS, "F"),
            // Other Patient IDs (retired in the dictionary, still common in archives).
            text(Tag(0x0010, 0x1000), VR::LO, &self.other_patient_id),
            text(tags::PATIENT_AGE, VR::AS, "065Y"),
            text(tags::PATIENT_ADDRESS, VR::LO, &self.address),
            text(
                tags::PATIENT_MOTHER_BIRTH_NAME,
                VR::PN,
                &self.mother_birth_name,
            ),
            text(tags::PATIENT_TELEPHONE_NUMBERS, VR::SH, &self.telephone),
            text(Tag(0x0009, 0x0010), VR::LO, "CPMS SYNTH PRIVATE"),
            text(Tag(0x0009, 0x1001), VR::LO, &self.private_text),
            sequence(Tag(0x0009, 0x1002), vec![private_item]),
            text(
                tags::DEVICE_SERIAL_NUMBER,
                VR::LO,
                &self.device_serial_number,
            ),
            text(tags::STUDY_INSTANCE_UID, VR::UI, &ids.study),
            text(tags::SERIES_INSTANCE_UID, VR::UI, &ids.series),
            text(tags::STUDY_ID, VR::SH, "STUDY-0815"),
            text(tags::SERIES_NUMBER, VR::IS, "3"),
            text(tags::INSTANCE_NUMBER, VR::IS, &ids.number.to_string()),
            text(
                tags::FRAME_OF_REFERENCE_UID,
                VR::UI,
                &format!("{}.5", ids.study),
            ),
            text(tags::IMAGE_COMMENTS, VR::LT, &self.image_comments),
            sequence(tags::REQUEST_ATTRIBUTES_SEQUENCE, vec![request]),
        ])
    }
}
