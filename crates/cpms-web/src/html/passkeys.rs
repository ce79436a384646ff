//! Passkeys on the person's own pages: registering one (from the forced
//! enrolment or the security page), renaming and removing. The browser
//! ceremony is in `cpms.js`; it fills the `response` field of these forms.

use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::response::Response;
use cpms_app::ErrorCode;
use cpms_domain::session::SessionStage;
use serde::Deserialize;

use super::account::{enrol_page, enrolled_page, security_page};
use crate::error::PageError;
use crate::extract::Ctx;

#[derive(Deserialize)]
pub(crate) struct Register {
    handle: String,
    /// The browser's `PublicKeyCredential`, as JSON.
    response: String,
    name: String,
}

pub(crate) async fn register(ctx: Ctx, Form(form): Form<Register>) -> Result<Response, PageError> {
    let caller = ctx.enrolling()?;
    let result = ctx
        .state
        .app
        .finish_passkey_registration(caller, &form.handle, &form.response, &form.name)
        .await;
    match result {
        Ok(enrolled) => Ok(enrolled_page(&ctx, enrolled, "Passkey added")),
        // Cancelled dialog, expired challenge, bad name: the same page again
        // with the message and a fresh challenge.
        Err(err) if err.code == ErrorCode::Invalid => {
            let mut page = if caller.stage == SessionStage::Enrolment {
                enrol_page(&ctx, caller, Some(err.message)).await?
            } else {
                security_page(&ctx, None, Some(err.message)).await?
            };
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

#[derive(Deserialize)]
pub(crate) struct Rename {
    name: String,
}

pub(crate) async fn rename(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Rename>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    match ctx.state.app.rename_passkey(caller, &id, &form.name).await {
        Ok(()) => security_page(&ctx, Some("The passkey is renamed."), None).await,
        Err(err) if err.code == ErrorCode::Invalid => {
            let mut page = security_page(&ctx, None, Some(err.message)).await?;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

pub(crate) async fn remove(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .remove_passkey(caller, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    security_page(&ctx, Some("The passkey is removed."), None).await
}
