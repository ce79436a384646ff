//! The record page's consent card: the form post that records a registry
//! or research-contact consent decided after enrolment (the API's handler
//! calls the same method).

use axum::extract::{Form, Path};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::patients::ConsentForm;
use serde::Deserialize;

use crate::error::PageError;
use crate::extract::Ctx;

#[derive(Deserialize)]
pub(crate) struct ConsentFields {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    date: String,
}

pub(crate) async fn record(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<ConsentFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let form = ConsentForm {
        kind: f.kind,
        status: f.status,
        date: f.date,
    };
    ctx.state
        .app
        .record_consent(caller, &pseudonym, &form)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#consents")).into_response())
}
