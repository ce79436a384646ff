//! The outcome page of a panel: the lead's form while drafting (each
//! problem under its field, nothing typed lost), the frozen document with
//! who signed while out for sign-off, the sign-off form for signers, the
//! versions with their PDFs.

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::panels::{DiagnosisRow, OutcomeForm, OutcomePdf, OutcomeView, field_label};
use cpms_app::{AppError, ErrorCode};
use cpms_domain::org::InvalidValue;
use cpms_domain::panel::Transition;
use cpms_domain::panel::outcome::{
    Certainty, DISCLAIMER, OutcomeDocument, OutcomeDraft, SignOffAnswer,
};

use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

/// Empty diagnosis rows offered under the filled ones (saving adds more).
const BLANK_ROWS: usize = 2;

#[derive(Template)]
#[template(path = "panel_outcome.html")]
struct OutcomePage {
    shell: Shell,
    v: OutcomeView,
    /// What the form shows: the stored draft, or what was just posted.
    form: OutcomeForm,
    problems: Vec<InvalidValue>,
    /// A message above the page (a saved draft, a refused action).
    notice: Option<String>,
    error: Option<String>,
    certainties: [Certainty; 4],
    disclaimer: &'static str,
}

impl OutcomePage {
    fn draft(&self) -> Option<&OutcomeDraft> {
        self.v.current.as_ref().map(|c| &c.draft)
    }

    fn document(&self) -> Option<&OutcomeDocument> {
        self.v.current.as_ref().and_then(|c| c.document.as_ref())
    }

    /// Whether the version shown was issued: nobody is waiting to sign it
    /// any more.
    fn issued(&self) -> bool {
        self.v
            .current
            .as_ref()
            .is_some_and(|c| c.closed_at.is_some())
    }

    /// The newest version while it is being drafted.
    fn drafting_version(&self) -> Option<u32> {
        self.v
            .versions
            .first()
            .filter(|x| !x.has_pdf())
            .map(|x| x.version)
    }

    fn problems_of(&self, field: &str) -> Vec<String> {
        self.problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| format!("{}: {}.", field_label(p.field), p.message))
            .collect()
    }

    fn lines(values: &[String]) -> String {
        values.join("\n")
    }

    fn rows(&self) -> Vec<DiagnosisRow> {
        let mut rows = self.form.diagnoses.clone();
        rows.extend(std::iter::repeat_n(DiagnosisRow::default(), BLANK_ROWS));
        rows
    }

    fn step_label(&self, t: &Transition) -> &'static str {
        match t {
            Transition::StartOutcome => "Start the outcome",
            Transition::ReviseOutcome => "Take back to revise",
            Transition::Close => "Close the panel and issue the outcome",
            _ => "",
        }
    }

    /// Steps shown as buttons here; sending for sign-off is the form's.
    fn buttons(&self) -> Vec<Transition> {
        self.v
            .may
            .steps
            .iter()
            .copied()
            .filter(|t| *t != Transition::RequestSignOff)
            .collect()
    }

    fn answer_text(answer: &SignOffAnswer) -> String {
        match answer {
            SignOffAnswer::Signed => "Signed".to_owned(),
            SignOffAnswer::Comment { text } => format!("Comment: {text}"),
        }
    }
}

fn outcome_page(
    ctx: &Ctx,
    v: OutcomeView,
    form: Option<OutcomeForm>,
    problems: Vec<InvalidValue>,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let form = form.unwrap_or_else(|| {
        v.current
            .as_ref()
            .map(|c| OutcomeForm::of(&c.draft))
            .unwrap_or_default()
    });
    let page = render(&OutcomePage {
        shell: ctx.shell("panels"),
        v,
        form,
        problems,
        notice,
        error,
        certainties: Certainty::ALL,
        disclaimer: DISCLAIMER,
    });
    with_status(status, page)
}

/// Non-empty lines of a text area, one entry each.
fn lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn posted_form(f: &Fields) -> OutcomeForm {
    let codes = f.all("diagnosis_code");
    let labels = f.all("diagnosis_label");
    let certainties = f.all("diagnosis_certainty");
    let diagnoses = codes
        .iter()
        .enumerate()
        .map(|(i, code)| DiagnosisRow {
            code: code.clone(),
            label: labels.get(i).cloned().unwrap_or_default(),
            certainty: certainties.get(i).cloned().unwrap_or_default(),
        })
        .filter(|row: &DiagnosisRow| !(row.code.trim().is_empty() && row.label.trim().is_empty()))
        .collect();
    OutcomeForm {
        case_summary: f.one("case_summary").to_owned(),
        questions: lines(f.one("questions")),
        discussion: f.one("discussion").to_owned(),
        diagnoses,
        investigations: lines(f.one("investigations")),
        plan: f.one("plan").to_owned(),
        follow_up: f.one("follow_up").to_owned(),
    }
}

/// `GET /panels/{reference}/outcome`.
pub(crate) async fn page(ctx: Ctx, Path(reference): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let v = ctx
        .state
        .app
        .outcome(caller, &reference)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(outcome_page(
        &ctx,
        v,
        None,
        Vec::new(),
        None,
        None,
        StatusCode::OK,
    ))
}

/// `POST /panels/{reference}/outcome`: save the draft, or save and send
/// it for sign-off (`action=send`).
pub(crate) async fn save(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let form = posted_form(&f);
    let send = f.one("action") == "send";
    let app = &ctx.state.app;
    match app.save_outcome(caller, &reference, &form, send).await {
        Ok(saved) if saved.sent => {
            Ok(Redirect::to(&format!("/panels/{reference}/outcome")).into_response())
        }
        Ok(saved) => {
            let v = app
                .outcome(caller, &reference)
                .await
                .map_err(|e| ctx.fail(e))?;
            let (status, notice) = if send {
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Draft saved, but not sent for sign-off: complete the fields marked below.",
                )
            } else if saved.problems.is_empty() {
                (
                    StatusCode::OK,
                    "Draft saved. It is complete and can be sent for sign-off.",
                )
            } else {
                (
                    StatusCode::OK,
                    "Draft saved. Before it can be sent for sign-off, complete the fields marked below.",
                )
            };
            Ok(outcome_page(
                &ctx,
                v,
                Some(form),
                saved.problems,
                Some(notice.to_owned()),
                None,
                status,
            ))
        }
        Err(err) => refused(&ctx, &reference, err, Some(form)).await,
    }
}

/// `POST /panels/{reference}/outcome/sign-off`: sign, or comment.
pub(crate) async fn sign_off(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let sign = f.one("answer") == "sign";
    match ctx
        .state
        .app
        .sign_off_outcome(caller, &reference, sign, f.one("comment"))
        .await
    {
        Ok(_event) => Ok(Redirect::to(&format!("/panels/{reference}/outcome")).into_response()),
        Err(err) => refused(&ctx, &reference, err, None).await,
    }
}

/// The page again with the reason an input or a state refused the
/// action (and the typed form); other failures are error pages.
async fn refused(
    ctx: &Ctx,
    reference: &str,
    err: AppError,
    form: Option<OutcomeForm>,
) -> Result<Response, PageError> {
    if err.code != ErrorCode::Invalid {
        return Err(ctx.fail(err));
    }
    let caller = ctx.signed_in()?;
    let v = ctx
        .state
        .app
        .outcome(caller, reference)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(outcome_page(
        ctx,
        v,
        form,
        Vec::new(),
        None,
        Some(err.message),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// `GET /panels/{reference}/outcome/{version}.pdf`.
pub(crate) async fn pdf(
    ctx: Ctx,
    Path((reference, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let version = file
        .strip_suffix(".pdf")
        .and_then(|v| v.parse::<u32>().ok())
        .ok_or_else(|| ctx.fail(AppError::not_found("That document")))?;
    let pdf = ctx
        .state
        .app
        .outcome_pdf(caller, &reference, version)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(pdf_response(pdf))
}

/// A PDF download under its safe file name (pages and API alike).
pub(crate) fn pdf_response(pdf: OutcomePdf) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", pdf.file_name),
            ),
        ],
        pdf.bytes,
    )
        .into_response()
}
