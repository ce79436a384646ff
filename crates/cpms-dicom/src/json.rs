//! DICOM JSON (PS3.18 F.2) from an in-memory data set, with bulk data left to the caller.

use base64::Engine as _;
use dicom_core::header::{HasLength, Header};
use dicom_core::value::PrimitiveValue;
use dicom_core::{DicomValue, Tag, VR};
use dicom_object::InMemDicomObject;
use serde_json::{Map, Value, json};

/// Binary values up to this many bytes are inlined as base64; larger ones become bulk data.
pub const INLINE_BINARY_MAX: usize = 1024;

/// A binary value that the JSON replaces with a `BulkDataURI`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkDataRef {
    /// Path from the top-level data set: tags as 8 hex digits, item indexes between them,
    /// joined by `/` (e.g. `7FE00010` or `00540016/0/00282000`).
    pub path: String,
    /// The element's tag.
    pub tag: Tag,
    /// The element's VR.
    pub vr: VR,
    /// Value length in bytes (0 for encapsulated pixel data, whose fragments are not summed).
    pub length: usize,
}

/// Converts a data set to its DICOM JSON object. Pixel Data (always) and binary values larger
/// than [`INLINE_BINARY_MAX`] become `{"vr": .., "BulkDataURI": bulk_uri(..)}`.
pub fn dataset_to_json(
    obj: &InMemDicomObject,
    bulk_uri: &mut dyn FnMut(&BulkDataRef) -> String,
) -> Value {
    object_json(obj, "", bulk_uri)
}

/// Formats a tag as PS3.18 does: eight upper-case hex digits.
pub fn tag_key(tag: Tag) -> String {
    format!("{:04X}{:04X}", tag.group(), tag.element())
}

fn object_json(
    obj: &InMemDicomObject,
    prefix: &str,
    bulk_uri: &mut dyn FnMut(&BulkDataRef) -> String,
) -> Value {
    let mut map = Map::new();
    for element in obj.iter() {
        let tag = element.tag();
        let key = tag_key(tag);
        let path = format!("{prefix}{key}");
        let vr = element.vr();
        let mut attribute = Map::new();
        attribute.insert("vr".into(), Value::String(vr.to_string().into()));
        match element.value() {
            DicomValue::Sequence(sequence) => {
                let items = sequence
                    .items()
                    .iter()
                    .enumerate()
                    .map(|(index, item)| object_json(item, &format!("{path}/{index}/"), bulk_uri))
                    .collect::<Vec<_>>();
                if !items.is_empty() {
                    attribute.insert("Value".into(), Value::Array(items));
                }
            }
            DicomValue::PixelSequence(_) => {
                let reference = BulkDataRef {
                    path,
                    tag,
                    vr,
                    length: 0,
                };
                attribute.insert("BulkDataURI".into(), Value::String(bulk_uri(&reference)));
            }
            DicomValue::Primitive(value) => {
                primitive_json(&mut attribute, tag, vr, value, path, bulk_uri);
            }
        }
        map.insert(key, Value::Object(attribute));
    }
    Value::Object(map)
}

fn primitive_json(
    attribute: &mut Map<String, Value>,
    tag: Tag,
    vr: VR,
    value: &PrimitiveValue,
    path: String,
    bulk_uri: &mut dyn FnMut(&BulkDataRef) -> String,
) {
    if value.is_empty() {
        return;
    }
    if is_binary(vr) {
        let length = value.calculate_byte_len();
        if tag == Tag(0x7FE0, 0x0010) || length > INLINE_BINARY_MAX {
            let reference = BulkDataRef {
                path,
                tag,
                vr,
                length,
            };
            attribute.insert("BulkDataURI".into(), Value::String(bulk_uri(&reference)));
        } else {
            let encoded = base64::engine::general_purpose::STANDARD.encode(value.to_bytes());
            attribute.insert("InlineBinary".into(), Value::String(encoded));
        }
        return;
    }
    let texts = || strings(value, vr);
    let values = match vr {
        VR::PN => texts().into_iter().map(person_name).collect(),
        VR::AT => match value {
            PrimitiveValue::Tags(tags) => tags.iter().map(|t| Value::String(tag_key(*t))).collect(),
            _ => Vec::new(),
        },
        // Decimal and integer strings become JSON numbers; an unparsable one becomes null.
        VR::DS => texts()
            .iter()
            .map(|t| t.parse::<f64>().map_or(Value::Null, float_value))
            .collect(),
        VR::IS => texts()
            .iter()
            .map(|t| t.parse::<i64>().map_or(Value::Null, Value::from))
            .collect(),
        VR::FL | VR::FD => value
            .to_multi_float64()
            .map(|numbers| numbers.into_iter().map(float_value).collect())
            .unwrap_or_default(),
        VR::SS | VR::US | VR::SL | VR::UL | VR::SV | VR::UV => value
            .to_multi_int::<i64>()
            .map(|numbers| numbers.into_iter().map(Value::from).collect())
            .unwrap_or_default(),
        _ => texts()
            .into_iter()
            .map(|s| {
                if s.is_empty() {
                    Value::Null
                } else {
                    Value::String(s)
                }
            })
            .collect(),
    };
    attribute.insert("Value".into(), Value::Array(values));
}

fn is_binary(vr: VR) -> bool {
    matches!(
        vr,
        VR::OB | VR::OD | VR::OF | VR::OL | VR::OV | VR::OW | VR::UN
    )
}

/// The values as trimmed strings. Values built in memory may hold several values in one
/// backslash-joined string, so multi-valued VRs are split here.
fn strings(value: &PrimitiveValue, vr: VR) -> Vec<String> {
    let single_valued = matches!(vr, VR::LT | VR::ST | VR::UT | VR::UR);
    value
        .to_multi_str()
        .iter()
        .flat_map(|s| {
            if single_valued {
                vec![s.as_str()]
            } else {
                s.split('\\').collect()
            }
        })
        .map(|s| s.trim_matches(|c: char| c == '\0' || c == ' ').to_string())
        .collect()
}

fn float_value(number: f64) -> Value {
    serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
}

/// PS3.18 F.2.2: a person name splits into alphabetic, ideographic and phonetic groups.
fn person_name(name: String) -> Value {
    if name.is_empty() {
        return Value::Null;
    }
    let mut groups = name.splitn(3, '=');
    let mut object = Map::new();
    for key in ["Alphabetic", "Ideographic", "Phonetic"] {
        if let Some(group) = groups.next().filter(|g| !g.is_empty()) {
            object.insert(key.into(), Value::String(group.to_string()));
        }
    }
    Value::Object(object)
}

/// Builds one DICOM JSON attribute, e.g. `attribute(VR::CS, &["CT"])`.
pub fn attribute(vr: VR, values: &[&str]) -> Value {
    if values.is_empty() {
        return json!({ "vr": vr.to_string() });
    }
    let values: Vec<Value> = match vr {
        VR::PN => values
            .iter()
            .map(|v| person_name((*v).to_string()))
            .collect(),
        VR::IS | VR::US | VR::UL | VR::SS | VR::SL => values
            .iter()
            .map(|v| v.trim().parse::<i64>().map_or(Value::Null, Value::from))
            .collect(),
        VR::DS | VR::FL | VR::FD => values
            .iter()
            .map(|v| v.trim().parse::<f64>().map_or(Value::Null, float_value))
            .collect(),
        _ => values
            .iter()
            .map(|v| Value::String((*v).to_string()))
            .collect(),
    };
    json!({ "vr": vr.to_string(), "Value": values })
}
