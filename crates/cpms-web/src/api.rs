//! The JSON API for programs, under `/api/v1`, described by the OpenAPI
//! document at `/api/v1/openapi.json`. Errors are RFC 9457 problem+json
//! carrying the application's stable error code.

mod accounts;
mod caller;
mod experts;
mod me;
mod openapi;
mod problem;
mod terminology;

use axum::Router;
use axum::routing::{get, post};

pub(crate) use caller::ApiCaller;
pub use openapi::ApiDoc;
pub(crate) use problem::Problem;

use crate::state::AppState;

/// The routes under `/api/v1`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(me::get))
        .route("/terminology", get(terminology::search))
        .route("/experts", get(experts::search))
        .route("/accounts/{username}/suspend", post(accounts::suspend))
        .fallback(problem::no_such_endpoint)
}
