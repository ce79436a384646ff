//! The record page's genetics, laboratory and treatment cards: the form
//! posts that add an entry. The application reads and validates the typed
//! text (the API's handlers call the same methods).

use axum::extract::{Form, Path};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::patients::{LabForm, TreatmentForm, VariantForm};
use serde::Deserialize;

use crate::error::PageError;
use crate::extract::Ctx;

#[derive(Deserialize)]
pub(crate) struct VariantFields {
    #[serde(default)]
    gene: String,
    #[serde(default)]
    hgvs: String,
    #[serde(default)]
    zygosity: String,
    #[serde(default)]
    classification: String,
}

pub(crate) async fn add_variant(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<VariantFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let form = VariantForm {
        gene: f.gene,
        hgvs: f.hgvs,
        zygosity: f.zygosity,
        classification: f.classification,
    };
    ctx.state
        .app
        .add_variant(caller, &pseudonym, &form)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#genetics")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct LabFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    loinc: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    reference_range: String,
    #[serde(default)]
    date: String,
}

pub(crate) async fn add_lab(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<LabFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let form = LabForm {
        name: f.name,
        loinc: f.loinc,
        value: f.value,
        unit: f.unit,
        reference_range: f.reference_range,
        date: f.date,
    };
    ctx.state
        .app
        .add_lab(caller, &pseudonym, &form)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#labs")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct TreatmentFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    started: String,
    #[serde(default)]
    ended: String,
    #[serde(default)]
    note: String,
}

pub(crate) async fn add_treatment(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<TreatmentFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let form = TreatmentForm {
        name: f.name,
        started: f.started,
        ended: f.ended,
        note: f.note,
    };
    ctx.state
        .app
        .add_treatment(caller, &pseudonym, &form)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#treatments")).into_response())
}
