//! The data subject's rights on the record: withdrawal of care consent,
//! erasure (each confirmed on the form) and the export of everything held.

use axum::extract::{Form, Path};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::error::PageError;
use crate::extract::Ctx;

#[derive(Deserialize)]
pub(crate) struct WithdrawFields {
    confirm: Option<String>,
}

pub(crate) async fn withdraw(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<WithdrawFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .withdraw_care_consent(caller, &pseudonym, f.confirm.is_some())
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct EraseFields {
    #[serde(default)]
    confirmation: String,
}

pub(crate) async fn erase(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<EraseFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .erase_patient(caller, &pseudonym, &f.confirmation)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}")).into_response())
}

/// The whole record as one JSON file, attachments included (base64).
pub(crate) async fn export(ctx: Ctx, Path(pseudonym): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let export = ctx
        .state
        .app
        .export_patient(caller, &pseudonym)
        .await
        .map_err(|e| ctx.fail(e))?;
    let body = serde_json::to_vec_pretty(&export)
        .map_err(|e| ctx.fail(cpms_app::AppError::internal(e)))?;
    let disposition = format!("attachment; filename=\"{pseudonym}-export.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
