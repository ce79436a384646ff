//! The per-instance facts that study browsers, QIDO-RS and viewers need.

use dicom_core::{Tag, VR};
use dicom_dictionary_std::tags;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::json::{attribute, tag_key};
use crate::{DicomFile, attrs};

/// Study, series and instance attributes of one instance (after de-identification when it
/// comes from [`crate::deid`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceSummary {
    /// Patient ID (0010,0020).
    pub patient_id: Option<String>,
    /// Patient's Name (0010,0010).
    pub patient_name: Option<String>,
    /// Study Instance UID (0020,000D).
    pub study_instance_uid: String,
    /// Series Instance UID (0020,000E).
    pub series_instance_uid: String,
    /// SOP Instance UID (0008,0018).
    pub sop_instance_uid: String,
    /// SOP Class UID (0008,0016).
    pub sop_class_uid: String,
    /// Modality (0008,0060).
    pub modality: Option<String>,
    /// Study Date (0008,0020), `YYYYMMDD`.
    pub study_date: Option<String>,
    /// Study Description (0008,1030).
    pub study_description: Option<String>,
    /// Series Number (0020,0011).
    pub series_number: Option<i64>,
    /// Series Description (0008,103E).
    pub series_description: Option<String>,
    /// Instance Number (0020,0013).
    pub instance_number: Option<i64>,
    /// Rows (0028,0010).
    pub rows: Option<u32>,
    /// Columns (0028,0011).
    pub columns: Option<u32>,
    /// Number of Frames (0028,0008); 1 for single-frame images, 0 without pixel data.
    pub frames: u32,
    /// Pixel Spacing (0028,0030) in mm: row spacing, column spacing.
    pub pixel_spacing: Option<[f64; 2]>,
    /// First Window Center (0028,1050).
    pub window_center: Option<f64>,
    /// First Window Width (0028,1051).
    pub window_width: Option<f64>,
    /// Photometric Interpretation (0028,0004).
    pub photometric_interpretation: Option<String>,
    /// Transfer Syntax UID of the stored file.
    pub transfer_syntax: String,
}

impl InstanceSummary {
    /// Reads the summary attributes of `file`.
    pub fn of(file: &DicomFile) -> Self {
        let obj = file.object();
        let geometry = file.geometry();
        let spacing = attrs::floats(obj, tags::PIXEL_SPACING);
        InstanceSummary {
            patient_id: attrs::string(obj, tags::PATIENT_ID),
            patient_name: attrs::string(obj, tags::PATIENT_NAME),
            study_instance_uid: attrs::string(obj, tags::STUDY_INSTANCE_UID).unwrap_or_default(),
            series_instance_uid: attrs::string(obj, tags::SERIES_INSTANCE_UID).unwrap_or_default(),
            sop_instance_uid: file.sop_instance_uid(),
            sop_class_uid: file.sop_class_uid(),
            modality: attrs::string(obj, tags::MODALITY),
            study_date: attrs::string(obj, tags::STUDY_DATE),
            study_description: attrs::string(obj, tags::STUDY_DESCRIPTION),
            series_number: attrs::int(obj, tags::SERIES_NUMBER),
            series_description: attrs::string(obj, tags::SERIES_DESCRIPTION),
            instance_number: attrs::int(obj, tags::INSTANCE_NUMBER),
            rows: geometry.map(|g| g.rows),
            columns: geometry.map(|g| g.columns),
            frames: geometry.map_or(0, |g| g.frames),
            pixel_spacing: match spacing.as_slice() {
                [row, column, ..] => Some([*row, *column]),
                _ => None,
            },
            window_center: attrs::float(obj, tags::WINDOW_CENTER),
            window_width: attrs::float(obj, tags::WINDOW_WIDTH),
            photometric_interpretation: attrs::string(obj, tags::PHOTOMETRIC_INTERPRETATION),
            transfer_syntax: file.transfer_syntax().to_string(),
        }
    }

    /// The summary as DICOM JSON attributes (keyed by tag), the shape QIDO-RS returns and
    /// [`crate::qido::Query::matches`] reads.
    pub fn to_json_attributes(&self) -> Map<String, Value> {
        let mut map = Map::new();
        let mut put = |tag: Tag, vr: VR, value: Option<String>| {
            let values: Vec<&str> = value.as_deref().into_iter().collect();
            map.insert(tag_key(tag), attribute(vr, &values));
        };
        let number = |n: Option<i64>| n.map(|n| n.to_string());
        let unsigned = |n: Option<u32>| n.map(|n| n.to_string());
        put(tags::PATIENT_ID, VR::LO, self.patient_id.clone());
        put(tags::PATIENT_NAME, VR::PN, self.patient_name.clone());
        put(
            tags::STUDY_INSTANCE_UID,
            VR::UI,
            Some(self.study_instance_uid.clone()),
        );
        put(
            tags::SERIES_INSTANCE_UID,
            VR::UI,
            Some(self.series_instance_uid.clone()),
        );
        put(
            tags::SOP_INSTANCE_UID,
            VR::UI,
            Some(self.sop_instance_uid.clone()),
        );
        put(
            tags::SOP_CLASS_UID,
            VR::UI,
            Some(self.sop_class_uid.clone()),
        );
        put(tags::MODALITY, VR::CS, self.modality.clone());
        put(tags::STUDY_DATE, VR::DA, self.study_date.clone());
        put(
            tags::STUDY_DESCRIPTION,
            VR::LO,
            self.study_description.clone(),
        );
        put(tags::SERIES_NUMBER, VR::IS, number(self.series_number));
        put(
            tags::SERIES_DESCRIPTION,
            VR::LO,
            self.series_description.clone(),
        );
        put(tags::INSTANCE_NUMBER, VR::IS, number(self.instance_number));
        put(tags::ROWS, VR::US, unsigned(self.rows));
        put(tags::COLUMNS, VR::US, unsigned(self.columns));
        put(
            tags::NUMBER_OF_FRAMES,
            VR::IS,
            Some(self.frames.to_string()),
        );
        put(
            tags::AVAILABLE_TRANSFER_SYNTAX_UID,
            VR::UI,
            Some(self.transfer_syntax.clone()),
        );
        map
    }
}
