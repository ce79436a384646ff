//! The per-request context every page handler starts from.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect};
use cpms_app::auth::SessionToken;
use cpms_app::{AppError, Caller, ClientInfo, ErrorCode};
use cpms_domain::session::SessionStage;

use crate::client::client_info;
use crate::csrf::{CsrfToken, cookie, token_for_session};
use crate::error::{PageError, error_response};
use crate::rotation;
use crate::shell::Shell;
use crate::state::AppState;

/// The state, who is asking (if signed in), the CSRF token to embed, where
/// the request came from and the path it asked for.
pub(crate) struct Ctx {
    pub state: AppState,
    /// The signed-in caller (sign-in complete).
    pub caller: Option<Caller>,
    /// A caller whose sign-in is half done: only the second step and
    /// enrolment pages serve them.
    pub pending: Option<Caller>,
    pub csrf: String,
    pub client: ClientInfo,
    pub path: String,
    /// The signed-in caller's unread notifications, for the bell.
    pub unread: i64,
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
            pending: None,
            csrf,
            client,
            path,
            unread: 0,
        };
        if let Some(value) = cookie(&parts.headers, state.session_cookie()) {
            match state
                .app
                .resolve_session_at_any_stage(
                    &SessionToken::from_cookie(&value),
                    ctx.client.clone(),
                )
                .await
            {
                Ok(caller) => {
                    // A rotated session: forms on this page must carry the
                    // token of the cookie the browser is about to get.
                    if let Some(token) = &caller.rotated_to {
                        rotation::hand_on(parts, &caller);
                        ctx.csrf = token_for_session(state, token.as_str());
                    }
                    ctx.set_caller(caller);
                    if let Some(caller) = &ctx.caller {
                        ctx.unread = state
                            .app
                            .unread_notifications(caller)
                            .await
                            .map_err(|e| ctx.fail(e))?;
                    }
                }
                Err(err) if err.code == ErrorCode::NotSignedIn => {}
                Err(err) => return Err(ctx.fail(err)),
            }
        }
        Ok(ctx)
    }
}

/// Where each unfinished stage of sign-in continues.
pub(crate) const SECOND_FACTOR_PAGE: &str = "/signin/second-factor";
pub(crate) const ENROLMENT_PAGE: &str = "/account/enrol";

fn redirect(to: &str) -> PageError {
    PageError::new(Redirect::to(to).into_response())
}

impl Ctx {
    fn set_caller(&mut self, caller: Caller) {
        if caller.stage == SessionStage::Full {
            self.caller = Some(caller);
        } else {
            self.pending = Some(caller);
        }
    }

    /// The signed-in caller, or a redirect to the step of sign-in that is
    /// missing.
    pub fn signed_in(&self) -> Result<&Caller, PageError> {
        if let Some(caller) = &self.caller {
            return Ok(caller);
        }
        match self.pending.as_ref().map(|p| p.stage) {
            Some(SessionStage::SecondFactor) => Err(redirect(SECOND_FACTOR_PAGE)),
            Some(SessionStage::Enrolment) => Err(redirect(ENROLMENT_PAGE)),
            _ => Err(self.fail(AppError::new(ErrorCode::NotSignedIn, "Please sign in."))),
        }
    }

    /// A caller who may enrol a second factor: signed in, or signed in
    /// with a password but without any second factor yet.
    pub fn enrolling(&self) -> Result<&Caller, PageError> {
        match &self.pending {
            Some(p) if p.stage == SessionStage::Enrolment => Ok(p),
            _ => self.signed_in(),
        }
    }

    /// A caller at the second step of sign-in.
    pub fn at_second_step(&self) -> Option<&Caller> {
        self.pending
            .as_ref()
            .filter(|p| p.stage == SessionStage::SecondFactor)
    }

    pub fn shell(&self, section: &'static str) -> Shell {
        Shell::new(
            &self.state,
            self.caller.as_ref(),
            self.unread,
            &self.csrf,
            section,
        )
    }

    /// The page for `err`, in this request's layout.
    pub fn fail(&self, err: AppError) -> PageError {
        PageError::new(error_response(err, self.shell(""), &self.path))
    }
}
