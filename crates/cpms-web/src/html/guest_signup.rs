//! The guest sign-up of an invitation link: a short form (name, user name,
//! hospital, country, profession and expertise, password; the e-mail is the invited
//! address), then the second-factor enrolment every account goes through.
//! Links that are unknown, used or expired get a page saying so.

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::panels::{GuestInvitationView, GuestSignUpForm};
use cpms_app::{AppError, ErrorCode};

use super::auth::set_session_cookie;
use crate::error::{PageError, plain_error_page, render, with_status};
use crate::extract::{Ctx, ENROLMENT_PAGE};
use crate::html::form::Fields;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "guest_signup.html")]
struct GuestSignUpPage {
    shell: Shell,
    token: String,
    v: GuestInvitationView,
    f: GuestSignUpForm,
    error: Option<String>,
}

/// `GET /guest-invitations/{token}`.
pub(crate) async fn page(ctx: Ctx, Path(token): Path<String>) -> Result<Response, PageError> {
    let form = GuestSignUpForm::default();
    show(&ctx, token, form, None).await
}

/// `POST /guest-invitations/{token}`: creates the account and goes on to
/// the second-factor enrolment.
pub(crate) async fn submit(
    ctx: Ctx,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = Fields::parse(&body);
    let form = GuestSignUpForm {
        display_name: f.one("display_name").to_owned(),
        username: f.one("username").to_owned(),
        hospital: f.one("hospital").to_owned(),
        country: f.one("country").to_owned(),
        profession: f.one("profession").to_owned(),
        specialist_in: f.one("specialist_in").to_owned(),
    };
    let joined = ctx
        .state
        .app
        .join_as_guest(&token, &form, f.one("password"), ctx.client.clone())
        .await;
    match joined {
        Ok(joined) => {
            let mut response = Redirect::to(ENROLMENT_PAGE).into_response();
            set_session_cookie(&ctx.state, &mut response, joined.token.as_str());
            Ok(response)
        }
        Err(err) if err.code == ErrorCode::Invalid => show(&ctx, token, form, Some(err)).await,
        Err(err) => Err(unusable(&ctx, err)),
    }
}

async fn show(
    ctx: &Ctx,
    token: String,
    f: GuestSignUpForm,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let v = match ctx.state.app.guest_invitation(&token).await {
        Ok(v) => v,
        Err(err) => return Err(unusable(ctx, err)),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&GuestSignUpPage {
        shell: ctx.shell("signup"),
        token,
        v,
        f,
        error: error.map(|e| e.message),
    });
    Ok(with_status(status, page))
}

/// An unknown link is "not found"; a used or expired one is gone.
fn unusable(ctx: &Ctx, err: AppError) -> PageError {
    let status = match err.code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Invalid => StatusCode::GONE,
        _ => return ctx.fail(err),
    };
    PageError::new(plain_error_page(
        &ctx.state,
        status,
        "This invitation cannot be used",
        &err.message,
    ))
}
