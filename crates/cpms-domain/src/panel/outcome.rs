//! The outcome document of a panel (PRODUCT.md §5): what the experts
//! concluded, in fixed sections, with the members' sign-offs. The lead
//! writes an [`OutcomeDraft`]; [`OutcomeDraft::validate`] turns it into an
//! [`OutcomeDocument`], which is stored frozen as JSON, one per version.
//!
//! The case appears only pseudonymised: the type has no place for a name,
//! a date of birth or a record number, so none can reach a member or a PDF.

mod term_code;

use serde::{Deserialize, Serialize};

pub use term_code::{TermCode, TermSystem};

use super::PanelRole;
use crate::ids::{PanelId, UserId};
use crate::org::{CountryCode, ErnCode, InvalidValue};
use crate::patient::{Pseudonym, Sex, bounded, text};

const MAX_REFERENCE_CHARS: usize = 64;
const MAX_SUMMARY_CHARS: usize = 20_000;
const MAX_QUESTIONS: usize = 20;
const MAX_QUESTION_CHARS: usize = 2_000;
const MAX_MEMBERS: usize = 100;
const MAX_PERSON_FIELD_CHARS: usize = 200;
const MAX_DISCUSSION_CHARS: usize = 50_000;
const MAX_DIAGNOSES: usize = 30;
const MAX_LABEL_CHARS: usize = 300;
const MAX_INVESTIGATIONS: usize = 50;
const MAX_INVESTIGATION_CHARS: usize = 1_000;
const MAX_PLAN_CHARS: usize = 20_000;
const MAX_FOLLOW_UP_CHARS: usize = 5_000;
const MAX_COMMENT_CHARS: usize = 5_000;

/// Our wording of the non-binding notice every outcome carries. A frozen
/// version keeps the text it was issued with.
pub const DISCLAIMER: &str = "This outcome records the opinion of the experts of the panel, \
formed from the pseudonymised information shared with them and without examining the patient. \
It is advice, not a prescription: the treating clinician decides on diagnosis and care, remains \
responsible for them, and informs the patient or family.";

/// A validated outcome, as issued in one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeDocument {
    pub panel: PanelId,
    /// The panel's human reference, e.g. `P-2026-00417`.
    pub reference: String,
    pub ern: ErnCode,
    /// 1 for the first outcome; each reopening starts the next.
    pub version: u32,
    pub case: CaseSummary,
    pub questions: Vec<String>,
    pub composition: Vec<PanelMember>,
    pub discussion: String,
    pub conclusions: Conclusions,
    pub disclaimer: String,
    pub sign_offs: Vec<SignOff>,
}

/// The case as the panel knows it: no identifying field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub pseudonym: Pseudonym,
    pub age: CaseAge,
    pub sex: Sex,
    pub country: CountryCode,
    pub summary: String,
}

/// How old the patient is, as far as a panel may know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAge {
    Years(u16),
    BirthYear(i16),
}

impl CaseAge {
    pub fn describe(self) -> String {
        match self {
            CaseAge::Years(1) => "1 year".into(),
            CaseAge::Years(n) => format!("{n} years"),
            CaseAge::BirthYear(y) => format!("born {y}"),
        }
    }
}

/// One person on the panel as the document lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelMember {
    pub user: UserId,
    pub name: String,
    pub profession: String,
    /// For a guest, the hospital they named at sign-up.
    pub hospital: String,
    /// For a guest, the country they work in.
    pub country: CountryCode,
    pub role: PanelRole,
    /// A guest clinician from a hospital outside the networks (versions
    /// frozen before guests were marked read as not guests).
    #[serde(default)]
    pub guest: bool,
}

impl PanelMember {
    /// The hospital as documents print it, a guest's marked as such, e.g.
    /// "Oslo University Hospital (guest)".
    pub fn hospital_label(&self) -> String {
        if self.guest {
            format!("{} (guest)", self.hospital)
        } else {
            self.hospital.clone()
        }
    }

    /// Leads and members author the advice and sign it; managers organise
    /// and have no clinical authorship (PRODUCT.md §2).
    pub fn signs(&self) -> bool {
        matches!(self.role, PanelRole::Lead | PanelRole::Member)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conclusions {
    /// The diagnosis, or the differential in order of likelihood.
    pub diagnoses: Vec<CodedConclusion>,
    pub investigations: Vec<String>,
    pub plan: String,
    pub follow_up: String,
}

/// A coded diagnosis with the label it had when chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodedConclusion {
    pub code: TermCode,
    pub label: String,
    pub certainty: Certainty,
}

/// How sure the panel is of one diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    Confirmed,
    Probable,
    Possible,
    Excluded,
}

impl Certainty {
    pub const ALL: [Certainty; 4] = [
        Certainty::Confirmed,
        Certainty::Probable,
        Certainty::Possible,
        Certainty::Excluded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Confirmed => "confirmed",
            Certainty::Probable => "probable",
            Certainty::Possible => "possible",
            Certainty::Excluded => "excluded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Certainty::Confirmed => "Confirmed",
            Certainty::Probable => "Probable",
            Certainty::Possible => "Possible (differential)",
            Certainty::Excluded => "Excluded",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw)
            .ok_or_else(|| {
                InvalidValue::new(
                    "certainty",
                    "choose confirmed, probable, possible or excluded",
                )
            })
    }
}

/// A member's answer to the outcome of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub user: UserId,
    pub at: jiff::Timestamp,
    pub answer: SignOffAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SignOffAnswer {
    Signed,
    /// Not signed (yet): the member asks for a change.
    Comment {
        text: String,
    },
}

impl SignOffAnswer {
    /// A comment as typed: required, bounded.
    pub fn comment(raw: &str) -> Result<Self, InvalidValue> {
        Ok(SignOffAnswer::Comment {
            text: text("comment", raw, MAX_COMMENT_CHARS)?,
        })
    }
}

/// What the lead writes, plus the facts the application fills in (case,
/// composition). Text fields are raw as typed; codes are checked by
/// [`OutcomeDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeDraft {
    pub panel: PanelId,
    pub reference: String,
    pub ern: ErnCode,
    pub version: u32,
    pub pseudonym: Pseudonym,
    pub age: CaseAge,
    pub sex: Sex,
    pub country: CountryCode,
    pub case_summary: String,
    pub questions: Vec<String>,
    pub composition: Vec<PanelMember>,
    pub discussion: String,
    pub diagnoses: Vec<DraftDiagnosis>,
    pub investigations: Vec<String>,
    pub plan: String,
    pub follow_up: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDiagnosis {
    pub code: String,
    pub label: String,
    pub certainty: Certainty,
}

/// Every problem of a draft, each naming its field, so a form can show them
/// all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
pub struct InvalidOutcome {
    pub errors: Vec<InvalidValue>,
}

impl OutcomeDraft {
    /// Checks every section and returns the document, without sign-offs.
    /// Blank entries of the question and investigation lists are dropped
    /// (forms send empty rows).
    pub fn validate(self) -> Result<OutcomeDocument, InvalidOutcome> {
        let mut errors = Vec::new();
        let mut keep = |result: Result<String, InvalidValue>| {
            result.unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            })
        };
        let reference = keep(text("reference", &self.reference, MAX_REFERENCE_CHARS));
        let summary = keep(text("case_summary", &self.case_summary, MAX_SUMMARY_CHARS));
        let discussion = keep(text("discussion", &self.discussion, MAX_DISCUSSION_CHARS));
        let plan = keep(text("plan", &self.plan, MAX_PLAN_CHARS));
        let follow_up = keep(text("follow_up", &self.follow_up, MAX_FOLLOW_UP_CHARS));
        let questions = list(
            "questions",
            &self.questions,
            MAX_QUESTIONS,
            MAX_QUESTION_CHARS,
            true,
            &mut errors,
        );
        let investigations = list(
            "investigations",
            &self.investigations,
            MAX_INVESTIGATIONS,
            MAX_INVESTIGATION_CHARS,
            false,
            &mut errors,
        );
        let diagnoses = diagnoses(&self.diagnoses, &mut errors);
        let composition = composition(self.composition, &mut errors);
        if self.version == 0 {
            errors.push(InvalidValue::new("version", "versions start at 1"));
        }
        if !errors.is_empty() {
            return Err(InvalidOutcome { errors });
        }
        Ok(OutcomeDocument {
            panel: self.panel,
            reference,
            ern: self.ern,
            version: self.version,
            case: CaseSummary {
                pseudonym: self.pseudonym,
                age: self.age,
                sex: self.sex,
                country: self.country,
                summary,
            },
            questions,
            composition,
            discussion,
            conclusions: Conclusions {
                diagnoses,
                investigations,
                plan,
                follow_up,
            },
            disclaimer: DISCLAIMER.to_owned(),
            sign_offs: Vec::new(),
        })
    }
}

/// A list of texts: blank rows dropped, each entry bounded, the count
/// bounded, and at least one entry when `required`.
fn list(
    field: &'static str,
    raw: &[String],
    max_entries: usize,
    max_chars: usize,
    required: bool,
    errors: &mut Vec<InvalidValue>,
) -> Vec<String> {
    let mut entries = Vec::new();
    for (i, entry) in raw.iter().filter(|e| !e.trim().is_empty()).enumerate() {
        match bounded(field, entry, max_chars) {
            Ok(value) => entries.push(value),
            Err(e) => errors.push(numbered(e, i)),
        }
    }
    if required && entries.is_empty() && errors.iter().all(|e| e.field != field) {
        errors.push(InvalidValue::new(field, "at least one is required"));
    }
    if entries.len() > max_entries {
        errors.push(InvalidValue::new(
            field,
            format!("at most {max_entries} entries"),
        ));
    }
    entries
}

/// Says which entry of a list an error is about (1-based, as shown).
fn numbered(e: InvalidValue, index: usize) -> InvalidValue {
    InvalidValue::new(e.field, format!("entry {}: {}", index + 1, e.message))
}

fn diagnoses(raw: &[DraftDiagnosis], errors: &mut Vec<InvalidValue>) -> Vec<CodedConclusion> {
    const FIELD: &str = "diagnoses";
    if raw.is_empty() {
        errors.push(InvalidValue::new(
            FIELD,
            "name the diagnosis or the differential (ORPHA:616874 if undiagnosed after full investigation)",
        ));
    }
    if raw.len() > MAX_DIAGNOSES {
        errors.push(InvalidValue::new(
            FIELD,
            format!("at most {MAX_DIAGNOSES} entries"),
        ));
    }
    let mut done: Vec<CodedConclusion> = Vec::new();
    for (i, d) in raw.iter().enumerate() {
        let code = TermCode::parse(&d.code);
        let label = text(FIELD, &d.label, MAX_LABEL_CHARS)
            .map_err(|e| InvalidValue::new(FIELD, format!("label {}", e.message)));
        match (code, label) {
            (Ok(code), Ok(label)) => {
                if done.iter().any(|c| c.code == code) {
                    let e = InvalidValue::new(FIELD, format!("{code} is listed twice"));
                    errors.push(numbered(e, i));
                } else {
                    done.push(CodedConclusion {
                        code,
                        label,
                        certainty: d.certainty,
                    });
                }
            }
            (code, label) => {
                for e in [code.err(), label.err()].into_iter().flatten() {
                    errors.push(numbered(InvalidValue::new(FIELD, e.message), i));
                }
            }
        }
    }
    done
}

fn composition(raw: Vec<PanelMember>, errors: &mut Vec<InvalidValue>) -> Vec<PanelMember> {
    const FIELD: &str = "composition";
    let leads = raw.iter().filter(|m| m.role == PanelRole::Lead).count();
    if leads != 1 {
        errors.push(InvalidValue::new(
            FIELD,
            format!("needs exactly one lead, found {leads}"),
        ));
    }
    if raw.len() > MAX_MEMBERS {
        errors.push(InvalidValue::new(
            FIELD,
            format!("at most {MAX_MEMBERS} people"),
        ));
    }
    let mut members: Vec<PanelMember> = Vec::with_capacity(raw.len());
    for (i, m) in raw.into_iter().enumerate() {
        if m.role == PanelRole::Invited {
            let e = InvalidValue::new(FIELD, "has not accepted the invitation");
            errors.push(numbered(e, i));
            continue;
        }
        if members.iter().any(|other| other.user == m.user) {
            errors.push(numbered(InvalidValue::new(FIELD, "is listed twice"), i));
            continue;
        }
        let name = person_field(&m.name, "name", i, errors);
        let profession = person_field(&m.profession, "profession", i, errors);
        let hospital = person_field(&m.hospital, "hospital", i, errors);
        if let (Some(name), Some(profession), Some(hospital)) = (name, profession, hospital) {
            members.push(PanelMember {
                name,
                profession,
                hospital,
                ..m
            });
        }
    }
    members
}

fn person_field(
    raw: &str,
    what: &str,
    index: usize,
    errors: &mut Vec<InvalidValue>,
) -> Option<String> {
    text("composition", raw, MAX_PERSON_FIELD_CHARS)
        .map_err(|e| {
            let e = InvalidValue::new(e.field, format!("{what} {}", e.message));
            errors.push(numbered(e, index));
        })
        .ok()
}

impl OutcomeDocument {
    /// Records a member's answer to this version; a later answer of the
    /// same member replaces the earlier (a comment, then a signature).
    pub fn sign_off(
        &mut self,
        user: UserId,
        at: jiff::Timestamp,
        answer: SignOffAnswer,
    ) -> Result<(), InvalidValue> {
        let Some(member) = self.composition.iter().find(|m| m.user == user) else {
            return Err(InvalidValue::new(
                "sign_off",
                "only members of the panel sign its outcome",
            ));
        };
        if !member.signs() {
            return Err(InvalidValue::new(
                "sign_off",
                format!(
                    "a {} does not sign the outcome",
                    member.role.label().to_lowercase()
                ),
            ));
        }
        self.sign_offs.retain(|s| s.user != user);
        self.sign_offs.push(SignOff { user, at, answer });
        Ok(())
    }

    /// The member's current answer, if any.
    pub fn answer_of(&self, user: UserId) -> Option<&SignOff> {
        self.sign_offs.iter().find(|s| s.user == user)
    }

    /// Whether every lead and member has signed (comments do not count).
    pub fn fully_signed(&self) -> bool {
        self.composition.iter().filter(|m| m.signs()).all(|m| {
            self.answer_of(m.user)
                .is_some_and(|s| s.answer == SignOffAnswer::Signed)
        })
    }

    /// The draft of the next version, as reopening starts it: the same
    /// content, one version on, to be validated again (and signed anew).
    pub fn next_draft(&self) -> OutcomeDraft {
        OutcomeDraft {
            panel: self.panel,
            reference: self.reference.clone(),
            ern: self.ern.clone(),
            version: self.version + 1,
            pseudonym: self.case.pseudonym.clone(),
            age: self.case.age,
            sex: self.case.sex,
            country: self.case.country,
            case_summary: self.case.summary.clone(),
            questions: self.questions.clone(),
            composition: self.composition.clone(),
            discussion: self.discussion.clone(),
            diagnoses: self
                .conclusions
                .diagnoses
                .iter()
                .map(|d| DraftDiagnosis {
                    code: d.code.to_string(),
                    label: d.label.clone(),
                    certainty: d.certainty,
                })
                .collect(),
            investigations: self.conclusions.investigations.clone(),
            plan: self.conclusions.plan.clone(),
            follow_up: self.conclusions.follow_up.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
