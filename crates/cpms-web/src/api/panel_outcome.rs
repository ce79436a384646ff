//! The outcome document through the JSON API: read it (with its versions
//! and sign-offs), put the lead's draft (and send it for sign-off), sign
//! off or comment, and download a frozen version as PDF. The same use
//! cases as the outcome page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cpms_app::AppError;
use cpms_app::panels::{DiagnosisRow, OutcomeForm, OutcomeView, VersionInfo};
use cpms_domain::panel::outcome::SignOffAnswer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::html::panel_outcome::pdf_response;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct VersionJson {
    version: u32,
    /// When it was sent for sign-off; absent while drafted.
    frozen_at: Option<String>,
    /// When it was issued (immutable since).
    closed_at: Option<String>,
    /// The PDF, for frozen versions.
    pdf: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct SignerJson {
    name: String,
    /// `lead` or `member`.
    role: String,
    /// `signed`, `comment`, `issued` (the lead of a closed version who did
    /// not sign: they issued it), or absent while waiting.
    answer: Option<String>,
    comment: Option<String>,
    at: Option<String>,
}

/// The outcome as the caller may see it.
#[derive(Serialize, ToSchema)]
pub(crate) struct OutcomeJson {
    /// The panel's state, e.g. `outcome_drafting`, `sign_off`.
    state: String,
    /// Newest first.
    versions: Vec<VersionJson>,
    /// The lead's working draft of the newest version (the lead only).
    #[schema(value_type = Option<Object>)]
    draft: Option<serde_json::Value>,
    /// The newest frozen document (sections, composition, disclaimer).
    #[schema(value_type = Option<Object>)]
    document: Option<serde_json::Value>,
    /// Who signs the newest frozen version and how they answered.
    signers: Vec<SignerJson>,
    may_edit: bool,
    may_sign_off: bool,
}

fn version_json(reference: &str, v: &VersionInfo) -> VersionJson {
    VersionJson {
        version: v.version,
        frozen_at: v.frozen_at.map(|t| t.to_string()),
        closed_at: v.closed_at.map(|t| t.to_string()),
        pdf: v.has_pdf().then(|| {
            format!(
                "/api/v1/panels/{reference}/outcome/versions/{}/pdf",
                v.version
            )
        }),
    }
}

fn outcome_json(v: OutcomeView) -> Result<OutcomeJson, AppError> {
    let reference = v.panel.reference.clone();
    let (draft, document) = match &v.current {
        Some(c) => (
            if v.may.edit || c.document.is_none() {
                Some(serde_json::to_value(&c.draft).map_err(AppError::internal)?)
            } else {
                None
            },
            c.document
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .map_err(AppError::internal)?,
        ),
        None => (None, None),
    };
    Ok(OutcomeJson {
        state: v.panel.state.as_str().to_owned(),
        versions: v
            .versions
            .iter()
            .map(|x| version_json(&reference, x))
            .collect(),
        draft,
        document,
        signers: v
            .signers
            .iter()
            .map(|s| {
                let (answer, comment) = match s.answer.as_ref().map(|a| &a.answer) {
                    Some(SignOffAnswer::Signed) => (Some("signed".to_owned()), None),
                    Some(SignOffAnswer::Comment { text }) => {
                        (Some("comment".to_owned()), Some(text.clone()))
                    }
                    None if s.issued_at.is_some() => (Some("issued".to_owned()), None),
                    None => (None, None),
                };
                SignerJson {
                    name: s.name.clone(),
                    role: s.role.as_str().to_owned(),
                    answer,
                    comment,
                    at: s
                        .answer
                        .as_ref()
                        .map(|a| a.at)
                        .or(s.issued_at)
                        .map(|t| t.to_string()),
                }
            })
            .collect(),
        may_edit: v.may.edit,
        may_sign_off: v.may.sign_off,
    })
}

/// The outcome: versions, the lead's draft, the frozen document and its
/// sign-offs (lead and members only; audited).
#[utoipa::path(
    get,
    path = "/api/v1/panels/{reference}/outcome",
    tag = "outcome",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    responses(
        (status = 200, description = "The outcome", body = OutcomeJson),
        (status = 403, description = "Not the lead or a member (audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
) -> Result<Json<OutcomeJson>, Problem> {
    let v = state.app.outcome(&caller, &reference).await?;
    Ok(Json(outcome_json(v)?))
}

/// The versions of the outcome, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{reference}/outcome/versions",
    tag = "outcome",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    responses(
        (status = 200, description = "The versions", body = [VersionJson]),
        (status = 403, description = "Not the lead or a member (audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn versions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
) -> Result<Json<Vec<VersionJson>>, Problem> {
    let v = state.app.outcome(&caller, &reference).await?;
    Ok(Json(
        v.versions
            .iter()
            .map(|x| version_json(&reference, x))
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct DiagnosisJson {
    /// ORPHA, OMIM or ICD-10 code, e.g. `ORPHA:558`.
    code: String,
    /// Empty: the terminology's name.
    #[serde(default)]
    label: String,
    /// `confirmed`, `probable`, `possible` or `excluded`.
    certainty: String,
}

/// The sections the lead writes; case facts and composition are filled
/// in by the server.
#[derive(Deserialize, ToSchema)]
pub(crate) struct DraftJson {
    #[serde(default)]
    case_summary: String,
    #[serde(default)]
    questions: Vec<String>,
    #[serde(default)]
    discussion: String,
    #[serde(default)]
    diagnoses: Vec<DiagnosisJson>,
    #[serde(default)]
    investigations: Vec<String>,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    follow_up: String,
    /// Send for sign-off if complete.
    #[serde(default)]
    send: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct FieldProblem {
    /// `case_summary`, `questions`, `composition`, `discussion`,
    /// `diagnoses`, `investigations`, `plan` or `follow_up`.
    field: String,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct DraftSaved {
    /// Whether it went out for sign-off.
    sent: bool,
    /// What keeps it from sign-off, per field (the draft is saved anyway).
    problems: Vec<FieldProblem>,
}

/// Saves the lead's draft as sent, complete or not; with `send`, a
/// complete draft goes out for sign-off.
#[utoipa::path(
    put,
    path = "/api/v1/panels/{reference}/outcome/draft",
    tag = "outcome",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = DraftJson,
    responses(
        (status = 200, description = "Saved; `sent` and the problems say whether it went out", body = DraftSaved),
        (status = 403, description = "Not the lead (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The panel is not drafting its outcome", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn put_draft(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<DraftJson>,
) -> Result<Json<DraftSaved>, Problem> {
    let form = OutcomeForm {
        case_summary: body.case_summary,
        questions: body.questions,
        discussion: body.discussion,
        diagnoses: body
            .diagnoses
            .into_iter()
            .map(|d| DiagnosisRow {
                code: d.code,
                label: d.label,
                certainty: d.certainty,
            })
            .collect(),
        investigations: body.investigations,
        plan: body.plan,
        follow_up: body.follow_up,
    };
    let saved = state
        .app
        .save_outcome(&caller, &reference, &form, body.send)
        .await?;
    Ok(Json(DraftSaved {
        sent: saved.sent,
        problems: saved
            .problems
            .into_iter()
            .map(|p| FieldProblem {
                field: p.field.to_owned(),
                message: p.message,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct SignOffJson {
    /// `true` signs; `false` sends `comment` instead.
    sign: bool,
    #[serde(default)]
    comment: String,
}

/// Signs the version out for sign-off, or comments on it.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/outcome/sign-off",
    tag = "outcome",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = SignOffJson,
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, description = "Not the lead or a member (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing out for sign-off, or an empty comment", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn sign_off(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<SignOffJson>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .sign_off_outcome(&caller, &reference, body.sign, &body.comment)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A frozen version as PDF (audited).
#[utoipa::path(
    get,
    path = "/api/v1/panels/{reference}/outcome/versions/{version}/pdf",
    tag = "outcome",
    params(
        ("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042"),
        ("version" = u32, Path, description = "The version, from 1"),
    ),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 403, description = "Not the lead or a member (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such frozen version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn pdf(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((reference, version)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let version = version
        .parse::<u32>()
        .map_err(|_| AppError::not_found("That version"))?;
    let pdf = state.app.outcome_pdf(&caller, &reference, version).await?;
    Ok(pdf_response(pdf))
}
