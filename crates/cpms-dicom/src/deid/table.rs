//! The Basic Application Level Confidentiality Profile action table.
//!
//! Written out by hand from DICOM PS3.15 2024b, Annex E, Table E.1-1 ("Application Level
//! Confidentiality Profile Attributes"), Basic Profile column, plus the Retain Device Identity
//! option column (marked `device`). Dates and times affected by the Retain Longitudinal Temporal
//! Information option are recognised by VR at run time, so they need no column here.
//! Keep the rows sorted by tag: lookups use binary search and a test checks the order.

/// What the profile does to an attribute (PS3.15 E.1.1 action codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// D: replace with a non-zero-length dummy value.
    D,
    /// Z: replace with a zero-length value (or a dummy when the VR needs one).
    Z,
    /// X: remove.
    X,
    /// K: keep (sequences are still processed item by item).
    K,
    /// C: clean, replacing with values of similar meaning that identify no one.
    C,
    /// U: replace the UID with a consistent non-identifying one.
    U,
    /// Z/D: Z unless D is needed for IOD conformance.
    ZD,
    /// X/Z: X unless Z is needed for IOD conformance.
    XZ,
    /// X/D: X unless D is needed for IOD conformance.
    XD,
    /// X/Z/D: X unless Z or D is needed for IOD conformance.
    XZD,
    /// X/Z/U*: X unless Z, or replacing the contained UIDs, is needed for IOD conformance.
    XZU,
}

/// One row of Table E.1-1.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Tag as `group << 16 | element`.
    pub tag: u32,
    /// Attribute name as the standard spells it.
    pub name: &'static str,
    /// Basic Profile action.
    pub action: Action,
    /// Kept as-is under the Retain Device Identity option.
    pub device: bool,
}

const fn r(group: u16, element: u16, name: &'static str, action: Action) -> Rule {
    Rule {
        tag: (group as u32) << 16 | element as u32,
        name,
        action,
        device: false,
    }
}

const fn dev(group: u16, element: u16, name: &'static str, action: Action) -> Rule {
    Rule {
        device: true,
        ..r(group, element, name, action)
    }
}

use Action::*;

/// Table E.1-1 rows with an explicit tag. Repeating groups (curves, overlays) are in [`rule_for`].
pub const RULES: &[Rule] = &[
    r(0x0000, 0x1000, "Affected SOP Instance UID", X),
    r(0x0000, 0x1001, "Requested SOP Instance UID", U),
    r(0x0002, 0x0003, "Media Storage SOP Instance UID", U),
    r(0x0004, 0x1511, "Referenced SOP Instance UID in File", U),
    r(0x0008, 0x0012, "Instance Creation Date", XD),
    r(0x0008, 0x0013, "Instance Creation Time", XZD),
    r(0x0008, 0x0014, "Instance Creator UID", U),
    r(0x0008, 0x0015, "Instance Coercion DateTime", X),
    r(0x0008, 0x0017, "Acquisition UID", U),
    r(0x0008, 0x0018, "SOP Instance UID", U),
    r(0x0008, 0x0019, "Pyramid UID", U),
    r(0x0008, 0x0020, "Study Date", Z),
    r(0x0008, 0x0021, "Series Date", XD),
    r(0x0008, 0x0022, "Acquisition Date", XD),
    r(0x0008, 0x0023, "Content Date", ZD),
    r(0x0008, 0x0024, "Overlay Date", X),
    r(0x0008, 0x0025, "Curve Date", X),
    r(0x0008, 0x002A, "Acquisition DateTime", XD),
    r(0x0008, 0x0030, "Study Time", Z),
    r(0x0008, 0x0031, "Series Time", XD),
    r(0x0008, 0x0032, "Acquisition Time", XD),
    r(0x0008, 0x0033, "Content Time", ZD),
    r(0x0008, 0x0034, "Overlay Time", X),
    r(0x0008, 0x0035, "Curve Time", X),
    r(0x0008, 0x0050, "Accession Number", Z),
    r(0x0008, 0x0054, "Retrieve AE Title", X),
    r(0x0008, 0x0055, "Station AE Title", X),
    r(0x0008, 0x0058, "Failed SOP Instance UID List", U),
    r(0x0008, 0x0080, "Institution Name", XZD),
    r(0x0008, 0x0081, "Institution Address", X),
    r(0x0008, 0x0082, "Institution Code Sequence", XZD),
    r(0x0008, 0x0090, "Referring Physician's Name", Z),
    r(0x0008, 0x0092, "Referring Physician's Address", X),
    r(0x0008, 0x0094, "Referring Physician's Telephone Numbers", X),
    r(
        0x0008,
        0x0096,
        "Referring Physician Identification Sequence",
        X,
    ),
    r(0x0008, 0x009C, "Consulting Physician's Name", Z),
    r(
        0x0008,
        0x009D,
        "Consulting Physician Identification Sequence",
        X,
    ),
    r(0x0008, 0x010D, "Context Group Extension Creator UID", U),
    r(0x0008, 0x0201, "Timezone Offset From UTC", X),
    r(
        0x0008,
        0x0300,
        "Private Data Element Characteristics Sequence",
        X,
    ),
    dev(0x0008, 0x1010, "Station Name", XZD),
    r(0x0008, 0x1030, "Study Description", X),
    r(0x0008, 0x103E, "Series Description", X),
    r(0x0008, 0x1040, "Institutional Department Name", X),
    r(
        0x0008,
        0x1041,
        "Institutional Department Type Code Sequence",
        X,
    ),
    r(0x0008, 0x1048, "Physician(s) of Record", X),
    r(
        0x0008,
        0x1049,
        "Physician(s) of Record Identification Sequence",
        X,
    ),
    r(0x0008, 0x1050, "Performing Physician's Name", X),
    r(
        0x0008,
        0x1052,
        "Performing Physician Identification Sequence",
        X,
    ),
    r(0x0008, 0x1060, "Name of Physician(s) Reading Study", X),
    r(
        0x0008,
        0x1062,
        "Physician(s) Reading Study Identification Sequence",
        X,
    ),
    r(0x0008, 0x1070, "Operators' Name", XZD),
    r(0x0008, 0x1072, "Operator Identification Sequence", XD),
    r(0x0008, 0x1080, "Admitting Diagnoses Description", X),
    r(0x0008, 0x1084, "Admitting Diagnoses Code Sequence", X),
    r(0x0008, 0x1110, "Referenced Study Sequence", XZ),
    r(
        0x0008,
        0x1111,
        "Referenced Performed Procedure Step Sequence",
        XZD,
    ),
    r(0x0008, 0x1120, "Referenced Patient Sequence", X),
    r(0x0008, 0x1140, "Referenced Image Sequence", XZU),
    r(0x0008, 0x1155, "Referenced SOP Instance UID", U),
    r(0x0008, 0x1195, "Transaction UID", U),
    r(0x0008, 0x2111, "Derivation Description", X),
    r(0x0008, 0x2112, "Source Image Sequence", XZU),
    r(0x0008, 0x3010, "Irradiation Event UID", U),
    r(0x0008, 0x4000, "Identifying Comments", X),
    r(0x0010, 0x0010, "Patient's Name", Z),
    r(0x0010, 0x0020, "Patient ID", Z),
    r(0x0010, 0x0021, "Issuer of Patient ID", X),
    r(0x0010, 0x0022, "Type of Patient ID", X),
    r(
        0x0010,
        0x0024,
        "Issuer of Patient ID Qualifiers Sequence",
        X,
    ),
    r(
        0x0010,
        0x0026,
        "Source Patient Group Identification Sequence",
        X,
    ),
    r(
        0x0010,
        0x0027,
        "Group of Patients Identification Sequence",
        X,
    ),
    r(0x0010, 0x0030, "Patient's Birth Date", Z),
    r(0x0010, 0x0032, "Patient's Birth Time", X),
    r(
        0x0010,
        0x0033,
        "Patient's Birth Date in Alternative Calendar",
        X,
    ),
    r(
        0x0010,
        0x0034,
        "Patient's Death Date in Alternative Calendar",
        X,
    ),
    r(0x0010, 0x0035, "Patient's Alternative Calendar", X),
    r(0x0010, 0x0040, "Patient's Sex", Z),
    r(0x0010, 0x0050, "Patient's Insurance Plan Code Sequence", X),
    r(
        0x0010,
        0x0101,
        "Patient's Primary Language Code Sequence",
        X,
    ),
    r(
        0x0010,
        0x0102,
        "Patient's Primary Language Modifier Code Sequence",
        X,
    ),
    r(0x0010, 0x1000, "Other Patient IDs", X),
    r(0x0010, 0x1001, "Other Patient Names", X),
    r(0x0010, 0x1002, "Other Patient IDs Sequence", X),
    r(0x0010, 0x1005, "Patient's Birth Name", X),
    r(0x0010, 0x1010, "Patient's Age", X),
    r(0x0010, 0x1020, "Patient's Size", X),
    r(0x0010, 0x1030, "Patient's Weight", X),
    r(0x0010, 0x1040, "Patient's Address", X),
    r(0x0010, 0x1050, "Insurance Plan Identification", X),
    r(0x0010, 0x1060, "Patient's Mother's Birth Name", X),
    r(0x0010, 0x1080, "Military Rank", X),
    r(0x0010, 0x1081, "Branch of Service", X),
    r(0x0010, 0x1090, "Medical Record Locator", X),
    r(0x0010, 0x1100, "Referenced Patient Photo Sequence", X),
    r(0x0010, 0x2000, "Medical Alerts", X),
    r(0x0010, 0x2110, "Allergies", X),
    r(0x0010, 0x2150, "Country of Residence", X),
    r(0x0010, 0x2152, "Region of Residence", X),
    r(0x0010, 0x2154, "Patient's Telephone Numbers", X),
    r(0x0010, 0x2155, "Patient's Telecom Information", X),
    r(0x0010, 0x2160, "Ethnic Group", X),
    r(0x0010, 0x2180, "Occupation", X),
    r(0x0010, 0x21A0, "Smoking Status", X),
    r(0x0010, 0x21B0, "Additional Patient History", X),
    r(0x0010, 0x21C0, "Pregnancy Status", X),
    r(0x0010, 0x21D0, "Last Menstrual Date", X),
    r(0x0010, 0x21F0, "Patient's Religious Preference", X),
    r(0x0010, 0x2203, "Patient's Sex Neutered", XZ),
    r(0x0010, 0x2297, "Responsible Person", X),
    r(0x0010, 0x2299, "Responsible Organization", X),
    r(0x0010, 0x4000, "Patient Comments", X),
    r(0x0012, 0x0010, "Clinical Trial Sponsor Name", D),
    r(0x0012, 0x0020, "Clinical Trial Protocol ID", D),
    r(0x0012, 0x0021, "Clinical Trial Protocol Name", Z),
    r(0x0012, 0x0030, "Clinical Trial Site ID", Z),
    r(0x0012, 0x0031, "Clinical Trial Site Name", Z),
    r(0x0012, 0x0040, "Clinical Trial Subject ID", D),
    r(0x0012, 0x0042, "Clinical Trial Subject Reading ID", D),
    r(0x0012, 0x0050, "Clinical Trial Time Point ID", Z),
    r(0x0012, 0x0051, "Clinical Trial Time Point Description", Z),
    r(0x0012, 0x0060, "Clinical Trial Coordinating Center Name", Z),
    r(0x0012, 0x0071, "Clinical Trial Series ID", X),
    r(0x0012, 0x0072, "Clinical Trial Series Description", X),
    r(
        0x0012,
        0x0081,
        "Clinical Trial Protocol Ethics Committee Name",
        D,
    ),
    r(
        0x0012,
        0x0082,
        "Clinical Trial Protocol Ethics Committee Approval Number",
        Z,
    ),
    r(0x0018, 0x0010, "Contrast/Bolus Agent", ZD),
    dev(0x0018, 0x1000, "Device Serial Number", XZD),
    dev(0x0018, 0x1002, "Device UID", U),
    dev(0x0018, 0x1004, "Plate ID", X),
    dev(0x0018, 0x1005, "Generator ID", X),
    dev(0x0018, 0x1007, "Cassette ID", X),
    dev(0x0018, 0x1008, "Gantry ID", X),
    dev(0x0018, 0x1009, "Unique Device Identifier", X),
    dev(0x0018, 0x100A, "UDI Sequence", X),
    dev(0x0018, 0x100B, "Manufacturer's Device Class UID", U),
    r(0x0018, 0x1030, "Protocol Name", XD),
    dev(0x0018, 0x1200, "Date of Last Calibration", X),
    dev(0x0018, 0x1201, "Time of Last Calibration", X),
    dev(
        0x0018,
        0x1400,
        "Acquisition Device Processing Description",
        XD,
    ),
    r(0x0018, 0x2042, "Target UID", U),
    r(0x0018, 0x4000, "Acquisition Comments", X),
    dev(0x0018, 0x700A, "Detector ID", XD),
    r(0x0018, 0x9074, "Frame Acquisition DateTime", XD),
    r(0x0018, 0x9151, "Frame Reference DateTime", XD),
    r(0x0018, 0x9424, "Acquisition Protocol Description", X),
    r(0x0018, 0x9516, "Start Acquisition DateTime", XD),
    r(0x0018, 0x9517, "End Acquisition DateTime", XD),
    r(0x0018, 0x9623, "Functional Sync Pulse", XD),
    r(0x0018, 0xA002, "Contribution DateTime", XD),
    r(0x0018, 0xA003, "Contribution Description", X),
    r(0x0020, 0x000D, "Study Instance UID", U),
    r(0x0020, 0x000E, "Series Instance UID", U),
    r(0x0020, 0x0010, "Study ID", Z),
    r(0x0020, 0x0052, "Frame of Reference UID", U),
    r(0x0020, 0x0200, "Synchronization Frame of Reference UID", U),
    dev(0x0020, 0x3401, "Modifying Device ID", X),
    r(0x0020, 0x3403, "Modified Image Date", X),
    dev(0x0020, 0x3404, "Modifying Device Manufacturer", X),
    r(0x0020, 0x3405, "Modified Image Time", X),
    r(0x0020, 0x3406, "Modified Image Description", X),
    r(0x0020, 0x4000, "Image Comments", X),
    r(0x0020, 0x9158, "Frame Comments", X),
    r(0x0020, 0x9161, "Concatenation UID", U),
    r(0x0020, 0x9164, "Dimension Organization UID", U),
    r(0x0028, 0x1199, "Palette Color Lookup Table UID", U),
    r(0x0028, 0x1214, "Large Palette Color Lookup Table UID", U),
    r(0x0028, 0x4000, "Image Presentation Comments", X),
    r(0x0032, 0x0012, "Study ID Issuer", X),
    r(0x0032, 0x1020, "Scheduled Study Location", X),
    r(0x0032, 0x1021, "Scheduled Study Location AE Title", X),
    r(0x0032, 0x1030, "Reason for Study", X),
    r(0x0032, 0x1032, "Requesting Physician", X),
    r(0x0032, 0x1033, "Requesting Service", X),
    r(0x0032, 0x1060, "Requested Procedure Description", XZ),
    r(0x0032, 0x1070, "Requested Contrast Agent", X),
    r(0x0032, 0x4000, "Study Comments", X),
    r(0x0038, 0x0004, "Referenced Patient Alias Sequence", X),
    r(0x0038, 0x0010, "Admission ID", X),
    r(0x0038, 0x0011, "Issuer of Admission ID", X),
    r(0x0038, 0x0014, "Issuer of Admission ID Sequence", X),
    r(0x0038, 0x001E, "Scheduled Patient Institution Residence", X),
    r(0x0038, 0x0020, "Admitting Date", X),
    r(0x0038, 0x0021, "Admitting Time", X),
    r(0x0038, 0x0040, "Discharge Diagnosis Description", X),
    r(0x0038, 0x0050, "Special Needs", X),
    r(0x0038, 0x0060, "Service Episode ID", X),
    r(0x0038, 0x0061, "Issuer of Service Episode ID", X),
    r(0x0038, 0x0062, "Service Episode Description", X),
    r(0x0038, 0x0064, "Issuer of Service Episode ID Sequence", X),
    r(0x0038, 0x0300, "Current Patient Location", X),
    r(0x0038, 0x0400, "Patient's Institution Residence", X),
    r(0x0038, 0x0500, "Patient State", X),
    r(0x0038, 0x4000, "Visit Comments", X),
    r(0x0040, 0x0001, "Scheduled Station AE Title", X),
    r(0x0040, 0x0002, "Scheduled Procedure Step Start Date", X),
    r(0x0040, 0x0003, "Scheduled Procedure Step Start Time", X),
    r(0x0040, 0x0004, "Scheduled Procedure Step End Date", X),
    r(0x0040, 0x0005, "Scheduled Procedure Step End Time", X),
    r(0x0040, 0x0006, "Scheduled Performing Physician's Name", X),
    r(0x0040, 0x0007, "Scheduled Procedure Step Description", X),
    r(
        0x0040,
        0x000B,
        "Scheduled Performing Physician Identification Sequence",
        X,
    ),
    r(0x0040, 0x0010, "Scheduled Station Name", X),
    r(0x0040, 0x0011, "Scheduled Procedure Step Location", X),
    r(0x0040, 0x0012, "Pre-Medication", X),
    r(0x0040, 0x0241, "Performed Station AE Title", X),
    r(0x0040, 0x0242, "Performed Station Name", X),
    r(0x0040, 0x0243, "Performed Location", X),
    r(0x0040, 0x0244, "Performed Procedure Step Start Date", X),
    r(0x0040, 0x0245, "Performed Procedure Step Start Time", X),
    r(0x0040, 0x0250, "Performed Procedure Step End Date", X),
    r(0x0040, 0x0251, "Performed Procedure Step End Time", X),
    r(0x0040, 0x0253, "Performed Procedure Step ID", X),
    r(0x0040, 0x0254, "Performed Procedure Step Description", X),
    r(0x0040, 0x0275, "Request Attributes Sequence", X),
    r(
        0x0040,
        0x0280,
        "Comments on the Performed Procedure Step",
        X,
    ),
    r(0x0040, 0x0555, "Acquisition Context Sequence", X),
    r(0x0040, 0x1001, "Requested Procedure ID", X),
    r(0x0040, 0x1002, "Reason for the Requested Procedure", X),
    r(0x0040, 0x1004, "Patient Transport Arrangements", X),
    r(0x0040, 0x1005, "Requested Procedure Location", X),
    r(0x0040, 0x1010, "Names of Intended Recipients of Results", X),
    r(
        0x0040,
        0x1011,
        "Intended Recipients of Results Identification Sequence",
        X,
    ),
    r(0x0040, 0x1101, "Person Identification Code Sequence", D),
    r(0x0040, 0x1102, "Person's Address", X),
    r(0x0040, 0x1103, "Person's Telephone Numbers", X),
    r(0x0040, 0x1104, "Person's Telecom Information", X),
    r(0x0040, 0x1400, "Requested Procedure Comments", X),
    r(0x0040, 0x2001, "Reason for the Imaging Service Request", X),
    r(0x0040, 0x2008, "Order Entered By", X),
    r(0x0040, 0x2009, "Order Enterer's Location", X),
    r(0x0040, 0x2010, "Order Callback Phone Number", X),
    r(0x0040, 0x2011, "Order Callback Telecom Information", X),
    r(
        0x0040,
        0x2016,
        "Placer Order Number / Imaging Service Request",
        Z,
    ),
    r(
        0x0040,
        0x2017,
        "Filler Order Number / Imaging Service Request",
        Z,
    ),
    r(0x0040, 0x2400, "Imaging Service Request Comments", X),
    r(
        0x0040,
        0x3001,
        "Confidentiality Constraint on Patient Data Description",
        X,
    ),
    r(
        0x0040,
        0x4023,
        "Referenced General Purpose Scheduled Procedure Step Transaction UID",
        U,
    ),
    r(0x0040, 0x4025, "Scheduled Station Name Code Sequence", X),
    r(
        0x0040,
        0x4027,
        "Scheduled Station Geographic Location Code Sequence",
        X,
    ),
    r(
        0x0040,
        0x4030,
        "Performed Station Geographic Location Code Sequence",
        X,
    ),
    r(0x0040, 0x4034, "Scheduled Human Performers Sequence", X),
    r(0x0040, 0x4035, "Actual Human Performers Sequence", X),
    r(0x0040, 0x4036, "Human Performer's Organization", X),
    r(0x0040, 0x4037, "Human Performer's Name", X),
    r(0x0040, 0xA027, "Verifying Organization", X),
    r(0x0040, 0xA073, "Verifying Observer Sequence", D),
    r(0x0040, 0xA075, "Verifying Observer Name", D),
    r(0x0040, 0xA078, "Author Observer Sequence", X),
    r(0x0040, 0xA07A, "Participant Sequence", X),
    r(0x0040, 0xA07C, "Custodial Organization Sequence", X),
    r(
        0x0040,
        0xA088,
        "Verifying Observer Identification Code Sequence",
        Z,
    ),
    r(0x0040, 0xA120, "DateTime", XD),
    r(0x0040, 0xA121, "Date", XD),
    r(0x0040, 0xA122, "Time", XD),
    r(0x0040, 0xA123, "Person Name", D),
    r(0x0040, 0xA124, "UID", U),
    r(0x0040, 0xA160, "Text Value", X),
    r(0x0040, 0xA171, "Observation UID", U),
    r(0x0040, 0xA172, "Referenced Observation UID (Trial)", U),
    r(0x0040, 0xA402, "Observation Subject UID (Trial)", U),
    r(0x0040, 0xA730, "Content Sequence", X),
    r(0x0040, 0xDB0C, "Template Extension Organization UID", U),
    r(0x0040, 0xDB0D, "Template Extension Creator UID", U),
    r(0x0070, 0x0001, "Graphic Annotation Sequence", D),
    r(0x0070, 0x0084, "Content Creator's Name", Z),
    r(
        0x0070,
        0x0086,
        "Content Creator's Identification Code Sequence",
        X,
    ),
    r(0x0070, 0x031A, "Fiducial UID", U),
    r(0x0088, 0x0140, "Storage Media File-set UID", U),
    r(0x0088, 0x0200, "Icon Image Sequence", X),
    r(0x0088, 0x0904, "Topic Title", X),
    r(0x0088, 0x0906, "Topic Subject", X),
    r(0x0088, 0x0910, "Topic Author", X),
    r(0x0088, 0x0912, "Topic Keywords", X),
    r(0x0400, 0x0100, "Digital Signature UID", X),
    r(0x0400, 0x0402, "Referenced Digital Signature Sequence", X),
    r(0x0400, 0x0403, "Referenced SOP Instance MAC Sequence", X),
    r(0x0400, 0x0404, "MAC", X),
    r(0x0400, 0x0550, "Modified Attributes Sequence", X),
    r(0x0400, 0x0561, "Original Attributes Sequence", X),
    r(0x2030, 0x0020, "Text String", X),
    r(0x3006, 0x0024, "Referenced Frame of Reference UID", U),
    r(0x3006, 0x00C2, "Related Frame of Reference UID", U),
    r(0x300A, 0x0013, "Dose Reference UID", U),
    r(0x300E, 0x0008, "Reviewer Name", XZ),
    r(0x4000, 0x0010, "Arbitrary", X),
    r(0x4000, 0x4000, "Text Comments", X),
    r(0x4008, 0x0042, "Results ID Issuer", X),
    r(0x4008, 0x0102, "Interpretation Recorder", X),
    r(0x4008, 0x010A, "Interpretation Transcriber", X),
    r(0x4008, 0x010B, "Interpretation Text", X),
    r(0x4008, 0x010C, "Interpretation Author", X),
    r(0x4008, 0x0111, "Interpretation Approver Sequence", X),
    r(0x4008, 0x0114, "Physician Approving Interpretation", X),
    r(0x4008, 0x0115, "Interpretation Diagnosis Description", X),
    r(0x4008, 0x0118, "Results Distribution List Sequence", X),
    r(0x4008, 0x0119, "Distribution Name", X),
    r(0x4008, 0x011A, "Distribution Address", X),
    r(0x4008, 0x0202, "Interpretation ID Issuer", X),
    r(0x4008, 0x0300, "Impressions", X),
    r(0x4008, 0x4000, "Results Comments", X),
    r(0xFFFA, 0xFFFA, "Digital Signatures Sequence", X),
    r(0xFFFC, 0xFFFC, "Data Set Trailing Padding", X),
];

const CURVE_DATA: Rule = r(0x5000, 0x0000, "Curve Data", X);
const OVERLAY_DATA: Rule = r(0x6000, 0x3000, "Overlay Data", X);
const OVERLAY_COMMENTS: Rule = r(0x6000, 0x4000, "Overlay Comments", X);

/// The profile row for `(group, element)`, including the repeating curve and overlay groups.
pub fn rule_for(group: u16, element: u16) -> Option<&'static Rule> {
    match (group & 0xFF00, element) {
        (0x5000, _) if group & 1 == 0 => return Some(&CURVE_DATA),
        (0x6000, 0x3000) if group & 1 == 0 => return Some(&OVERLAY_DATA),
        (0x6000, 0x4000) if group & 1 == 0 => return Some(&OVERLAY_COMMENTS),
        _ => {}
    }
    let tag = u32::from(group) << 16 | u32::from(element);
    RULES
        .binary_search_by_key(&tag, |rule| rule.tag)
        .ok()
        .map(|index| &RULES[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_and_unique() {
        assert!(
            RULES.windows(2).all(|w| w[0].tag < w[1].tag),
            "RULES must be sorted by tag"
        );
    }

    #[test]
    fn lookups_cover_rows_and_repeating_groups() {
        assert_eq!(rule_for(0x0010, 0x0010).map(|r| r.action), Some(Action::Z));
        assert_eq!(rule_for(0x0020, 0x000D).map(|r| r.action), Some(Action::U));
        assert_eq!(
            rule_for(0x0008, 0x0080).map(|r| r.action),
            Some(Action::XZD)
        );
        assert!(rule_for(0x0018, 0x1000).is_some_and(|r| r.device));
        assert!(rule_for(0x0010, 0x0010).is_some_and(|r| !r.device));
        assert_eq!(
            rule_for(0x6002, 0x3000).map(|r| r.name),
            Some("Overlay Data")
        );
        assert_eq!(rule_for(0x501E, 0x0010).map(|r| r.name), Some("Curve Data"));
        assert!(rule_for(0x0028, 0x0010).is_none());
    }
}
