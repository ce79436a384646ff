//! QIDO-RS query parameters (PS3.18 8.3.4) matched against DICOM JSON attribute maps
//! (PS3.4 C.2.2.2: single value, list of values, wildcard, range and universal matching).

use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry, VirtualVr};
use dicom_core::{Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;
use serde_json::{Map, Value};

use crate::json::tag_key;

/// Why query parameters were rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The key is neither a known keyword nor an 8-digit hex tag.
    #[error("unknown query attribute {0:?}")]
    UnknownAttribute(String),
    /// A value cannot be used for its attribute.
    #[error("invalid value for {key}: {reason}")]
    InvalidValue {
        /// The query key.
        key: String,
        /// What is wrong.
        reason: String,
    },
}

/// How one attribute is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Empty query value: everything matches and the attribute is returned.
    Universal,
    /// Exact value (case-insensitive for person names).
    Single(String),
    /// `*` and `?` wildcards.
    Wildcard(String),
    /// Any of several values (comma- or backslash-separated).
    AnyOf(Vec<String>),
    /// Inclusive range for dates and times; either end may be open.
    Range {
        /// Lower bound.
        from: Option<String>,
        /// Upper bound.
        to: Option<String>,
    },
}

/// One attribute filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Attribute tag.
    pub tag: Tag,
    /// Attribute VR (from the dictionary).
    pub vr: VR,
    /// How values are compared.
    pub matcher: Matcher,
}

/// Which attributes a response includes beyond the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IncludeFields {
    /// Defaults and matching keys only.
    #[default]
    Default,
    /// `includefield=all`.
    All,
    /// Listed attributes.
    Tags(Vec<Tag>),
}

/// A parsed QIDO-RS query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Attribute filters (all must match).
    pub filters: Vec<Filter>,
    /// Extra attributes to return.
    pub include: IncludeFields,
    /// `fuzzymatching=true` was requested (accepted, matching stays exact).
    pub fuzzy: bool,
    /// `limit`.
    pub limit: Option<usize>,
    /// `offset`.
    pub offset: usize,
}

/// Which level of the study → series → instance hierarchy a search asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `/studies`.
    Study,
    /// `/series`.
    Series,
    /// `/instances`.
    Instance,
}

impl Level {
    /// The attributes PS3.18 Table 6.7.1-2 says a response returns at this
    /// level without `includefield`.
    pub fn defaults(self) -> &'static [Tag] {
        match self {
            Level::Study => STUDY_DEFAULTS,
            Level::Series => SERIES_DEFAULTS,
            Level::Instance => INSTANCE_DEFAULTS,
        }
    }
}

const STUDY_DEFAULTS: &[Tag] = &[
    Tag(0x0008, 0x0005), // SpecificCharacterSet
    Tag(0x0008, 0x0020), // StudyDate
    Tag(0x0008, 0x0030), // StudyTime
    Tag(0x0008, 0x0050), // AccessionNumber
    Tag(0x0008, 0x0056), // InstanceAvailability
    Tag(0x0008, 0x0061), // ModalitiesInStudy
    Tag(0x0008, 0x0090), // ReferringPhysicianName
    Tag(0x0008, 0x1030), // StudyDescription
    Tag(0x0008, 0x1190), // RetrieveURL
    Tag(0x0010, 0x0010), // PatientName
    Tag(0x0010, 0x0020), // PatientID
    Tag(0x0010, 0x0030), // PatientBirthDate
    Tag(0x0010, 0x0040), // PatientSex
    Tag(0x0020, 0x000D), // StudyInstanceUID
    Tag(0x0020, 0x0010), // StudyID
    Tag(0x0020, 0x1206), // NumberOfStudyRelatedSeries
    Tag(0x0020, 0x1208), // NumberOfStudyRelatedInstances
];

const SERIES_DEFAULTS: &[Tag] = &[
    Tag(0x0008, 0x0005), // SpecificCharacterSet
    Tag(0x0008, 0x0060), // Modality
    Tag(0x0008, 0x0201), // TimezoneOffsetFromUTC
    Tag(0x0008, 0x103E), // SeriesDescription
    Tag(0x0008, 0x1190), // RetrieveURL
    Tag(0x0020, 0x000D), // StudyInstanceUID
    Tag(0x0020, 0x000E), // SeriesInstanceUID
    Tag(0x0020, 0x0011), // SeriesNumber
    Tag(0x0020, 0x1209), // NumberOfSeriesRelatedInstances
    Tag(0x0040, 0x0244), // PerformedProcedureStepStartDate
    Tag(0x0040, 0x0245), // PerformedProcedureStepStartTime
];

const INSTANCE_DEFAULTS: &[Tag] = &[
    Tag(0x0008, 0x0005), // SpecificCharacterSet
    Tag(0x0008, 0x0016), // SOPClassUID
    Tag(0x0008, 0x0018), // SOPInstanceUID
    Tag(0x0008, 0x0056), // InstanceAvailability
    Tag(0x0008, 0x0201), // TimezoneOffsetFromUTC
    Tag(0x0008, 0x1190), // RetrieveURL
    Tag(0x0020, 0x000D), // StudyInstanceUID
    Tag(0x0020, 0x000E), // SeriesInstanceUID
    Tag(0x0020, 0x0013), // InstanceNumber
    Tag(0x0028, 0x0010), // Rows
    Tag(0x0028, 0x0011), // Columns
    Tag(0x0028, 0x0100), // BitsAllocated
    Tag(0x0028, 0x0008), // NumberOfFrames
];

/// Resolves a keyword (`PatientID`) or hex tag (`00100020`) to its tag and VR.
pub fn resolve_attribute(key: &str) -> Result<(Tag, VR), QueryError> {
    let unknown = || QueryError::UnknownAttribute(key.to_string());
    let entry = if key.len() == 8 && key.chars().all(|c| c.is_ascii_hexdigit()) {
        let group = u16::from_str_radix(&key[..4], 16).map_err(|_| unknown())?;
        let element = u16::from_str_radix(&key[4..], 16).map_err(|_| unknown())?;
        StandardDataDictionary.by_tag(Tag(group, element))
    } else {
        StandardDataDictionary.by_name(key)
    }
    .ok_or_else(unknown)?;
    let vr = match entry.vr() {
        VirtualVr::Exact(vr) => vr,
        _ => VR::UN,
    };
    Ok((entry.tag_range().inner(), vr))
}

/// Parses query parameters as decoded from the URL.
pub fn parse_query<K: AsRef<str>, V: AsRef<str>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> Result<Query, QueryError> {
    let mut query = Query::default();
    for (key, value) in pairs {
        let (key, value) = (key.as_ref(), value.as_ref());
        match key.to_ascii_lowercase().as_str() {
            "includefield" => include(&mut query.include, value)?,
            "fuzzymatching" => query.fuzzy = value.eq_ignore_ascii_case("true"),
            "limit" => query.limit = Some(number(key, value)?),
            "offset" => query.offset = number(key, value)?,
            _ => {
                let (tag, vr) = resolve_attribute(key)?;
                let matcher = matcher_for(key, vr, value)?;
                query.filters.push(Filter { tag, vr, matcher });
            }
        }
    }
    Ok(query)
}

fn number(key: &str, value: &str) -> Result<usize, QueryError> {
    value.trim().parse().map_err(|_| QueryError::InvalidValue {
        key: key.to_string(),
        reason: format!("{value:?} is not a non-negative integer"),
    })
}

fn include(include: &mut IncludeFields, value: &str) -> Result<(), QueryError> {
    for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if item.eq_ignore_ascii_case("all") {
            *include = IncludeFields::All;
            continue;
        }
        let (tag, _) = resolve_attribute(item)?;
        match include {
            IncludeFields::All => {}
            IncludeFields::Tags(tags) => tags.push(tag),
            IncludeFields::Default => *include = IncludeFields::Tags(vec![tag]),
        }
    }
    Ok(())
}

fn matcher_for(key: &str, vr: VR, value: &str) -> Result<Matcher, QueryError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(Matcher::Universal);
    }
    if matches!(vr, VR::DA | VR::TM | VR::DT)
        && let Some((from, to)) = value.split_once('-')
    {
        let bound = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let (from, to) = (bound(from), bound(to));
        if from.is_none() && to.is_none() {
            return Err(QueryError::InvalidValue {
                key: key.to_string(),
                reason: "a range needs at least one end".into(),
            });
        }
        if let Some(bad) = [&from, &to].into_iter().flatten().find(|b| {
            !b.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '+')
        }) {
            return Err(QueryError::InvalidValue {
                key: key.to_string(),
                reason: format!("{bad:?} is not a date or time"),
            });
        }
        return Ok(Matcher::Range { from, to });
    }
    let separators: &[char] = if vr == VR::PN { &['\\'] } else { &[',', '\\'] };
    let values: Vec<String> = value
        .split(separators)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if values.len() > 1 {
        return Ok(Matcher::AnyOf(values));
    }
    if vr != VR::UI && value.contains(['*', '?']) {
        return Ok(Matcher::Wildcard(value.to_string()));
    }
    Ok(Matcher::Single(value.to_string()))
}

impl Query {
    /// Whether a record (DICOM JSON attributes keyed by tag) satisfies every filter.
    pub fn matches(&self, record: &Map<String, Value>) -> bool {
        self.filters.iter().all(|filter| filter.matches(record))
    }

    /// The attributes to return for a matching record: `defaults`, the query keys and the
    /// requested include fields (or everything for `includefield=all`).
    pub fn project(&self, record: &Map<String, Value>, defaults: &[Tag]) -> Map<String, Value> {
        if self.include == IncludeFields::All {
            return record.clone();
        }
        let extra = match &self.include {
            IncludeFields::Tags(tags) => tags.as_slice(),
            _ => &[],
        };
        defaults
            .iter()
            .chain(self.filters.iter().map(|f| &f.tag))
            .chain(extra)
            .filter_map(|tag| {
                let key = tag_key(*tag);
                record.get(&key).map(|value| (key, value.clone()))
            })
            .collect()
    }
}

impl Filter {
    fn matches(&self, record: &Map<String, Value>) -> bool {
        if self.matcher == Matcher::Universal {
            return true;
        }
        let values = record_values(record, self.tag);
        values.iter().any(|value| self.matches_value(value))
    }

    fn matches_value(&self, value: &str) -> bool {
        let fold = self.vr == VR::PN;
        let equal = |want: &str| {
            if fold {
                want.eq_ignore_ascii_case(value)
            } else {
                want == value
            }
        };
        match &self.matcher {
            Matcher::Universal => true,
            Matcher::Single(want) => equal(want),
            Matcher::AnyOf(wants) => wants.iter().any(|w| {
                if self.vr != VR::UI && w.contains(['*', '?']) {
                    wildcard(w, value, fold)
                } else {
                    equal(w)
                }
            }),
            Matcher::Wildcard(pattern) => wildcard(pattern, value, fold),
            Matcher::Range { from, to } => {
                // DA, TM and DT compare correctly as strings once cut to the bound's precision.
                let cut = |bound: &str| &value[..bound.len().min(value.len())];
                from.as_deref().is_none_or(|f| cut(f) >= f)
                    && to.as_deref().is_none_or(|t| cut(t) <= t)
            }
        }
    }
}

/// The values of `tag` in `record` as strings (person names by their alphabetic group).
fn record_values(record: &Map<String, Value>, tag: Tag) -> Vec<String> {
    let Some(values) = record
        .get(&tag_key(tag))
        .and_then(|a| a.get("Value"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    values
        .iter()
        .filter_map(|value| match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(pn) => pn
                .get("Alphabetic")
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        })
        .collect()
}

/// `*` matches any run of characters, `?` exactly one.
fn wildcard(pattern: &str, value: &str, fold: bool) -> bool {
    let norm = |s: &str| -> Vec<char> {
        if fold {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, v) = (norm(pattern), norm(value));
    let (mut pi, mut vi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, vi));
            pi += 1;
        } else if let Some((sp, sv)) = star {
            pi = sp + 1;
            vi = sv + 1;
            star = Some((sp, sv + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("DOE*", "DOE^JOHN", false));
        assert!(wildcard("*OE^J?HN", "DOE^JOHN", false));
        assert!(!wildcard("DOE?", "DOE^JOHN", false));
        assert!(wildcard("doe*", "DOE^JOHN", true));
        assert!(!wildcard("doe*", "DOE^JOHN", false));
        assert!(wildcard("*", "", false));
        assert!(wildcard("a*b*c", "axxbyyc", false));
        assert!(!wildcard("a*b*c", "axxbyy", false));
    }
}
