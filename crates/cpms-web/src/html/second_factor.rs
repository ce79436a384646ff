//! The second step of signing in: a code from the authenticator app, or a
//! recovery code when the device is lost.

use askama::Template;
use axum::extract::{Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::ErrorCode;
use cpms_app::auth::SecondFactor;
use serde::Deserialize;

use super::auth::{Next, safe_next, set_session_cookie};
use crate::error::{render, with_status};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    shell: Shell,
    name: String,
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
    render(&SecondFactorPage {
        shell: ctx.shell("signin"),
        name: pending.user.display_name.clone(),
        error: None,
        recovery: false,
        next,
    })
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    /// `totp` or `recovery`.
    method: String,
    code: String,
    next: Option<String>,
}

pub(crate) async fn submit(ctx: Ctx, Form(form): Form<CodeForm>) -> Response {
    let next = safe_next(form.next.as_deref());
    let Some(pending) = ctx.at_second_step() else {
        return Redirect::to("/signin").into_response();
    };
    let recovery = form.method == "recovery";
    let factor = if recovery {
        SecondFactor::RecoveryCode(&form.code)
    } else {
        SecondFactor::Totp(&form.code)
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
            let page = SecondFactorPage {
                shell: ctx.shell("signin"),
                name: pending.user.display_name.clone(),
                error: Some(err.message),
                recovery,
                next,
            };
            with_status(status, render(&page))
        }
    }
}
