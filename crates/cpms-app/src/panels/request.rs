//! The consultation request: the lead (or their assistant) asks for a
//! panel from the patient's record, saves it as a draft and submits it.

use cpms_domain::ids::{PanelId, ThematicAreaId};
use cpms_domain::org::{Ern, ErnCode, ThematicArea};
use cpms_domain::panel::{
    Activity, PanelState, PanelType, SharedSection, Transition, Urgency, request,
};
use cpms_domain::patient::PatientStatus;
use cpms_domain::policy::Action;
use cpms_store::repo::panels::{self as repo, Shares, StoredPanel};
use cpms_store::repo::patients::StoredPatient;
use cpms_store::repo::{audit, memberships, patients, reference};

use super::access::{Loaded, changed_meanwhile, panel_event, participants, save_steps};
use super::event::{PanelEvent, PanelEventKind, Recipients};
use crate::attachments::Attachment;
use crate::imaging::Study;
use crate::{App, AppError, Caller};

/// The request form as typed.
#[derive(Debug, Clone, Default)]
pub struct ConsultationForm {
    pub ern: String,
    pub area: String,
    pub panel_type: String,
    pub questions: String,
    pub urgency: String,
    /// `YYYY-MM-DD` or empty.
    pub answer_by: String,
    /// Names of shared sections (`summary`, `diagnoses`, …).
    pub sections: Vec<String>,
    /// Ids of shared attachments.
    pub attachments: Vec<String>,
    /// De-identified Study Instance UIDs of shared imaging studies.
    pub studies: Vec<String>,
    /// Ask the network to find experts (the request goes to triage).
    pub ern_help: bool,
}

/// What the request form offers.
#[derive(Debug, Clone)]
pub struct RequestChoices {
    pub pseudonym: String,
    /// The lead's networks.
    pub erns: Vec<Ern>,
    /// The thematic areas of those networks.
    pub areas: Vec<ThematicArea>,
    pub attachments: Vec<Attachment>,
    /// The record's imaging studies.
    pub studies: Vec<Study>,
    /// The panel, when a saved draft is edited.
    pub reference: Option<String>,
    /// The network's comment when it returned the request.
    pub returned_with: Option<String>,
}

/// A request that passed every check.
struct Valid {
    ern: ErnCode,
    area: Option<ThematicAreaId>,
    panel_type: PanelType,
    urgency: Urgency,
    questions: String,
    answer_by: Option<jiff::civil::Date>,
    ern_help: bool,
    shares: Shares,
}

impl App {
    /// What the request form offers for this patient.
    pub async fn consultation_choices(
        &self,
        caller: &Caller,
        pseudonym: &str,
    ) -> Result<RequestChoices, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::RequestConsultation)
            .await?;
        self.choices_for(&stored, None).await
    }

    /// Saves a new request as a draft, and submits it when asked; returns
    /// its reference and whom to tell.
    pub async fn request_consultation(
        &self,
        caller: &Caller,
        pseudonym: &str,
        form: &ConsultationForm,
        submit: bool,
    ) -> Result<(String, Vec<PanelEvent>), AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::RequestConsultation)
            .await?;
        shareable(&stored)?;
        let choices = self.choices_for(&stored, None).await?;
        let now = self.now();
        let valid = validate(form, &choices, self.today())?;
        let year = now.to_zoned(jiff::tz::TimeZone::UTC).year();
        let mut tx = self.store().write().await?;
        let number = repo::next_number(&mut tx, &valid.ern, year).await?;
        let panel = StoredPanel {
            id: PanelId::new(),
            reference: request::reference(&valid.ern, year, number),
            ern: valid.ern,
            patient: stored.id,
            lead: stored.enrolled_by,
            lead_hcp: stored.hcp,
            area: valid.area,
            panel_type: valid.panel_type,
            urgency: valid.urgency,
            questions: valid.questions,
            answer_by: valid.answer_by,
            state: PanelState::Draft,
            ern_help: valid.ern_help,
            created_at: now,
            submitted_at: None,
            first_contribution_at: None,
            closed_at: None,
            closed_few_contributions: false,
        };
        repo::insert(&mut tx, &panel).await?;
        repo::set_shares(&mut tx, panel.id, &valid.shares).await?;
        let detail = format!("patient:{} {}", stored.id, describe(&valid.shares));
        audit::append(
            &mut tx,
            panel_event(caller, "panel.create", &panel, Some(detail)),
            now,
        )
        .await?;
        tx.commit().await?;
        let events = if submit {
            self.submit_consultation(caller, &panel.reference).await?
        } else {
            Vec::new()
        };
        Ok((panel.reference, events))
    }

    /// A draft request as its form shows it, with what the form offers.
    pub async fn consultation_draft(
        &self,
        caller: &Caller,
        reference: &str,
    ) -> Result<(ConsultationForm, RequestChoices), AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::EditRequest)
            .await?;
        let stored = self.panel_patient(&loaded).await?;
        let mut choices = self.choices_for(&stored, Some(&loaded.panel)).await?;
        let mut conn = self.store().read().await?;
        let shares = repo::shares(&mut conn, loaded.panel.id).await?;
        let log = repo::transitions(&mut conn, loaded.panel.id).await?;
        drop(conn);
        choices.returned_with = returned_with(&log);
        let p = &loaded.panel;
        let form = ConsultationForm {
            ern: p.ern.to_string(),
            area: p.area.map(|a| a.to_string()).unwrap_or_default(),
            panel_type: p.panel_type.as_str().to_owned(),
            questions: p.questions.clone(),
            urgency: p.urgency.as_str().to_owned(),
            answer_by: p.answer_by.map(|d| d.to_string()).unwrap_or_default(),
            sections: shares
                .sections
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            attachments: shares.attachments,
            studies: shares.studies,
            ern_help: p.ern_help,
        };
        Ok((form, choices))
    }

    /// Saves changes to a draft request, and submits it when asked.
    pub async fn save_consultation(
        &self,
        caller: &Caller,
        reference: &str,
        form: &ConsultationForm,
        submit: bool,
    ) -> Result<Vec<PanelEvent>, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::EditRequest)
            .await?;
        let stored = self.panel_patient(&loaded).await?;
        shareable(&stored)?;
        let choices = self.choices_for(&stored, Some(&loaded.panel)).await?;
        let valid = validate(form, &choices, self.today())?;
        let mut panel = loaded.panel;
        panel.ern = valid.ern;
        panel.area = valid.area;
        panel.panel_type = valid.panel_type;
        panel.urgency = valid.urgency;
        panel.questions = valid.questions;
        panel.answer_by = valid.answer_by;
        panel.ern_help = valid.ern_help;
        let now = self.now();
        let mut tx = self.store().write().await?;
        if !repo::update(&mut tx, &panel, PanelState::Draft).await? {
            return Err(changed_meanwhile());
        }
        repo::set_shares(&mut tx, panel.id, &valid.shares).await?;
        let detail = describe(&valid.shares);
        audit::append(
            &mut tx,
            panel_event(caller, "panel.edit", &panel, Some(detail)),
            now,
        )
        .await?;
        tx.commit().await?;
        if submit {
            self.submit_consultation(caller, reference).await
        } else {
            Ok(Vec::new())
        }
    }

    /// Sends the request: to the network's triage queue when the lead asked
    /// for help, else straight to discussion. Both steps are logged, in one
    /// transaction.
    pub async fn submit_consultation(
        &self,
        caller: &Caller,
        reference: &str,
    ) -> Result<Vec<PanelEvent>, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        let submitted = self
            .panel_attempt(caller, &loaded, Transition::Submit)
            .await?;
        let next = if loaded.panel.ern_help {
            Transition::AskErnHelp
        } else {
            Transition::Open
        };
        let mut then = loaded.clone();
        then.panel.state = submitted;
        let to = self.panel_attempt(caller, &then, next).await?;
        let now = self.now();
        let mut panel = loaded.panel.clone();
        panel.state = to;
        panel.submitted_at.get_or_insert(now);
        let steps = [
            (loaded.panel.state, Transition::Submit, submitted),
            (submitted, next, to),
        ];
        let mut conn = self.store().read().await?;
        let members = repo::members(&mut conn, panel.id).await?;
        drop(conn);
        let mut tx = self.store().write().await?;
        save_steps(&mut tx, caller, &panel, &steps, None, now).await?;
        let done = Loaded {
            panel,
            role: loaded.role,
        };
        let event = if to == PanelState::Triage {
            done.event(
                PanelEventKind::TriageWaiting,
                Recipients::ErnTriage(done.panel.ern.clone()),
            )
        } else {
            let told = participants(&done.panel, &members, caller.works_for());
            done.event(
                PanelEventKind::Stepped(Transition::Open),
                Recipients::Users(told),
            )
        };
        self.tell(&mut tx, &done.panel, &event).await?;
        tx.commit().await?;
        Ok(vec![event])
    }

    /// The patient a panel is about.
    pub(crate) async fn panel_patient(&self, loaded: &Loaded) -> Result<StoredPatient, AppError> {
        let mut conn = self.store().read().await?;
        patients::get(&mut conn, loaded.panel.patient)
            .await?
            .ok_or_else(|| AppError::internal("a panel's patient is missing"))
    }

    /// The lead's networks and their areas, and the patient's attachments.
    async fn choices_for(
        &self,
        stored: &StoredPatient,
        panel: Option<&StoredPanel>,
    ) -> Result<RequestChoices, AppError> {
        let lead = panel.map_or(stored.enrolled_by, |p| p.lead);
        let now = self.now();
        let mut conn = self.store().read().await?;
        let mut codes: Vec<ErnCode> = Vec::new();
        for m in memberships::of_user(&mut conn, lead).await? {
            if m.is_active(now) && !codes.contains(&m.ern) {
                codes.push(m.ern);
            }
        }
        let mut erns = Vec::new();
        let mut areas = Vec::new();
        for code in &codes {
            if let Some(ern) = reference::get_ern(&mut conn, code).await? {
                erns.push(ern);
            }
            areas.extend(reference::areas_of_ern(&mut conn, code).await?);
        }
        drop(conn);
        Ok(RequestChoices {
            pseudonym: stored.pseudonym.to_string(),
            erns,
            areas,
            attachments: self.attachments_of(stored.id).await?,
            studies: self
                .studies_named(stored.id, &stored.pseudonym.to_string(), None)
                .await?,
            reference: panel.map(|p| p.reference.clone()),
            returned_with: None,
        })
    }

    pub(crate) fn today(&self) -> jiff::civil::Date {
        self.now().to_zoned(jiff::tz::TimeZone::UTC).date()
    }
}

/// Records whose consent was withdrawn, or that were erased, are not
/// shared with new panels.
fn shareable(stored: &StoredPatient) -> Result<(), AppError> {
    match stored.status {
        PatientStatus::Active => Ok(()),
        PatientStatus::Locked => Err(AppError::invalid(
            "This record is locked (care consent withdrawn): it cannot be shared with a panel.",
        )),
        PatientStatus::Erased => Err(AppError::invalid(
            "This record was erased: it cannot be shared with a panel.",
        )),
    }
}

/// The network's comment on the last return, while the request is a draft
/// again.
pub(crate) fn returned_with(log: &[repo::TransitionEntry]) -> Option<String> {
    log.last()
        .filter(|t| t.transition == Transition::Return.as_str())
        .and_then(|t| t.comment.clone())
}

fn describe(shares: &Shares) -> String {
    let sections: Vec<&str> = shares.sections.iter().map(|s| s.as_str()).collect();
    format!(
        "shares [{}], {} attachment(s) and {} imaging stud(ies)",
        sections.join(" "),
        shares.attachments.len(),
        shares.studies.len()
    )
}

/// Checks every field and names each that is wrong, so the form can show
/// them all at once.
fn validate(
    form: &ConsultationForm,
    choices: &RequestChoices,
    today: jiff::civil::Date,
) -> Result<Valid, AppError> {
    let mut problems: Vec<String> = Vec::new();
    let ern = choices
        .erns
        .iter()
        .find(|e| e.code.as_str() == form.ern.trim())
        .map(|e| e.code.clone());
    if ern.is_none() {
        problems.push("Network: choose one of the lead's networks.".into());
    }
    let area = match form.area.trim() {
        "" => None,
        raw => {
            let found = choices
                .areas
                .iter()
                .find(|a| a.id.to_string() == raw && Some(&a.ern) == ern.as_ref());
            if found.is_none() {
                problems.push("Thematic area: choose an area of the chosen network.".into());
            }
            found.map(|a| a.id)
        }
    };
    let panel_type = checked(
        &mut problems,
        "Panel type",
        PanelType::parse(&form.panel_type),
    );
    let urgency = checked(&mut problems, "Urgency", Urgency::parse(&form.urgency));
    let questions = checked(
        &mut problems,
        "Clinical questions",
        request::questions(&form.questions),
    );
    let answer_by = checked(
        &mut problems,
        "Requested answer date",
        request::answer_by(&form.answer_by, today),
    );
    let sections: Vec<SharedSection> = form
        .sections
        .iter()
        .filter_map(|raw| checked(&mut problems, "Shared sections", SharedSection::parse(raw)))
        .collect();
    let attachments: Vec<String> = form
        .attachments
        .iter()
        .filter(|id| {
            let known = choices.attachments.iter().any(|a| &a.id == *id);
            if !known {
                problems.push("Attachments: choose attachments of this record.".into());
            }
            known
        })
        .cloned()
        .collect();
    let studies: Vec<String> = form
        .studies
        .iter()
        .filter(|uid| {
            let known = choices.studies.iter().any(|s| &s.study_uid == *uid);
            if !known {
                problems.push("Imaging studies: choose studies of this record.".into());
            }
            known
        })
        .cloned()
        .collect();
    match (ern, panel_type, urgency, questions, answer_by) {
        (Some(ern), Some(panel_type), Some(urgency), Some(questions), Some(answer_by))
            if problems.is_empty() =>
        {
            let mut sections = sections;
            sections.sort();
            sections.dedup();
            Ok(Valid {
                ern,
                area,
                panel_type,
                urgency,
                questions,
                answer_by,
                ern_help: form.ern_help,
                shares: Shares {
                    sections,
                    attachments,
                    studies,
                },
            })
        }
        _ => Err(AppError::invalid(problems.join(" "))),
    }
}

/// The value, or `None` with the problem noted under the field's label.
fn checked<T>(
    problems: &mut Vec<String>,
    label: &str,
    result: Result<T, cpms_domain::org::InvalidValue>,
) -> Option<T> {
    result
        .map_err(|e| problems.push(format!("{label}: {}.", e.message)))
        .ok()
}
