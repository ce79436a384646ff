//! The outcome document of a panel: the lead writes it (saved as typed,
//! complete or not), sends it for sign-off (frozen), members sign or
//! comment, the lead revises or closes (issued, immutable); reopening
//! starts the next version and keeps the earlier ones, each downloadable
//! as a PDF. Reading it is reading the patient's pseudonymised data: only
//! the lead and members may, and every read is audited.

use cpms_domain::org::InvalidValue;
use cpms_domain::panel::outcome::{
    Certainty, OutcomeDocument, OutcomeDraft, SignOff, SignOffAnswer,
};
use cpms_domain::panel::{self, Activity, PanelRole, Transition};
use cpms_reports::outcome::{Issue, Letterhead, render_outcome};
use cpms_store::repo::panel_outcomes::{self as outcomes, StoredOutcome, StoredSignOff};
use cpms_store::repo::panels::{self as repo, StoredPanel};
use cpms_store::repo::{audit, reference as refdata};

use super::access::{changed_meanwhile, panel_event, participants, save_steps};
use super::event::{PanelEvent, PanelEventKind, Recipients};
use super::outcome_steps::{OutcomeStep, apply_outcome_step, draft_diagnosis};
use crate::{App, AppError, Caller};

/// What the lead types: the sections of the document they write. The
/// case facts and the composition are filled in by the application.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeForm {
    pub case_summary: String,
    pub questions: Vec<String>,
    pub discussion: String,
    pub diagnoses: Vec<DiagnosisRow>,
    pub investigations: Vec<String>,
    pub plan: String,
    pub follow_up: String,
}

/// A diagnosis row of the form: a code, its label (filled from the
/// terminology when left blank) and how sure the panel is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagnosisRow {
    pub code: String,
    pub label: String,
    pub certainty: String,
}

impl OutcomeForm {
    /// The form showing a stored draft.
    pub fn of(draft: &OutcomeDraft) -> Self {
        Self {
            case_summary: draft.case_summary.clone(),
            questions: draft.questions.clone(),
            discussion: draft.discussion.clone(),
            diagnoses: draft
                .diagnoses
                .iter()
                .map(|d| DiagnosisRow {
                    code: d.code.clone(),
                    label: d.label.clone(),
                    certainty: d.certainty.as_str().to_owned(),
                })
                .collect(),
            investigations: draft.investigations.clone(),
            plan: draft.plan.clone(),
            follow_up: draft.follow_up.clone(),
        }
    }

    /// `base` with the lead's sections replaced by the form's. Rows left
    /// entirely blank are dropped; an unknown certainty is a problem.
    fn apply(&self, base: OutcomeDraft, problems: &mut Vec<InvalidValue>) -> OutcomeDraft {
        let mut diagnoses = Vec::new();
        for (i, row) in self
            .diagnoses
            .iter()
            .filter(|r| !(r.code.trim().is_empty() && r.label.trim().is_empty()))
            .enumerate()
        {
            let certainty = Certainty::parse(row.certainty.trim()).unwrap_or_else(|e| {
                problems.push(InvalidValue::new(
                    "diagnoses",
                    format!("entry {}: {}", i + 1, e.message),
                ));
                Certainty::Possible
            });
            diagnoses.push(draft_diagnosis(&row.code, &row.label, certainty));
        }
        OutcomeDraft {
            case_summary: self.case_summary.clone(),
            questions: self.questions.clone(),
            discussion: self.discussion.clone(),
            diagnoses,
            investigations: self.investigations.clone(),
            plan: self.plan.clone(),
            follow_up: self.follow_up.clone(),
            ..base
        }
    }
}

/// The outcome page.
#[derive(Debug, Clone)]
pub struct OutcomeView {
    pub panel: StoredPanel,
    /// The newest version, if the outcome was started. Its draft is shown
    /// to the lead only; members see versions once frozen.
    pub current: Option<StoredOutcome>,
    /// Every version, newest first: number, frozen, closed.
    pub versions: Vec<VersionInfo>,
    /// Who signs the current version and how they answered this round.
    pub signers: Vec<Signer>,
    /// Answers to the last round, while the lead revises.
    pub previous_answers: Vec<StoredSignOff>,
    pub may: OutcomePermissions,
    pub contributions: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionInfo {
    pub version: u32,
    pub frozen_at: Option<jiff::Timestamp>,
    pub closed_at: Option<jiff::Timestamp>,
}

impl VersionInfo {
    /// Frozen versions have a document, so a PDF.
    pub fn has_pdf(&self) -> bool {
        self.frozen_at.is_some() || self.closed_at.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct Signer {
    pub name: String,
    pub role: PanelRole,
    pub answer: Option<SignOff>,
    /// For a lead who did not sign a closed version: when they issued it
    /// (closing is their act, so they are not waiting to sign).
    pub issued_at: Option<jiff::Timestamp>,
    pub is_me: bool,
}

#[derive(Debug, Clone, Default)]
pub struct OutcomePermissions {
    /// Write the draft (the lead, while drafting).
    pub edit: bool,
    /// Sign or comment (a signer, during sign-off).
    pub sign_off: bool,
    /// Lifecycle steps the page offers.
    pub steps: Vec<Transition>,
}

/// The result of saving the draft: what still keeps it from sign-off, and
/// whether it was sent.
#[derive(Debug, Clone)]
pub struct OutcomeSaved {
    pub problems: Vec<InvalidValue>,
    pub sent: bool,
    pub events: Vec<PanelEvent>,
}

/// A frozen version as a PDF.
#[derive(Debug, Clone)]
pub struct OutcomePdf {
    /// Safe for a `Content-Disposition` header: letters, digits, `-`, `.`.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

const OUTCOME_STEPS: [Transition; 4] = [
    Transition::StartOutcome,
    Transition::RequestSignOff,
    Transition::ReviseOutcome,
    Transition::Close,
];

impl App {
    /// The outcome page's content; audited as a read of the patient's
    /// (pseudonymised) data.
    pub async fn outcome(&self, caller: &Caller, reference: &str) -> Result<OutcomeView, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::ViewShared)
            .await?;
        let p = &loaded.panel;
        let mut conn = self.store().read().await?;
        let stored = outcomes::versions(&mut conn, p.id).await?;
        let current = stored.first().cloned();
        let (answers, previous_answers) = match &current {
            Some(c) if c.frozen_at.is_some() => (
                outcomes::sign_offs(&mut conn, p.id, c.version, c.round).await?,
                Vec::new(),
            ),
            Some(c) if c.round > 0 => (
                Vec::new(),
                outcomes::sign_offs(&mut conn, p.id, c.version, c.round).await?,
            ),
            _ => (Vec::new(), Vec::new()),
        };
        let contributions =
            repo::count_posts(&mut conn, p.id, panel::PostKind::Contribution).await?;
        drop(conn);
        let actor = caller.actor();
        let may = |a| panel::may(&actor, loaded.resource(), p.state, a).is_ok();
        let signers = signers(current.as_ref(), &answers, caller);
        let permissions = OutcomePermissions {
            edit: may(Activity::EditOutcome),
            sign_off: may(Activity::SignOff) && signers.iter().any(|s| s.is_me),
            steps: OUTCOME_STEPS
                .into_iter()
                .filter(|t| panel::attempt(&actor, loaded.resource(), p.state, *t).is_ok())
                .collect(),
        };
        let detail = format!(
            "{} outcome{}",
            p.reference,
            current
                .as_ref()
                .map(|c| format!(" version {}", c.version))
                .unwrap_or_default()
        );
        self.audit_patient(caller, "panel.read_outcome", p.patient, Some(detail))
            .await?;
        // Members see what was sent to them, not the lead's working text.
        let current = current
            .filter(|c| loaded.as_lead(caller) || c.frozen_at.is_some() || c.closed_at.is_some());
        Ok(OutcomeView {
            versions: stored
                .iter()
                .map(|o| VersionInfo {
                    version: o.version,
                    frozen_at: o.frozen_at,
                    closed_at: o.closed_at,
                })
                .collect(),
            current,
            signers,
            previous_answers,
            may: permissions,
            contributions,
            panel: loaded.panel,
        })
    }

    /// Saves the lead's draft as typed, and sends it for sign-off when
    /// asked and complete. An incomplete draft is saved all the same; its
    /// problems are returned, each naming its field.
    pub async fn save_outcome(
        &self,
        caller: &Caller,
        reference: &str,
        form: &OutcomeForm,
        send: bool,
    ) -> Result<OutcomeSaved, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::EditOutcome)
            .await?;
        let p = &loaded.panel;
        let mut conn = self.store().read().await?;
        let working = outcomes::latest(&mut conn, p.id)
            .await?
            .filter(StoredOutcome::drafting)
            .ok_or_else(changed_meanwhile)?;
        drop(conn);
        let mut problems = Vec::new();
        let draft = form.apply(working.draft, &mut problems);
        let draft = self.with_facts(&loaded, draft).await?;
        let (draft, checked) = self.checked(draft).await?;
        let document = match checked {
            Ok(document) if problems.is_empty() => Some(document),
            Ok(_) => None,
            Err(more) => {
                problems.extend(more);
                None
            }
        };
        let to = match (&document, send) {
            (Some(_), true) => Some(
                self.panel_attempt(caller, &loaded, Transition::RequestSignOff)
                    .await?,
            ),
            _ => None,
        };
        let told = match to {
            Some(_) => {
                let mut conn = self.store().read().await?;
                let members = repo::members(&mut conn, p.id).await?;
                participants(p, &members, caller.works_for())
            }
            None => Vec::new(),
        };
        let now = self.now();
        let mut tx = self.store().write().await?;
        if !outcomes::save_draft(&mut tx, &draft, caller.user.id, now).await? {
            return Err(changed_meanwhile());
        }
        let detail = format!("version {}", draft.version);
        audit::append(
            &mut tx,
            panel_event(caller, "panel.outcome_saved", p, Some(detail)),
            now,
        )
        .await?;
        let mut events = Vec::new();
        if let (Some(document), Some(to)) = (document, to) {
            let mut moved = p.clone();
            moved.state = to;
            let steps = [(p.state, Transition::RequestSignOff, to)];
            save_steps(&mut tx, caller, &moved, &steps, None, now).await?;
            apply_outcome_step(&mut tx, &OutcomeStep::Freeze(Box::new(document)), p.id, now)
                .await?;
            let event = loaded.event(
                PanelEventKind::Stepped(Transition::RequestSignOff),
                Recipients::Users(told),
            );
            self.tell(&mut tx, &moved, &event).await?;
            events.push(event);
        }
        tx.commit().await?;
        Ok(OutcomeSaved {
            problems,
            sent: !events.is_empty(),
            events,
        })
    }

    /// A signer's answer to the version out for sign-off: signed, or a
    /// comment asking for a change. A later answer replaces an earlier one.
    pub async fn sign_off_outcome(
        &self,
        caller: &Caller,
        reference: &str,
        sign: bool,
        comment: &str,
    ) -> Result<PanelEvent, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::SignOff).await?;
        let p = &loaded.panel;
        let mut conn = self.store().read().await?;
        let working = outcomes::latest(&mut conn, p.id)
            .await?
            .filter(|o| o.frozen_at.is_some() && o.closed_at.is_none())
            .ok_or_else(changed_meanwhile)?;
        drop(conn);
        let mut document = working
            .document
            .clone()
            .ok_or_else(|| AppError::internal("a frozen outcome has no document"))?;
        let answer = if sign {
            SignOffAnswer::Signed
        } else {
            SignOffAnswer::comment(comment)
                .map_err(|e| AppError::invalid(format!("Comment: {}.", e.message)))?
        };
        let now = self.now();
        document
            .sign_off(caller.user.id, now, answer.clone())
            .map_err(|e| AppError::invalid(format!("Sign-off: {}.", e.message)))?;
        let sign_off = SignOff {
            user: caller.user.id,
            at: now,
            answer,
        };
        let mut tx = self.store().write().await?;
        // The lead may have taken the version back meanwhile.
        let still = outcomes::get(&mut tx, p.id, working.version).await?;
        if still.as_ref().map(|o| (o.round, o.frozen_at))
            != Some((working.round, working.frozen_at))
        {
            return Err(changed_meanwhile());
        }
        outcomes::put_sign_off(&mut tx, p.id, working.version, working.round, &sign_off).await?;
        let action = if sign {
            "panel.outcome_signed"
        } else {
            "panel.outcome_commented"
        };
        let detail = format!("version {}", working.version);
        audit::append(&mut tx, panel_event(caller, action, p, Some(detail)), now).await?;
        tx.commit().await?;
        Ok(loaded.event(
            PanelEventKind::OutcomeAnswered { signed: sign },
            Recipients::Users(vec![p.lead]),
        ))
    }

    /// A frozen version as a PDF (with the sign-offs so far, or those it
    /// was issued with); audited as a read of the patient's data.
    pub async fn outcome_pdf(
        &self,
        caller: &Caller,
        reference: &str,
        version: u32,
    ) -> Result<OutcomePdf, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::ViewShared)
            .await?;
        let p = &loaded.panel;
        let missing = || AppError::not_found(format!("Version {version} of this outcome"));
        let mut conn = self.store().read().await?;
        let stored = outcomes::get(&mut conn, p.id, version)
            .await?
            .ok_or_else(missing)?;
        let issue = match (stored.closed_at, stored.frozen_at) {
            (Some(at), _) => Issue::Closed(at),
            (None, Some(at)) => Issue::ForSignOff(at),
            (None, None) => return Err(missing()),
        };
        let mut document: OutcomeDocument = stored.document.clone().ok_or_else(missing)?;
        if stored.closed_at.is_none() {
            let answers = outcomes::sign_offs(&mut conn, p.id, version, stored.round).await?;
            document.sign_offs = answers.into_iter().map(|a| a.sign_off).collect();
        }
        let network_name = refdata::get_ern(&mut conn, &p.ern)
            .await?
            .map(|e| e.full_name)
            .unwrap_or_else(|| p.ern.to_string());
        drop(conn);
        let letterhead = Letterhead {
            network_name,
            issuer: "ERN-CPMS, Clinical Patient Management System".to_owned(),
        };
        let bytes = tokio::task::spawn_blocking(move || {
            render_outcome(&document, Some(&letterhead), issue)
        })
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
        self.audit_patient(
            caller,
            "panel.outcome_pdf",
            p.patient,
            Some(format!("{} version {version}", p.reference)),
        )
        .await?;
        Ok(OutcomePdf {
            file_name: pdf_name(&p.reference, version),
            bytes,
        })
    }
}

/// `BOND-2026-0001-outcome-v2.pdf`, with anything but letters, digits and
/// `-` in the reference replaced.
fn pdf_name(reference: &str, version: u32) -> String {
    let safe: String = reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}-outcome-v{version}.pdf")
}

/// The signing people of the current version (from the frozen document,
/// else the draft) with their answers this round.
fn signers(
    current: Option<&StoredOutcome>,
    answers: &[StoredSignOff],
    caller: &Caller,
) -> Vec<Signer> {
    let Some(current) = current else {
        return Vec::new();
    };
    let composition = match &current.document {
        Some(d) => &d.composition,
        None => &current.draft.composition,
    };
    composition
        .iter()
        .filter(|m| m.signs())
        .map(|m| {
            let answer = answers
                .iter()
                .find(|a| a.sign_off.user == m.user)
                .map(|a| a.sign_off.clone());
            let issued_at = current
                .closed_at
                .filter(|_| answer.is_none() && m.role == PanelRole::Lead);
            Signer {
                name: m.name.clone(),
                role: m.role,
                answer,
                issued_at,
                is_me: m.user == caller.user.id,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn pdf_names_are_safe() {
        assert_eq!(
            super::pdf_name("BOND-2026-0001", 2),
            "BOND-2026-0001-outcome-v2.pdf"
        );
        assert_eq!(super::pdf_name("a\"b/c", 1), "a-b-c-outcome-v1.pdf");
    }
}
