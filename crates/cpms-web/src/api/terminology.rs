//! `GET /api/v1/terminology`: ranked type-ahead over HPO or disease codes.

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiCaller, Problem};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
pub(crate) struct SearchParams {
    /// What was typed: part of a name or synonym, or a code in any usual form.
    q: String,
    /// `hpo` for phenotypes, `disease` for ORPHA, OMIM and ICD-10.
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Term {
    /// Canonical code, e.g. `HP:0001250` or `ORPHA:558`.
    pub code: String,
    pub name: String,
    /// Names of the direct parents (HPO hierarchy, ICD-10 grouping).
    pub parents: Vec<String>,
}

/// Suggestions for a type-ahead field, best first.
#[utoipa::path(
    get,
    path = "/api/v1/terminology",
    tag = "terminology",
    params(SearchParams),
    responses(
        (status = 200, description = "Ranked suggestions", body = Vec<Term>),
        (status = 400, description = "Unknown kind", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(params): Query<SearchParams>,
) -> Result<Json<Vec<Term>>, Problem> {
    let hits = state
        .app
        .search_terms(&caller, &params.q, &params.kind)
        .await?;
    Ok(Json(
        hits.into_iter()
            .map(|h| Term {
                code: h.code,
                name: h.name,
                parents: h.parents,
            })
            .collect(),
    ))
}
