//! Carrying a rotated session token to the browser. The session is rotated
//! where it is resolved (in the extractors, when the account's roles
//! changed); the extractor leaves the new token in the request's slot, and
//! this middleware sets it as the cookie on the way out, unless the handler
//! set the session cookie itself (sign-in, sign-out).

use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use cpms_app::Caller;

use crate::html::auth::set_session_cookie;
use crate::state::AppState;

/// Where an extractor leaves a rotated session's new token.
#[derive(Clone, Default)]
struct RotatedToken(Arc<Mutex<Option<String>>>);

pub(crate) async fn carry(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let slot = RotatedToken::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let token = slot.0.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some(token) = token
        && !sets_session_cookie(&state, &response)
    {
        set_session_cookie(&state, &mut response, &token);
    }
    response
}

/// Leaves the caller's new token (if their session was rotated) for the
/// response.
pub(crate) fn hand_on(parts: &Parts, caller: &Caller) {
    if let (Some(token), Some(slot)) = (&caller.rotated_to, parts.extensions.get::<RotatedToken>())
    {
        *slot.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(token.as_str().to_owned());
    }
}

fn sets_session_cookie(state: &AppState, response: &Response) -> bool {
    let prefix = format!("{}=", state.session_cookie());
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.as_bytes().starts_with(prefix.as_bytes()))
}
