//! Who is calling the API: the session cookie of a signed-in browser.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use cpms_app::auth::SessionToken;
use cpms_app::{AppError, Caller, ErrorCode};

use super::Problem;
use crate::client::client_info;
use crate::csrf::cookie;
use crate::state::AppState;

pub(crate) struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = client_info(parts, state);
        let Some(value) = cookie(&parts.headers, state.session_cookie()) else {
            return Err(AppError::new(
                ErrorCode::NotSignedIn,
                "Sign in, or send a session cookie.",
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
