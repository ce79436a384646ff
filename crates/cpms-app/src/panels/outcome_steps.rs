//! What the lifecycle steps do to the outcome document: starting it makes
//! version 1 from the panel's facts, asking for sign-off freezes a complete
//! draft, revising thaws it, closing issues it with its sign-offs, and
//! reopening starts the next version from the last one. Each step is
//! prepared before the transaction (reads, checks, the terminology) and
//! applied inside it, guarded, with the panel's state change.

use cpms_domain::org::{CountryCode, InvalidValue, Role};
use cpms_domain::panel::outcome::{
    CaseAge, DraftDiagnosis, OutcomeDocument, OutcomeDraft, PanelMember, TermCode,
};
use cpms_domain::panel::{PanelRole, Transition};
use cpms_domain::patient::Pseudonym;
use cpms_store::repo::panel_outcomes::{self as outcomes, StoredOutcome};
use cpms_store::repo::panel_people;
use cpms_store::repo::panels as repo;

use super::access::{Loaded, changed_meanwhile};
use crate::{App, AppError, Caller};

/// A change to the outcome that goes with a lifecycle step.
#[derive(Debug, Clone)]
pub(crate) enum OutcomeStep {
    /// Start a version (the first, or the next after a reopening).
    Start(Box<StoredOutcome>),
    Freeze(Box<OutcomeDocument>),
    Thaw {
        version: u32,
    },
    Issue(Box<OutcomeDocument>),
}

/// The names the outcome form and its messages give each field.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "case_summary" => "Case summary",
        "questions" => "Questions to the panel",
        "composition" => "Panel composition",
        "discussion" => "Discussion summary",
        "diagnoses" => "Diagnosis or differential",
        "investigations" => "Recommended investigations",
        "plan" => "Treatment and management plan",
        "follow_up" => "Follow-up",
        _ => "Outcome",
    }
}

/// The problems of a draft as one sentence per field, for places that
/// show a single message.
pub(crate) fn describe(problems: &[InvalidValue]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}.", field_label(p.field), p.message))
        .collect::<Vec<_>>()
        .join(" ")
}

impl App {
    /// The outcome change `transition` brings, checked; `None` when it
    /// brings none.
    pub(crate) async fn prepare_outcome_step(
        &self,
        caller: &Caller,
        loaded: &Loaded,
        transition: Transition,
    ) -> Result<Option<OutcomeStep>, AppError> {
        let mut conn = self.store().read().await?;
        let latest = outcomes::latest(&mut conn, loaded.panel.id).await?;
        drop(conn);
        let step = match (transition, latest) {
            (Transition::StartOutcome, None) => {
                let draft = self.first_draft(caller, loaded).await?;
                Some(OutcomeStep::Start(Box::new(
                    self.new_version(caller, draft),
                )))
            }
            (Transition::StartOutcome | Transition::Reopen, Some(last))
                if last.closed_at.is_some() =>
            {
                let next = match &last.document {
                    Some(document) => document.next_draft(),
                    None => return Err(AppError::internal("a closed outcome has no document")),
                };
                Some(OutcomeStep::Start(Box::new(self.new_version(caller, next))))
            }
            (Transition::RequestSignOff, Some(working)) if working.drafting() => {
                let draft = self.with_facts(loaded, working.draft).await?;
                let (_, checked) = self.checked(draft).await?;
                let document = checked.map_err(|problems| {
                    AppError::invalid(format!(
                        "The outcome is not complete yet. {} Open the outcome to finish it.",
                        describe(&problems)
                    ))
                })?;
                Some(OutcomeStep::Freeze(Box::new(document)))
            }
            (Transition::ReviseOutcome, Some(working)) if working.frozen_at.is_some() => {
                Some(OutcomeStep::Thaw {
                    version: working.version,
                })
            }
            (Transition::Close, Some(working))
                if working.frozen_at.is_some() && working.closed_at.is_none() =>
            {
                let mut document = working
                    .document
                    .clone()
                    .ok_or_else(|| AppError::internal("a frozen outcome has no document"))?;
                let mut conn = self.store().read().await?;
                let answers =
                    outcomes::sign_offs(&mut conn, loaded.panel.id, working.version, working.round)
                        .await?;
                document.sign_offs = answers.into_iter().map(|a| a.sign_off).collect();
                Some(OutcomeStep::Issue(Box::new(document)))
            }
            (Transition::RequestSignOff | Transition::Close, _) => {
                return Err(AppError::invalid(
                    "Write the outcome first: closing needs an outcome sent for sign-off.",
                ));
            }
            _ => None,
        };
        Ok(step)
    }

    fn new_version(&self, caller: &Caller, draft: OutcomeDraft) -> StoredOutcome {
        let now = self.now();
        StoredOutcome {
            panel: draft.panel,
            version: draft.version,
            draft,
            document: None,
            round: 0,
            created_at: now,
            drafted_at: now,
            drafted_by: caller.user.id,
            frozen_at: None,
            closed_at: None,
        }
    }

    /// Version 1 as the lead finds it: the case from the shared
    /// (pseudonymised) record, the questions of the request, the members.
    async fn first_draft(
        &self,
        caller: &Caller,
        loaded: &Loaded,
    ) -> Result<OutcomeDraft, AppError> {
        let shared = self.shared_record_of(caller, loaded).await?;
        let p = &loaded.panel;
        let draft = OutcomeDraft {
            panel: p.id,
            reference: p.reference.clone(),
            ern: p.ern.clone(),
            version: 1,
            pseudonym: Pseudonym::parse(&shared.pseudonym).map_err(AppError::internal)?,
            age: CaseAge::Years(u16::try_from(shared.age.max(0)).unwrap_or(0)),
            sex: shared.sex,
            country: CountryCode::parse(&shared.country).map_err(AppError::internal)?,
            case_summary: shared.record.summary.clone(),
            questions: p
                .questions
                .lines()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(str::to_owned)
                .collect(),
            composition: Vec::new(),
            discussion: String::new(),
            diagnoses: Vec::new(),
            investigations: Vec::new(),
            plan: String::new(),
            follow_up: String::new(),
        };
        self.with_facts(loaded, draft).await
    }

    /// The draft with the panel's current composition: the lead, then the
    /// members and managers who accepted, as the directory names them.
    pub(crate) async fn with_facts(
        &self,
        loaded: &Loaded,
        mut draft: OutcomeDraft,
    ) -> Result<OutcomeDraft, AppError> {
        let p = &loaded.panel;
        let mut conn = self.store().read().await?;
        let members = repo::members(&mut conn, p.id).await?;
        let mut roles = vec![(p.lead, PanelRole::Lead)];
        roles.extend(members.iter().filter_map(|m| match m.granted_role() {
            Some(role @ (PanelRole::Member | PanelRole::Manager)) => Some((m.user, role)),
            _ => None,
        }));
        let users: Vec<_> = roles.iter().map(|(u, _)| *u).collect();
        let people = panel_people::people(&mut conn, &p.ern, &users).await?;
        drop(conn);
        let mut composition = Vec::with_capacity(people.len());
        for person in people {
            let Some(&(_, role)) = roles.iter().find(|(u, _)| *u == person.user) else {
                continue;
            };
            let country = person
                .country
                .as_deref()
                .and_then(|c| CountryCode::parse(c).ok())
                .ok_or_else(|| {
                    AppError::invalid(format!(
                        "Panel composition: {} has no country on their hospital or profile; \
                         ask an administrator to complete it before the outcome is written.",
                        person.name
                    ))
                })?;
            let profession = person.profession.clone().unwrap_or_else(|| {
                person
                    .role
                    .as_deref()
                    .and_then(|r| Role::parse(r).ok())
                    .map_or("Healthcare professional", Role::label)
                    .to_owned()
            });
            composition.push(PanelMember {
                user: person.user,
                name: person.name,
                profession,
                hospital: person.hospital.unwrap_or_default(),
                country,
                role,
                guest: person.guest,
            });
        }
        draft.composition = composition;
        Ok(draft)
    }

    /// Labels filled in from the terminology where the lead left them
    /// blank, and the document if the draft is complete (else every
    /// problem, codes unknown to the terminology included).
    pub(crate) async fn checked(
        &self,
        mut draft: OutcomeDraft,
    ) -> Result<(OutcomeDraft, Result<OutcomeDocument, Vec<InvalidValue>>), AppError> {
        let terminology = self.terminology().await?;
        let mut unknown = Vec::new();
        for (i, d) in draft.diagnoses.iter_mut().enumerate() {
            let Ok(code) = TermCode::parse(&d.code) else {
                continue;
            };
            match terminology.get(code.as_str()) {
                Some(concept) if d.label.trim().is_empty() => d.label = concept.name.clone(),
                Some(_) => {}
                None => unknown.push(InvalidValue::new(
                    "diagnoses",
                    format!("entry {}: {code} is not in the terminology", i + 1),
                )),
            }
        }
        let result = match draft.clone().validate() {
            Ok(document) if unknown.is_empty() => Ok(document),
            Ok(_) => Err(unknown),
            Err(invalid) => {
                let mut problems = invalid.errors;
                problems.extend(unknown);
                Err(problems)
            }
        };
        Ok((draft, result))
    }
}

/// Applies a prepared outcome change in the step's transaction; a version
/// that moved meanwhile undoes the whole step.
pub(crate) async fn apply_outcome_step(
    tx: &mut cpms_store::WriteTx,
    step: &OutcomeStep,
    panel: cpms_domain::ids::PanelId,
    now: jiff::Timestamp,
) -> Result<(), AppError> {
    let done = match step {
        OutcomeStep::Start(version) => {
            outcomes::insert(tx, version).await?;
            true
        }
        OutcomeStep::Freeze(document) => outcomes::freeze(tx, document, now).await?,
        OutcomeStep::Thaw { version } => outcomes::unfreeze(tx, panel, *version).await?,
        OutcomeStep::Issue(document) => outcomes::close(tx, document, now).await?,
    };
    if done {
        Ok(())
    } else {
        Err(changed_meanwhile())
    }
}

/// A diagnosis row as typed, for drafts built from a form.
pub(crate) fn draft_diagnosis(
    code: &str,
    label: &str,
    certainty: cpms_domain::panel::outcome::Certainty,
) -> DraftDiagnosis {
    DraftDiagnosis {
        code: code.trim().to_owned(),
        label: label.trim().to_owned(),
        certainty,
    }
}
