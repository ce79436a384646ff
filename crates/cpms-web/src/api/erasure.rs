//! The data subject's rights through the JSON API: erasure (confirmed by
//! repeating the pseudonym) and the export of everything held, the same
//! JSON document the record page offers for download (attachments inside,
//! as base64).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub(crate) struct Erasure {
    /// The patient's pseudonym, typed again (dashes optional), so that an
    /// erasure is never one stray request.
    #[serde(default)]
    confirmation: String,
}

/// Erases the patient: identity, attachments and history are destroyed;
/// the clinical data are deleted or anonymised as configured; the audit
/// trail stays.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/erasure",
    tag = "consents",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = Erasure,
    responses(
        (status = 204, description = "Erased"),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The confirmation is not the pseudonym, or the patient was already erased", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn erase(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<Erasure>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .erase_patient(&caller, &pseudonym, &body.confirmation)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything held about the patient for an access request: identity,
/// consents, every record version and the attachments (base64), in the
/// `ern-cpms-patient-export/1` format.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/export",
    tag = "consents",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "The export", body = Object),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn export(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<serde_json::Value>, Problem> {
    Ok(Json(state.app.export_patient(&caller, &pseudonym).await?))
}
