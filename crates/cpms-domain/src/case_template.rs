//! Per-ERN case templates: fields a network adds to its patients' records
//! (text, number with unit, date, choice, coded term), defined in a file
//! the operator provides. Definitions are checked once when loaded; each
//! value is checked against its definition when entered, as built-in
//! fields are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::org::{ErnCode, InvalidValue};
use crate::record::CodedTerm;

const MAX_TEXT_CHARS: usize = 2000;
const MAX_KEY_CHARS: usize = 40;

/// What kind of value a field holds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    /// A decimal number in `unit`, optionally bounded.
    Number {
        unit: String,
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
    },
    Date,
    Choice {
        choices: Vec<String>,
    },
    /// A code of the terminology: `hpo` or `disease` (ORPHA, OMIM, ICD-10).
    Coded {
        terminology: String,
    },
}

/// One field of a template.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FieldDef {
    /// Stable name in stored records: lower-case letters, digits and `_`.
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub kind: FieldKind,
    /// Shown under the field.
    #[serde(default)]
    pub help: String,
}

/// The fields one ERN adds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaseTemplate {
    pub ern: String,
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
}

/// A value as stored in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldValue {
    Text {
        text: String,
    },
    /// The number as typed (normalised), so stored values compare exactly.
    Number {
        value: String,
        unit: String,
    },
    Date {
        date: jiff::civil::Date,
    },
    Choice {
        choice: String,
    },
    Coded {
        term: CodedTerm,
    },
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text { text } => f.write_str(text),
            Self::Number { value, unit } => write!(f, "{value} {unit}"),
            Self::Date { date } => write!(f, "{date}"),
            Self::Choice { choice } => f.write_str(choice),
            Self::Coded { term } => write!(f, "{term}"),
        }
    }
}

/// A field's value in a record, with the label it had when entered so
/// the history reads the same after the template changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateEntry {
    pub label: String,
    pub value: FieldValue,
}

/// Every ERN's template, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseTemplates {
    by_ern: BTreeMap<ErnCode, Vec<FieldDef>>,
}

impl CaseTemplates {
    /// Checks the definitions: known ERN once each, unique well-formed
    /// keys, labels, units, non-empty choice lists, bounds in order.
    pub fn new(templates: Vec<CaseTemplate>) -> Result<Self, InvalidValue> {
        let mut by_ern = BTreeMap::new();
        for template in templates {
            let ern = ErnCode::parse(&template.ern)?;
            if !crate::reference::ERNS
                .iter()
                .any(|(code, ..)| *code == ern.as_str())
            {
                return Err(InvalidValue::new(
                    "case_templates",
                    format!("{ern} is not one of the European Reference Networks"),
                ));
            }
            let mut keys = std::collections::BTreeSet::new();
            for field in &template.fields {
                check_definition(field)
                    .map_err(|m| InvalidValue::new("case_templates", format!("{ern} {m}")))?;
                if !keys.insert(field.key.as_str()) {
                    return Err(InvalidValue::new(
                        "case_templates",
                        format!("{ern}: field '{}' is defined twice", field.key),
                    ));
                }
            }
            if by_ern.insert(ern.clone(), template.fields).is_some() {
                return Err(InvalidValue::new(
                    "case_templates",
                    format!("{ern} has more than one template"),
                ));
            }
        }
        Ok(Self { by_ern })
    }

    /// The fields of `ern`'s template (none if it has no template).
    pub fn fields(&self, ern: &ErnCode) -> &[FieldDef] {
        self.by_ern.get(ern).map_or(&[], Vec::as_slice)
    }

    pub fn field(&self, ern: &ErnCode, key: &str) -> Option<&FieldDef> {
        self.fields(ern).iter().find(|f| f.key == key)
    }
}

fn check_definition(field: &FieldDef) -> Result<(), String> {
    let key_ok = !field.key.is_empty()
        && field.key.len() <= MAX_KEY_CHARS
        && field.key.starts_with(|c: char| c.is_ascii_lowercase())
        && field
            .key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !key_ok {
        return Err(format!(
            "field key '{}': use lower-case letters, digits and _ (at most {MAX_KEY_CHARS})",
            field.key
        ));
    }
    if field.label.trim().is_empty() {
        return Err(format!("field '{}' has no label", field.key));
    }
    match &field.kind {
        FieldKind::Number { unit, .. } if unit.trim().is_empty() => {
            Err(format!("number field '{}' has no unit", field.key))
        }
        FieldKind::Number {
            min: Some(min),
            max: Some(max),
            ..
        } if min > max => Err(format!("number field '{}': min is above max", field.key)),
        FieldKind::Choice { choices } if choices.iter().all(|c| c.trim().is_empty()) => {
            Err(format!("choice field '{}' has no choices", field.key))
        }
        FieldKind::Coded { terminology } if !matches!(terminology.as_str(), "hpo" | "disease") => {
            Err(format!(
                "coded field '{}': terminology must be hpo or disease, not '{terminology}'",
                field.key
            ))
        }
        _ => Ok(()),
    }
}

impl FieldDef {
    /// Checks a typed value. Coded fields take the term the application
    /// looked up; this checks only that one was found.
    pub fn value(&self, raw: &str, term: Option<CodedTerm>) -> Result<FieldValue, InvalidValue> {
        let raw = raw.trim();
        let invalid = |message: String| {
            InvalidValue::new("template field", format!("{}: {message}", self.label))
        };
        if raw.is_empty() {
            return Err(invalid("enter a value".to_owned()));
        }
        match &self.kind {
            FieldKind::Text => {
                if raw.chars().count() > MAX_TEXT_CHARS {
                    return Err(invalid(format!("at most {MAX_TEXT_CHARS} characters")));
                }
                Ok(FieldValue::Text {
                    text: raw.to_owned(),
                })
            }
            FieldKind::Number { unit, min, max } => {
                let number: f64 = raw
                    .replace(',', ".")
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| invalid(format!("'{raw}' is not a number")))?;
                if min.is_some_and(|m| number < m) || max.is_some_and(|m| number > m) {
                    return Err(invalid(format!(
                        "{number} {unit} is outside {}–{} {unit}",
                        min.map_or("…".to_owned(), |m| m.to_string()),
                        max.map_or("…".to_owned(), |m| m.to_string())
                    )));
                }
                Ok(FieldValue::Number {
                    value: number.to_string(),
                    unit: unit.clone(),
                })
            }
            FieldKind::Date => raw
                .parse()
                .map(|date| FieldValue::Date { date })
                .map_err(|_| invalid(format!("'{raw}' is not a date (YYYY-MM-DD)"))),
            FieldKind::Choice { choices } => choices
                .iter()
                .find(|c| c.as_str() == raw)
                .map(|c| FieldValue::Choice { choice: c.clone() })
                .ok_or_else(|| invalid(format!("'{raw}' is not one of the choices"))),
            FieldKind::Coded { .. } => term
                .map(|term| FieldValue::Coded { term })
                .ok_or_else(|| invalid(format!("'{raw}' is not a known code"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: FieldKind) -> FieldDef {
        FieldDef {
            key: key.to_owned(),
            label: format!("Label of {key}"),
            kind,
            help: String::new(),
        }
    }

    fn templates(fields: Vec<FieldDef>) -> Result<CaseTemplates, InvalidValue> {
        CaseTemplates::new(vec![CaseTemplate {
            ern: "BOND".to_owned(),
            fields,
        }])
    }

    #[test]
    fn definitions_are_checked_when_loaded() {
        let number = |min, max| FieldKind::Number {
            unit: "SD".to_owned(),
            min,
            max,
        };
        assert!(templates(vec![field("z_score", number(Some(-5.0), Some(5.0)))]).is_ok());
        for (fields, says) in [
            (vec![field("Z score", FieldKind::Text)], "lower-case"),
            (
                vec![field("a", FieldKind::Text), field("a", FieldKind::Date)],
                "defined twice",
            ),
            (
                vec![field("z", number(Some(2.0), Some(1.0)))],
                "min is above max",
            ),
            (
                vec![field("c", FieldKind::Choice { choices: vec![] })],
                "no choices",
            ),
            (
                vec![field(
                    "t",
                    FieldKind::Coded {
                        terminology: "snomed".to_owned(),
                    },
                )],
                "hpo or disease",
            ),
        ] {
            let err = templates(fields).unwrap_err();
            assert!(err.message.contains(says), "{err:?}");
        }
        for ern in ["not an ern", "NOPE"] {
            let unknown = CaseTemplates::new(vec![CaseTemplate {
                ern: ern.to_owned(),
                fields: vec![],
            }]);
            assert!(unknown.is_err(), "{ern}");
        }
    }

    #[test]
    fn values_are_checked_against_their_definition() {
        let z = field(
            "z",
            FieldKind::Number {
                unit: "SD".to_owned(),
                min: Some(-5.0),
                max: Some(5.0),
            },
        );
        assert_eq!(
            z.value(" -2,5 ", None).unwrap(),
            FieldValue::Number {
                value: "-2.5".to_owned(),
                unit: "SD".to_owned()
            }
        );
        assert!(z.value("7", None).unwrap_err().message.contains("outside"));
        assert!(z.value("lots", None).is_err());
        assert!(z.value("", None).is_err());
        let when = field("when", FieldKind::Date);
        assert!(when.value("2026-02-30", None).is_err());
        assert!(when.value("2026-02-03", None).is_ok());
        let pick = field(
            "pick",
            FieldKind::Choice {
                choices: vec!["none".to_owned(), "1-2".to_owned()],
            },
        );
        assert!(pick.value("1-2", None).is_ok());
        assert!(pick.value("3+", None).is_err());
        let coded = field(
            "coded",
            FieldKind::Coded {
                terminology: "hpo".to_owned(),
            },
        );
        assert!(coded.value("HP:1", None).is_err());
    }
}
