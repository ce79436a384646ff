//! Who is calling the API (and DICOMweb): a personal API token sent as
//! `Authorization: Bearer …`, or the session cookie of a signed-in browser.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use cpms_app::auth::SessionToken;
use cpms_app::{AppError, Caller, ErrorCode};

use super::Problem;
use crate::client::client_info;
use crate::csrf::cookie;
use crate::state::AppState;

pub(crate) struct ApiCaller(pub Caller);

/// The token of an `Authorization: Bearer <token>` header. A request that
/// names the bearer scheme is resolved by its token only, never by a cookie
/// it may also carry (CSRF is skipped for it).
fn bearer(parts: &Parts) -> Option<Result<&str, AppError>> {
    let value = parts.headers.get(AUTHORIZATION)?;
    let text = value.to_str().ok()?;
    let (scheme, token) = text.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    Some(if token.is_empty() {
        Err(AppError::new(
            ErrorCode::NotSignedIn,
            "The Authorization header names no token.",
        ))
    } else {
        Ok(token)
    })
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = client_info(parts, state);
        if let Some(token) = bearer(parts) {
            let caller = state.app.resolve_api_token(token?, client).await?;
            return Ok(ApiCaller(caller));
        }
        let Some(value) = cookie(&parts.headers, state.session_cookie()) else {
            return Err(AppError::new(
                ErrorCode::NotSignedIn,
                "Sign in, or send a session cookie or an API token (Authorization: Bearer).",
            )
            .into());
        };
        let caller = state
            .app
            .resolve_session(&SessionToken::from_cookie(&value), client)
            .await?;
        crate::rotation::hand_on(parts, &caller);
        Ok(ApiCaller(caller))
    }
}
