//! "Sign in with EU Login": off to the OpenID provider and back. The flow's
//! handle rides in a short-lived cookie (SameSite=Lax, so it comes along on
//! the provider's top-level redirect back); the flow itself stays on the
//! server.

use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::auth::{OidcCallback, OidcSignInError};

use super::auth::{Next, safe_next, set_session_cookie};
use crate::csrf::cookie;
use crate::error::{render, with_status};
use crate::extract::Ctx;
use crate::shell::Shell;
use crate::state::AppState;

const FLOW_COOKIE: &str = "cpms-oidc";

pub(crate) async fn start(ctx: Ctx, Query(q): Query<Next>) -> Response {
    let next = safe_next(q.next.as_deref());
    match ctx.state.app.begin_oidc_sign_in(&next, &ctx.client).await {
        Ok((url, handle)) => {
            let mut response = Redirect::to(&url).into_response();
            set_flow_cookie(&ctx.state, &mut response, &handle);
            response
        }
        Err(err) => failure_page(&ctx, err),
    }
}

pub(crate) async fn callback(
    ctx: Ctx,
    headers: HeaderMap,
    Query(callback): Query<OidcCallback>,
) -> Response {
    let handle = cookie(&headers, FLOW_COOKIE).unwrap_or_default();
    let result = ctx
        .state
        .app
        .complete_oidc_sign_in(&handle, &callback, ctx.client.clone())
        .await;
    let mut response = match result {
        Ok((signed_in, return_to)) => {
            let mut response = Redirect::to(&safe_next(Some(&return_to))).into_response();
            set_session_cookie(&ctx.state, &mut response, signed_in.token.as_str());
            response
        }
        Err(err) => failure_page(&ctx, err),
    };
    set_flow_cookie(&ctx.state, &mut response, "");
    response
}

#[derive(Template)]
#[template(path = "oidc_failed.html")]
struct FailedPage {
    shell: Shell,
    heading: &'static str,
    message: String,
    /// Nobody here has this identity yet: offer to request access.
    unknown: bool,
}

fn failure_page(ctx: &Ctx, err: OidcSignInError) -> Response {
    let provider = ctx
        .state
        .app
        .oidc_provider_name()
        .unwrap_or("The identity provider")
        .to_owned();
    let (status, heading, message, unknown) = match err {
        OidcSignInError::ProviderDown => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is unavailable",
            format!(
                "{provider} cannot be reached at the moment. Please try again in a few minutes, or sign in with your ERN-CPMS password."
            ),
            false,
        ),
        OidcSignInError::ProviderFault => (
            StatusCode::BAD_GATEWAY,
            "Sign-in is unavailable",
            format!(
                "Signing in through {provider} is not working because of a configuration problem. The administrators have been told in the server log; please sign in with your ERN-CPMS password meanwhile."
            ),
            false,
        ),
        OidcSignInError::Refused(message) => (
            StatusCode::BAD_REQUEST,
            "Sign-in did not complete",
            message.to_owned(),
            false,
        ),
        OidcSignInError::UnknownIdentity { name } => (
            StatusCode::FORBIDDEN,
            "No ERN-CPMS account yet",
            format!(
                "{} signed you in{}, but no ERN-CPMS account is linked to this identity. Request access to an ERN; once approved, you can sign in this way.",
                provider,
                name.map(|n| format!(" as {n}")).unwrap_or_default()
            ),
            true,
        ),
        OidcSignInError::Other(err) => return ctx.fail(err).into_response(),
    };
    let page = FailedPage {
        shell: ctx.shell("signin"),
        heading,
        message,
        unknown,
    };
    with_status(status, render(&page))
}

/// Sets (or, with an empty value, clears) the cookie holding the flow's
/// handle; it lives only as long as a sign-in at the provider may take.
fn set_flow_cookie(state: &AppState, response: &mut Response, value: &str) {
    let age = if value.is_empty() { 0 } else { 600 };
    let cookie = format!(
        "{FLOW_COOKIE}={value}{}; Max-Age={age}",
        state.cookie_attributes()
    );
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
}
