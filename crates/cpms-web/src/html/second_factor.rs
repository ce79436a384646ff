//! The second step of signing in: a passkey, a code from the authenticator
//! app, or a recovery code when the device is lost.

use askama::Template;
use axum::extract::{Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::auth::{PasskeyOffer, SecondFactor};
use cpms_app::{Caller, ErrorCode};
use serde::Deserialize;

use super::auth::{Next, safe_next, set_session_cookie};
use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    shell: Shell,
    name: String,
    /// Offered first when the person has passkeys.
    passkey: Option<PasskeyOffer>,
    error: Option<String>,
    /// Open the recovery-code form instead of the app-code one.
    recovery: bool,
    next: String,
}

pub(crate) async fn form(ctx: Ctx, Query(q): Query<Next>) -> Response {
    let next = safe_next(q.next.as_deref());
    let Some(pending) = ctx.at_second_step() else {
        // Nothing half done: signed in already, or never started.
        return Redirect::to(if ctx.caller.is_some() {
            &next
        } else {
            "/signin"
        })
        .into_response();
    };
    page(&ctx, pending, None, false, next)
        .await
        .unwrap_or_else(PageError::into_response)
}

async fn page(
    ctx: &Ctx,
    pending: &Caller,
    error: Option<String>,
    recovery: bool,
    next: String,
) -> Result<Response, PageError> {
    let passkey = ctx
        .state
        .app
        .start_passkey_sign_in(pending)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&SecondFactorPage {
        shell: ctx.shell("signin"),
        name: pending.user.display_name.clone(),
        passkey,
        error,
        recovery,
        next,
    }))
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    /// `passkey`, `totp` or `recovery`.
    method: String,
    #[serde(default)]
    code: String,
    /// For a passkey: the challenge's handle and the browser's answer.
    #[serde(default)]
    handle: String,
    #[serde(default)]
    response: String,
    next: Option<String>,
}

pub(crate) async fn submit(ctx: Ctx, Form(form): Form<CodeForm>) -> Response {
    let next = safe_next(form.next.as_deref());
    let Some(pending) = ctx.at_second_step() else {
        return Redirect::to("/signin").into_response();
    };
    let recovery = form.method == "recovery";
    let factor = match form.method.as_str() {
        "recovery" => SecondFactor::RecoveryCode(&form.code),
        "passkey" => SecondFactor::Passkey {
            handle: &form.handle,
            response: &form.response,
        },
        _ => SecondFactor::Totp(&form.code),
    };
    match ctx.state.app.complete_sign_in(pending, factor).await {
        Ok(token) => {
            let mut response = Redirect::to(&next).into_response();
            set_session_cookie(&ctx.state, &mut response, token.as_str());
            response
        }
        Err(err) => {
            let status = match err.code {
                ErrorCode::InvalidCredentials => StatusCode::UNAUTHORIZED,
                ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
                _ => return ctx.fail(err).into_response(),
            };
            match page(&ctx, pending, Some(err.message), recovery, next).await {
                Ok(page) => with_status(status, page),
                Err(failed) => failed.into_response(),
            }
        }
    }
}
