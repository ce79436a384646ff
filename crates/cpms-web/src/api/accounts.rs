//! `POST /api/v1/accounts/{username}/suspend`: suspend an account and end
//! its sessions (administrators).

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{ApiCaller, Problem};
use crate::state::AppState;

/// Suspends the account; its sessions end at once.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{username}/suspend",
    tag = "identity",
    params(("username" = String, Path, description = "The account's user name")),
    responses(
        (status = 204, description = "Suspended; every session of the account has ended"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn suspend(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(username): Path<String>,
) -> Result<StatusCode, Problem> {
    state.app.suspend_account(&caller, &username).await?;
    Ok(StatusCode::NO_CONTENT)
}
