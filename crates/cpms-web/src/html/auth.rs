//! Sign-in and sign-out.

use askama::Template;
use axum::extract::{Form, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::ErrorCode;
use cpms_domain::session::SessionStage;
use serde::Deserialize;

use crate::error::{PageError, render, with_status};
use crate::extract::{Ctx, ENROLMENT_PAGE, SECOND_FACTOR_PAGE};
use crate::shell::Shell;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    shell: Shell,
    error: Option<String>,
    username: String,
    next: String,
    /// The OpenID provider's name and where its button leads, when sign-in
    /// through it is configured.
    provider: Option<(String, String)>,
}

#[derive(Deserialize)]
pub(crate) struct Next {
    pub(crate) next: Option<String>,
}

/// The second step, coming back to `next` afterwards.
fn second_step_with(next: &str) -> String {
    format!(
        "{SECOND_FACTOR_PAGE}?next={}",
        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    )
}

/// Only paths on this site: never `//host` or `https://…` (open redirect).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub(crate) async fn form(ctx: Ctx, Query(q): Query<Next>) -> Response {
    let next = safe_next(q.next.as_deref());
    if ctx.caller.is_some() {
        return Redirect::to(&next).into_response();
    }
    render(&SignInPage {
        shell: ctx.shell("signin"),
        error: None,
        username: String::new(),
        provider: provider_button(&ctx, &next),
        next,
    })
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn submit(ctx: Ctx, Form(form): Form<SignInForm>) -> Response {
    let next = safe_next(form.next.as_deref());
    match ctx
        .state
        .app
        .sign_in_with_password(&form.username, &form.password, ctx.client.clone())
        .await
    {
        Ok(signed_in) => {
            let to = match signed_in.stage {
                SessionStage::Full => next,
                SessionStage::SecondFactor => second_step_with(&next),
                SessionStage::Enrolment => ENROLMENT_PAGE.to_owned(),
            };
            let mut response = Redirect::to(&to).into_response();
            set_session_cookie(&ctx.state, &mut response, signed_in.token.as_str());
            response
        }
        Err(err) => {
            let status = match err.code {
                ErrorCode::InvalidCredentials => StatusCode::UNAUTHORIZED,
                ErrorCode::AccountSuspended => StatusCode::FORBIDDEN,
                ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
                _ => return ctx.fail(err).into_response(),
            };
            let page = SignInPage {
                shell: ctx.shell("signin"),
                error: Some(err.message),
                username: form.username,
                provider: provider_button(&ctx, &next),
                next,
            };
            with_status(status, render(&page))
        }
    }
}

fn provider_button(ctx: &Ctx, next: &str) -> Option<(String, String)> {
    let name = ctx.state.app.oidc_provider_name()?;
    let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    Some((name.to_owned(), format!("/signin/oidc?next={next}")))
}

pub(crate) async fn sign_out(ctx: Ctx) -> Result<Response, PageError> {
    if let Some(caller) = ctx.caller.as_ref().or(ctx.pending.as_ref()) {
        ctx.state
            .app
            .sign_out(caller)
            .await
            .map_err(|e| ctx.fail(e))?;
    }
    let mut response = Redirect::to("/signin").into_response();
    set_session_cookie(&ctx.state, &mut response, "");
    Ok(response)
}

/// Sets (or, with an empty value, clears) the session cookie.
pub(crate) fn set_session_cookie(state: &AppState, response: &mut Response, value: &str) {
    let expiry = if value.is_empty() { "; Max-Age=0" } else { "" };
    let cookie = format!(
        "{}={value}{}{expiry}",
        state.session_cookie(),
        state.cookie_attributes()
    );
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(super::safe_next(Some("/erns/BOND")), "/erns/BOND");
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "erns",
        ] {
            assert_eq!(super::safe_next(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(super::safe_next(None), "/");
    }
}
