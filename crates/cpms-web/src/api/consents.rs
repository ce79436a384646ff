//! A patient's consents through the JSON API: read them, record a registry
//! or research-contact consent after enrolment, and record the withdrawal of
//! care consent (which locks the record). The same use cases as the record
//! page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cpms_app::patients::ConsentForm;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::patients::{ConsentJson, NewVersion, consent_json, created};
use super::{ApiCaller, Problem};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct ConsentList {
    /// At most one per kind: `care`, `registry`, `research_contact`.
    consents: Vec<ConsentJson>,
}

/// The consents the patient holds.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/consents",
    tag = "consents",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "The consents", body = ConsentList),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<ConsentList>, Problem> {
    let consents = state.app.consents(&caller, &pseudonym).await?;
    Ok(Json(ConsentList {
        consents: consents.iter().map(consent_json).collect(),
    }))
}

/// A registry or research-contact consent decided after enrolment.
#[derive(Deserialize, ToSchema)]
pub(crate) struct NewConsent {
    /// `registry` or `research_contact` (care consent is given at
    /// enrolment and withdrawn through `withdraw-consent`).
    kind: String,
    /// `given`, `refused` or `withdrawn`.
    status: String,
    /// The day the patient decided (`YYYY-MM-DD`), not in the future.
    date: String,
}

/// Records a registry or research-contact consent, replacing the earlier
/// one of its kind; a new record version.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/consents",
    tag = "consents",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = NewConsent,
    responses(
        (status = 201, description = "Recorded", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown kind or status, care consent, a date in the future, or a locked record", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn record(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<NewConsent>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let form = ConsentForm {
        kind: body.kind,
        status: body.status,
        date: body.date,
    };
    let version = state.app.record_consent(&caller, &pseudonym, &form).await?;
    Ok(created(version))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct Withdrawal {
    /// Must be `true`: the clinician confirms that the patient withdrew
    /// care consent.
    #[serde(default)]
    confirm: bool,
}

/// Records that the patient withdrew care consent today and locks the
/// record: it can be read but no longer changed.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/withdraw-consent",
    tag = "consents",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = Withdrawal,
    responses(
        (status = 204, description = "Withdrawn; the record is locked"),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not confirmed, or the record is already locked", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<Withdrawal>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .withdraw_care_consent(&caller, &pseudonym, body.confirm)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
