//! The family history through the JSON API: the structured pedigree to read
//! or replace as a whole (validated by the domain model, like every edit on
//! the page), and the same pedigree as PED text or as the SVG drawing.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::AppError;
use cpms_domain::pedigree::Pedigree;
use cpms_domain::record::RecordChange;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::patients::{NewVersion, created};
use super::{ApiCaller, Problem};
use crate::html::pedigree::{drawing, ped_download};
use crate::state::AppState;

/// A family tree. Every rule of the domain model holds: exactly one
/// proband, ids issued below `next_id` and unique, mothers not male and
/// fathers not female, both parents of a child recorded as partners, no
/// one their own ancestor, everyone connected to the proband.
#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct PedigreeJson {
    individuals: Vec<IndividualJson>,
    partnerships: Vec<PartnershipJson>,
    /// The id the next added individual gets; ids are never reused.
    /// Optional on PUT (default: one more than the largest id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_id: Option<u32>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct IndividualJson {
    /// From 1; the proband of a new pedigree is 1.
    id: u32,
    /// Initials or a role ("maternal aunt"), never a real name.
    #[serde(default)]
    label: Option<String>,
    /// `male`, `female` or `unknown`.
    sex: String,
    /// `affected`, `unaffected` or `unknown`.
    affection: String,
    #[serde(default)]
    carrier: bool,
    #[serde(default)]
    deceased: bool,
    #[serde(default)]
    proband: bool,
    #[serde(default)]
    birth_year: Option<i32>,
    #[serde(default)]
    mother: Option<u32>,
    #[serde(default)]
    father: Option<u32>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct PartnershipJson {
    a: u32,
    b: u32,
    #[serde(default)]
    consanguineous: bool,
}

/// The JSON shapes here are the domain's stored shapes, spelled out for
/// the OpenAPI document; converting through serde runs the domain's
/// validation on the way in.
fn convert<T: Serialize, U: serde::de::DeserializeOwned>(value: &T) -> Result<U, String> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| e.to_string())
}

/// The structured pedigree (the proband alone if none was drawn yet).
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/pedigree",
    tag = "pedigree",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "The pedigree", body = PedigreeJson),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<PedigreeJson>, Problem> {
    let pedigree = state
        .app
        .pedigree(&caller, &pseudonym, "patient.read_pedigree")
        .await?;
    Ok(Json(convert(&pedigree).map_err(AppError::internal)?))
}

/// Replaces the whole pedigree; a new record version.
#[utoipa::path(
    put,
    path = "/api/v1/patients/{pseudonym}/pedigree",
    tag = "pedigree",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = PedigreeJson,
    responses(
        (status = 201, description = "Replaced", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A pedigree that breaks a rule (named in `detail`), or a locked record", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn put(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(mut body): ApiJson<PedigreeJson>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    if body.next_id.is_none() {
        let largest = body.individuals.iter().map(|i| i.id).max().unwrap_or(0);
        body.next_id = Some(largest.saturating_add(1));
    }
    let pedigree: Pedigree =
        convert(&body).map_err(|e| AppError::invalid(format!("Family history: {e}.")))?;
    let version = state
        .app
        .change_record(&caller, &pseudonym, RecordChange::Pedigree { pedigree })
        .await?;
    Ok(created(version))
}

/// The pedigree as a PED file (pseudonym as family id) for linkage tools.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/pedigree.ped",
    tag = "pedigree",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "PED text", body = String, content_type = "text/plain"),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn ped(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Response, Problem> {
    let pedigree = state
        .app
        .pedigree(&caller, &pseudonym, "patient.export_pedigree")
        .await?;
    Ok(ped_download(&pedigree, &pseudonym)?)
}

/// The pedigree drawn with standard symbols.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/pedigree.svg",
    tag = "pedigree",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "The drawing", body = String, content_type = "image/svg+xml"),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn svg(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Response, Problem> {
    let pedigree = state
        .app
        .pedigree(&caller, &pseudonym, "patient.read_pedigree")
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml")],
        drawing(&pedigree, &pseudonym),
    )
        .into_response())
}
