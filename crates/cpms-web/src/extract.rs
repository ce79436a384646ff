//! The per-request context every page handler starts from.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use cpms_app::auth::SessionToken;
use cpms_app::{AppError, Caller, ClientInfo, ErrorCode};

use crate::client::client_info;
use crate::csrf::{CsrfToken, cookie};
use crate::error::{PageError, error_response};
use crate::shell::Shell;
use crate::state::AppState;

/// The state, who is asking (if signed in), the CSRF token to embed, where
/// the request came from and the path it asked for.
pub(crate) struct Ctx {
    pub state: AppState,
    pub caller: Option<Caller>,
    pub csrf: String,
    pub client: ClientInfo,
    pub path: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = client_info(parts, state);
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
        let mut ctx = Ctx {
            state: state.clone(),
            caller: None,
            csrf,
            client,
            path,
        };
        if let Some(value) = cookie(&parts.headers, state.session_cookie()) {
            match state
                .app
                .resolve_session(&SessionToken::from_cookie(&value), ctx.client.clone())
                .await
            {
                Ok(caller) => ctx.caller = Some(caller),
                Err(err) if err.code == ErrorCode::NotSignedIn => {}
                Err(err) => return Err(ctx.fail(err)),
            }
        }
        Ok(ctx)
    }
}

impl Ctx {
    /// The signed-in caller, or a redirect to the sign-in page.
    pub fn signed_in(&self) -> Result<&Caller, PageError> {
        self.caller
            .as_ref()
            .ok_or_else(|| self.fail(AppError::new(ErrorCode::NotSignedIn, "Please sign in.")))
    }

    pub fn shell(&self, section: &'static str) -> Shell {
        Shell::new(&self.state, self.caller.as_ref(), &self.csrf, section)
    }

    /// The page for `err`, in this request's layout.
    pub fn fail(&self, err: AppError) -> PageError {
        PageError::new(error_response(err, self.shell(""), &self.path))
    }
}
