//! The OpenAPI 3.1 description of the JSON API, generated from the
//! handlers' annotations so it cannot drift from the code.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "ERN-CPMS API", description = "JSON API of ERN-CPMS. Authenticate with a session cookie."),
    paths(super::me::get, super::terminology::search, super::accounts::suspend, super::experts::search),
    components(schemas(super::Problem)),
    tags(
        (name = "identity", description = "Who is signed in"),
        (name = "terminology", description = "HPO, ORPHA, OMIM and ICD-10 type-ahead"),
        (name = "experts", description = "The expert directory")
    )
)]
pub struct ApiDoc;

pub(crate) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
