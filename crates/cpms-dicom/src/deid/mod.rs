//! De-identification per DICOM PS3.15 Annex E, Basic Application Level Confidentiality
//! Profile, with the Retain Longitudinal Temporal Information (modified dates) and Retain
//! Device Identity options.

mod dates;
pub mod table;
mod uid;

use dicom_core::header::Header;
use dicom_core::value::{DataSetSequence, PrimitiveValue};
use dicom_core::{DataElement, DicomValue, Length, Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};
use serde::{Deserialize, Serialize};

pub use table::{Action, Rule};
pub use uid::replace_uid;

use crate::json::{BulkDataRef, dataset_to_json};
use crate::{DicomError, DicomFile, InstanceSummary, attrs};

/// Implementation Class UID written into de-identified files.
pub const IMPLEMENTATION_CLASS_UID: &str = "2.25.207983411376398216420716839185743307911";
/// Implementation Version Name written into de-identified files.
pub const IMPLEMENTATION_VERSION_NAME: &str = "ERN-CPMS";

/// Dummy text for D actions on string VRs.
const DUMMY_TEXT: &str = "ANONYMIZED";

/// The pseudonym that replaces Patient's Name and Patient ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pseudonym {
    /// New Patient's Name (0010,0010).
    pub patient_name: String,
    /// New Patient ID (0010,0020).
    pub patient_id: String,
}

/// Shift applied to every date under the Retain Longitudinal Temporal Information option;
/// the caller keeps one per patient so intervals between studies survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateShift {
    /// Days added to each date (negative moves dates back).
    pub days: i32,
}

/// How to de-identify.
#[derive(Debug, Clone)]
pub struct DeidOptions {
    /// Secret key for UID replacement; one key per deployment (or per project) keeps
    /// references consistent across uploads.
    pub uid_key: Vec<u8>,
    /// Replacement Patient's Name and Patient ID.
    pub pseudonym: Pseudonym,
    /// Shift dates instead of removing them.
    pub retain_longitudinal: Option<DateShift>,
    /// Keep device identifiers (station name, serial numbers, device UIDs).
    pub retain_device_identity: bool,
}

/// Why pixel data may contain burned-in identifying text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BurnedInReason {
    /// Burned In Annotation (0028,0301) is YES.
    BurnedInAnnotationFlag,
    /// The SOP class is one whose images are typically screen captures or carry text overlays.
    TypicallyBurnedInSopClass {
        /// The SOP Class UID.
        sop_class_uid: String,
    },
}

/// Result of de-identifying one instance.
#[derive(Debug, Clone)]
pub struct Deidentified {
    /// The de-identified instance.
    pub file: DicomFile,
    /// Part 10 bytes in the input's transfer syntax, with a rewritten meta group.
    pub bytes: Vec<u8>,
    /// Summary of the de-identified instance.
    pub summary: InstanceSummary,
    /// Complete DICOM JSON of the de-identified data set, bulk data as `BulkDataURI`.
    pub json: serde_json::Value,
    /// Set when the pixels may still show identifying text.
    pub burned_in: Option<BurnedInReason>,
}

/// SOP classes whose pixels are typically screen captures or carry burned-in text.
const TYPICALLY_BURNED_IN: &[&str] = &[
    "1.2.840.10008.5.1.4.1.1.7",     // Secondary Capture Image
    "1.2.840.10008.5.1.4.1.1.7.1",   // Multi-frame Single Bit Secondary Capture
    "1.2.840.10008.5.1.4.1.1.7.2",   // Multi-frame Grayscale Byte Secondary Capture
    "1.2.840.10008.5.1.4.1.1.7.3",   // Multi-frame Grayscale Word Secondary Capture
    "1.2.840.10008.5.1.4.1.1.7.4",   // Multi-frame True Color Secondary Capture
    "1.2.840.10008.5.1.4.1.1.6.1",   // Ultrasound Image
    "1.2.840.10008.5.1.4.1.1.3.1",   // Ultrasound Multi-frame Image
    "1.2.840.10008.5.1.4.1.1.104.1", // Encapsulated PDF
];

/// De-identifies a parsed instance. `bulk_uri` names each bulk data value in the JSON.
pub fn deidentify(
    file: DicomFile,
    options: &DeidOptions,
    bulk_uri: &mut dyn FnMut(&BulkDataRef) -> String,
) -> Result<Deidentified, DicomError> {
    let burned_in = burned_in_reason(&file);
    let transfer_syntax = file.transfer_syntax().to_string();
    let source = file.into_object().into_inner();
    let cleaner = Cleaner { options };
    let mut dataset = cleaner.dataset(source);
    mark_deidentified(&mut dataset, options);

    let sop_class_uid = attrs::string(&dataset, tags::SOP_CLASS_UID)
        .ok_or(DicomError::MissingAttribute("SOPClassUID"))?;
    let sop_instance_uid = attrs::string(&dataset, tags::SOP_INSTANCE_UID)
        .ok_or(DicomError::MissingAttribute("SOPInstanceUID"))?;
    let meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid(sop_class_uid)
        .media_storage_sop_instance_uid(sop_instance_uid)
        .transfer_syntax(transfer_syntax)
        .implementation_class_uid(IMPLEMENTATION_CLASS_UID)
        .implementation_version_name(IMPLEMENTATION_VERSION_NAME)
        .build()
        .map_err(|e| DicomError::Encode(format!("file meta group: {e}")))?;
    let json = dataset_to_json(&dataset, bulk_uri);
    let file = DicomFile::from_object(dataset.with_exact_meta(meta));
    let bytes = file.to_bytes()?;
    Ok(Deidentified {
        summary: InstanceSummary::of(&file),
        file,
        bytes,
        json,
        burned_in,
    })
}

fn burned_in_reason(file: &DicomFile) -> Option<BurnedInReason> {
    let flag = attrs::string(file.object(), tags::BURNED_IN_ANNOTATION);
    if flag.is_some_and(|f| f.eq_ignore_ascii_case("YES")) {
        return Some(BurnedInReason::BurnedInAnnotationFlag);
    }
    let sop_class_uid = file.sop_class_uid();
    TYPICALLY_BURNED_IN
        .contains(&sop_class_uid.as_str())
        .then_some(BurnedInReason::TypicallyBurnedInSopClass { sop_class_uid })
}

/// What finally happens to one element once options and VR are taken into account.
enum Outcome {
    Remove,
    Empty,
    Dummy,
    Keep,
    ReplaceUid,
    ShiftDates(i32),
}

struct Cleaner<'a> {
    options: &'a DeidOptions,
}

type Element = DataElement<InMemDicomObject>;

impl Cleaner<'_> {
    fn dataset(&self, source: InMemDicomObject) -> InMemDicomObject {
        InMemDicomObject::from_element_iter(
            source
                .into_iter()
                .filter_map(|element| self.element(element)),
        )
    }

    fn element(&self, element: Element) -> Option<Element> {
        let tag = element.tag();
        let vr = element.vr();
        match self.outcome(tag, vr) {
            Outcome::Remove => None,
            Outcome::Empty => Some(empty(tag, vr)),
            Outcome::Dummy => Some(dummy(tag, vr, &self.options.uid_key)),
            Outcome::Keep => Some(self.keep(element)),
            Outcome::ReplaceUid => Some(self.replace_uids(element)),
            Outcome::ShiftDates(days) => Some(shift_dates(element, days)),
        }
    }

    fn outcome(&self, tag: Tag, vr: VR) -> Outcome {
        // Private attributes (odd groups, including private creators) all go; group
        // lengths would be wrong after editing and are retired anyway.
        if tag.group() % 2 == 1 || tag.element() == 0 {
            return Outcome::Remove;
        }
        // Command (0000) and file meta (0002) elements do not belong in a data set; the
        // meta group is rebuilt from scratch.
        if tag.group() == 0x0000 || tag.group() == 0x0002 {
            return Outcome::Remove;
        }
        let Some(rule) = table::rule_for(tag.group(), tag.element()) else {
            return match vr {
                VR::UI => Outcome::ReplaceUid,
                // Not in the table, but a person's name is identifying wherever it appears.
                VR::PN => Outcome::Empty,
                _ => Outcome::Keep,
            };
        };
        if rule.device && self.options.retain_device_identity {
            return Outcome::Keep;
        }
        if let Some(shift) = self.options.retain_longitudinal
            && rule.action != Action::K
            && !is_birth(tag)
        {
            match vr {
                VR::DA | VR::DT => return Outcome::ShiftDates(shift.days),
                VR::TM => return Outcome::Keep,
                _ => {}
            }
        }
        resolve(rule.action, vr)
    }

    fn keep(&self, element: Element) -> Element {
        let (header, value) = element.into_parts();
        match value {
            DicomValue::Sequence(sequence) => {
                let items: Vec<InMemDicomObject> = sequence
                    .into_items()
                    .into_iter()
                    .map(|item| self.dataset(item))
                    .collect();
                DataElement::new(
                    header.tag,
                    VR::SQ,
                    DicomValue::new_sequence(items, Length::UNDEFINED),
                )
            }
            DicomValue::Primitive(value) if header.vr == VR::UI => {
                DataElement::new(header.tag, VR::UI, self.uid_value(&value))
            }
            other => DataElement::new(header.tag, header.vr, other),
        }
    }

    fn replace_uids(&self, element: Element) -> Element {
        match element.vr() {
            VR::UI => {
                let tag = element.tag();
                let (_, value) = element.into_parts();
                match value {
                    DicomValue::Primitive(value) => {
                        DataElement::new(tag, VR::UI, self.uid_value(&value))
                    }
                    _ => empty(tag, VR::UI),
                }
            }
            // X/Z/U* on a sequence: keep it and replace the UIDs it contains.
            _ => self.keep(element),
        }
    }

    fn uid_value(&self, value: &PrimitiveValue) -> PrimitiveValue {
        let joined = value.to_str();
        PrimitiveValue::from(uid::replace_uid_list(&self.options.uid_key, &joined))
    }
}

fn is_birth(tag: Tag) -> bool {
    tag == tags::PATIENT_BIRTH_DATE || tag == tags::PATIENT_BIRTH_TIME
}

/// Picks one action from a combined code. The IOD type of each attribute is not tracked, so
/// the choice always keeps the file conformant: an emptied or dummy value is valid where a
/// removed one may not be.
fn resolve(action: Action, vr: VR) -> Outcome {
    match action {
        Action::X => Outcome::Remove,
        Action::K => Outcome::Keep,
        Action::U => Outcome::ReplaceUid,
        Action::XZU if vr == VR::UI => Outcome::ReplaceUid,
        Action::XZU if vr == VR::SQ => Outcome::ReplaceUid,
        Action::Z | Action::XZ | Action::XZU => Outcome::Empty,
        Action::D | Action::ZD | Action::XD | Action::XZD => Outcome::Dummy,
        // Free-text cleaning cannot be done reliably by machine: empty the value instead.
        Action::C => Outcome::Empty,
    }
}

fn empty(tag: Tag, vr: VR) -> Element {
    if vr == VR::SQ {
        return DataElement::new(
            tag,
            VR::SQ,
            DicomValue::new_sequence(Vec::<InMemDicomObject>::new(), Length::UNDEFINED),
        );
    }
    DataElement::new(tag, vr, PrimitiveValue::Empty)
}

/// A non-zero-length value that is valid for the VR and identifies no one.
fn dummy(tag: Tag, vr: VR, uid_key: &[u8]) -> Element {
    let value = match vr {
        VR::AE => PrimitiveValue::from("ANONYMOUS"),
        VR::AS => PrimitiveValue::from("000D"),
        VR::DA => PrimitiveValue::from("19000101"),
        VR::DT => PrimitiveValue::from("19000101000000"),
        VR::TM => PrimitiveValue::from("000000"),
        VR::DS | VR::IS => PrimitiveValue::from("0"),
        VR::UI => PrimitiveValue::from(replace_uid(uid_key, "dummy")),
        VR::CS | VR::LO | VR::LT | VR::PN | VR::SH | VR::ST | VR::UC | VR::UT => {
            PrimitiveValue::from(DUMMY_TEXT)
        }
        VR::US => PrimitiveValue::from(0_u16),
        VR::SS => PrimitiveValue::from(0_i16),
        VR::UL => PrimitiveValue::from(0_u32),
        VR::SL => PrimitiveValue::from(0_i32),
        VR::FL => PrimitiveValue::from(0_f32),
        VR::FD => PrimitiveValue::from(0_f64),
        // Sequences, binary and URL values have no meaningful dummy; an empty value is the
        // closest conformant choice.
        _ => return empty(tag, vr),
    };
    DataElement::new(tag, vr, value)
}

fn shift_dates(element: Element, days: i32) -> Element {
    let tag = element.tag();
    let vr = element.vr();
    let text = element
        .value()
        .to_str()
        .map(|s| s.to_string())
        .unwrap_or_default();
    let shifted: Option<Vec<String>> = text
        .split('\\')
        .map(|value| match vr {
            VR::DT => dates::shift_datetime(value, days),
            _ => dates::shift_date(value, days),
        })
        .collect();
    match shifted {
        Some(values) if !text.trim().is_empty() => {
            DataElement::new(tag, vr, PrimitiveValue::from(values.join("\\")))
        }
        // A value that is not a full date cannot be shifted reliably, so it is emptied.
        _ => empty(tag, vr),
    }
}

fn code_item(value: &str, meaning: &str) -> InMemDicomObject {
    InMemDicomObject::from_element_iter([
        DataElement::new(tags::CODE_VALUE, VR::SH, PrimitiveValue::from(value)),
        DataElement::new(
            tags::CODING_SCHEME_DESIGNATOR,
            VR::SH,
            PrimitiveValue::from("DCM"),
        ),
        DataElement::new(tags::CODE_MEANING, VR::LO, PrimitiveValue::from(meaning)),
    ])
}

/// Writes the pseudonym and the attributes that record what was done (PS3.15 E.1.1, PS3.3 C.7.1.1).
fn mark_deidentified(dataset: &mut InMemDicomObject, options: &DeidOptions) {
    let mut methods = vec![("113100", "Basic Application Confidentiality Profile")];
    if options.retain_longitudinal.is_some() {
        methods.push((
            "113107",
            "Retain Longitudinal Temporal Information Modified Dates Option",
        ));
    }
    if options.retain_device_identity {
        methods.push(("113109", "Retain Device Identity Option"));
    }
    let method_text = methods
        .iter()
        .map(|(_, meaning)| *meaning)
        .collect::<Vec<_>>()
        .join("\\");
    let codes: Vec<InMemDicomObject> = methods
        .iter()
        .map(|(value, meaning)| code_item(value, meaning))
        .collect();
    let temporal = if options.retain_longitudinal.is_some() {
        "MODIFIED"
    } else {
        "REMOVED"
    };
    let pseudonym = &options.pseudonym;
    for element in [
        DataElement::new(
            tags::PATIENT_NAME,
            VR::PN,
            PrimitiveValue::from(pseudonym.patient_name.as_str()),
        ),
        DataElement::new(
            tags::PATIENT_ID,
            VR::LO,
            PrimitiveValue::from(pseudonym.patient_id.as_str()),
        ),
        DataElement::new(
            tags::PATIENT_IDENTITY_REMOVED,
            VR::CS,
            PrimitiveValue::from("YES"),
        ),
        DataElement::new(
            tags::DEIDENTIFICATION_METHOD,
            VR::LO,
            PrimitiveValue::from(method_text),
        ),
        DataElement::new(
            tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE,
            VR::SQ,
            DicomValue::Sequence(DataSetSequence::new(codes, Length::UNDEFINED)),
        ),
        DataElement::new(
            tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
            VR::CS,
            PrimitiveValue::from(temporal),
        ),
    ] {
        dataset.put(element);
    }
}
