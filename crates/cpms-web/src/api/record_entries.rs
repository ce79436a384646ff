//! Genetics, laboratory results and treatments through the JSON API: each
//! list as it stands in the current version, and the post that adds one
//! entry. Bodies carry the same text fields as the page's forms and are read
//! and validated by the same application methods.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cpms_app::patients::{LabForm, TreatmentForm, VariantForm};
use cpms_domain::record::{LabResult, Treatment, Variant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::patients::{NewVersion, created};
use super::{ApiCaller, Problem};
use crate::state::AppState;

/// A variant, as read and as added.
#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct VariantJson {
    /// HGNC symbol, e.g. `FBN1`.
    gene: String,
    /// HGVS description, e.g. `NM_000138.5:c.1585C>T`.
    hgvs: String,
    /// `heterozygous`, `homozygous`, `hemizygous`, `compound_heterozygous`,
    /// `mosaic` or `unknown`.
    zygosity: String,
    /// ACMG class: `pathogenic`, `likely_pathogenic`, `uncertain_significance`,
    /// `likely_benign` or `benign`.
    classification: String,
}

impl From<&Variant> for VariantJson {
    fn from(v: &Variant) -> Self {
        VariantJson {
            gene: v.gene.clone(),
            hgvs: v.hgvs.clone(),
            zygosity: v.zygosity.as_str().to_owned(),
            classification: v.classification.as_str().to_owned(),
        }
    }
}

/// A laboratory result, as read and as added.
#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct LabJson {
    name: String,
    /// LOINC code with its check digit, e.g. `2157-6`; may be empty.
    #[serde(default)]
    loinc: String,
    value: String,
    #[serde(default)]
    unit: String,
    /// e.g. `30–200`; may be empty.
    #[serde(default)]
    reference_range: String,
    /// `YYYY-MM-DD`.
    date: String,
}

impl From<&LabResult> for LabJson {
    fn from(l: &LabResult) -> Self {
        LabJson {
            name: l.name.clone(),
            loinc: l.loinc.clone().unwrap_or_default(),
            value: l.value.clone(),
            unit: l.unit.clone(),
            reference_range: l.reference_range.clone().unwrap_or_default(),
            date: l.date.to_string(),
        }
    }
}

/// A treatment, as read and as added.
#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct TreatmentJson {
    name: String,
    /// `YYYY-MM-DD` or empty.
    #[serde(default)]
    started: String,
    /// `YYYY-MM-DD` or empty (ongoing).
    #[serde(default)]
    ended: String,
    #[serde(default)]
    note: String,
}

impl From<&Treatment> for TreatmentJson {
    fn from(t: &Treatment) -> Self {
        let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        TreatmentJson {
            name: t.name.clone(),
            started: day(t.started),
            ended: day(t.ended),
            note: t.note.clone(),
        }
    }
}

/// One section's entries in the current version.
#[derive(Serialize, ToSchema)]
pub(crate) struct Entries<T> {
    version: i64,
    entries: Vec<T>,
}

const PSEUDONYM: &str = "The patient's pseudonym";

/// The variants in the current version.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/variants",
    tag = "record",
    params(("pseudonym" = String, Path, description = PSEUDONYM)),
    responses(
        (status = 200, description = "The variants", body = Entries<VariantJson>),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn variants(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<Entries<VariantJson>>, Problem> {
    let view = state.app.record(&caller, &pseudonym).await?;
    Ok(Json(Entries {
        version: view.version,
        entries: view.record.genetics.iter().map(VariantJson::from).collect(),
    }))
}

/// Adds a variant; a new record version.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/variants",
    tag = "record",
    params(("pseudonym" = String, Path, description = PSEUDONYM)),
    request_body = VariantJson,
    responses(
        (status = 201, description = "Added", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid gene, HGVS, zygosity or class, or a locked record", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add_variant(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<VariantJson>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let form = VariantForm {
        gene: body.gene,
        hgvs: body.hgvs,
        zygosity: body.zygosity,
        classification: body.classification,
    };
    Ok(created(
        state.app.add_variant(&caller, &pseudonym, &form).await?,
    ))
}

/// The laboratory results in the current version.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/labs",
    tag = "record",
    params(("pseudonym" = String, Path, description = PSEUDONYM)),
    responses(
        (status = 200, description = "The results", body = Entries<LabJson>),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn labs(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<Entries<LabJson>>, Problem> {
    let view = state.app.record(&caller, &pseudonym).await?;
    Ok(Json(Entries {
        version: view.version,
        entries: view.record.labs.iter().map(LabJson::from).collect(),
    }))
}

/// Adds a laboratory result; a new record version.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/labs",
    tag = "record",
    params(("pseudonym" = String, Path, description = PSEUDONYM)),
    request_body = LabJson,
    responses(
        (status = 201, description = "Added", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing name or value, a LOINC code with a wrong check digit, a bad date, or a locked record", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add_lab(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<LabJson>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let form = LabForm {
        name: body.name,
        loinc: body.loinc,
        value: body.value,
        unit: body.unit,
        reference_range: body.reference_range,
        date: body.date,
    };
    Ok(created(
        state.app.add_lab(&caller, &pseudonym, &form).await?,
    ))
}

/// The treatments in the current version.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/treatments",
    tag = "record",
    params(("pseudonym" = String, Path, description = PSEUDONYM)),
    responses(
        (status = 200, description = "The treatments", body = Entries<TreatmentJson>),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn treatments(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<Entries<TreatmentJson>>, Problem> {
    let view = state.app.record(&caller, &pseudonym).await?;
    Ok(Json(Entries {
        version: view.version,
        entries: view
            .record
            .treatments
            .iter()
            .map(TreatmentJson::from)
            .collect(),
    }))
}

/// Adds a treatment; a new record version.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/treatments",
    tag = "record",
    params(("pseudonym" = String, Path, description = PSEUDONYM)),
    request_body = TreatmentJson,
    responses(
        (status = 201, description = "Added", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing name, a bad date, an end before the start, or a locked record", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add_treatment(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<TreatmentJson>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let form = TreatmentForm {
        name: body.name,
        started: body.started,
        ended: body.ended,
        note: body.note,
    };
    Ok(created(
        state.app.add_treatment(&caller, &pseudonym, &form).await?,
    ))
}
