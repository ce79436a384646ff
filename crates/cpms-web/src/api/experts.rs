//! `GET /api/v1/experts`: the expert directory, best matches first.

use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiCaller, Problem};
use crate::html::experts::DirectoryParams;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct ExpertView {
    /// The expert's user id, to invite them or add them to a group.
    pub id: String,
    pub name: String,
    pub profession: String,
    /// `adult`, `paediatric` or `both`.
    pub cares_for: String,
    pub specialist_in: String,
    pub thematic_areas: Vec<String>,
    pub places: Vec<PlaceView>,
    /// How well the free text matched; higher is better, 0 without text.
    pub score: u32,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PlaceView {
    pub ern: String,
    pub hospital_name: String,
    pub country: Option<String>,
}

/// Experts matching the filters, best matches first.
#[utoipa::path(
    get,
    path = "/api/v1/experts",
    tag = "experts",
    params(DirectoryParams),
    responses(
        (status = 200, description = "Experts, best first", body = Vec<ExpertView>),
        (status = 422, description = "A filter names no such network or area", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No membership grants the directory", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(params): Query<DirectoryParams>,
) -> Result<Json<Vec<ExpertView>>, Problem> {
    let experts = state.app.find_experts(&caller, &params.query()).await?;
    Ok(Json(
        experts
            .into_iter()
            .map(|e| ExpertView {
                id: e.user.to_string(),
                name: e.name,
                profession: e.profession,
                cares_for: e.cares_for.as_str().to_owned(),
                specialist_in: e.specialist_in,
                thematic_areas: e.areas,
                places: e
                    .places
                    .into_iter()
                    .map(|p| PlaceView {
                        ern: p.ern.to_string(),
                        hospital_name: p.hospital,
                        country: p.country,
                    })
                    .collect(),
                score: e.score,
            })
            .collect(),
    ))
}
