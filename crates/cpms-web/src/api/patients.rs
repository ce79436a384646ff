//! Patients through the JSON API: enrol, the owner's list, the record,
//! coding it (phenotypes, diagnoses, summary) and its history. The same use
//! cases as the pages, so the same policy decisions and audit events.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::AppError;
use cpms_app::patients::{EnrolForm, History, ListRequest, RecordView, Total};
use cpms_domain::patient::{Consent, Patient};
use cpms_domain::record::{DiagnosisStatus, Onset, Presence, RecordChange};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::state::AppState;

/// What enrolment needs; the care consent date is required.
#[derive(Deserialize, ToSchema)]
pub(crate) struct Enrolment {
    name: String,
    /// `YYYY-MM-DD`.
    date_of_birth: String,
    /// The hospital's own record number.
    record_number: String,
    /// `male`, `female` or `unknown`.
    #[serde(default)]
    sex: String,
    /// Two-letter country of residence.
    country: String,
    #[serde(default)]
    nickname: String,
    /// Day the care consent was given (`YYYY-MM-DD`).
    #[serde(default)]
    care_consent_date: String,
    #[serde(default)]
    registry_consent: bool,
    #[serde(default)]
    research_contact_consent: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Enrolled {
    pseudonym: String,
}

/// One patient as their enrolling clinician sees them.
#[derive(Serialize, ToSchema)]
pub(crate) struct PatientJson {
    pseudonym: String,
    nickname: Option<String>,
    /// `male`, `female` or `unknown`.
    sex: String,
    birth_year: i16,
    country: String,
    ern: String,
    /// `active`, `locked` or `erased`.
    status: String,
    enrolled_at: String,
    /// Absent once erased.
    identity: Option<IdentityJson>,
    consents: Vec<ConsentJson>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct IdentityJson {
    name: String,
    date_of_birth: String,
    record_number: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ConsentJson {
    /// `care`, `registry` or `research_contact`.
    kind: String,
    /// `given`, `refused` or `withdrawn`.
    status: String,
    date: String,
}

fn patient_json(p: Patient) -> PatientJson {
    PatientJson {
        pseudonym: p.pseudonym.to_string(),
        nickname: p.nickname,
        sex: plain(&p.sex),
        birth_year: p.birth_year,
        country: p.country.as_str().to_owned(),
        ern: p.ern.as_str().to_owned(),
        status: p.status.as_str().to_owned(),
        enrolled_at: p.enrolled_at.to_string(),
        identity: p.identity.map(|i| IdentityJson {
            name: i.name,
            date_of_birth: i.date_of_birth.to_string(),
            record_number: i.record_number,
        }),
        consents: p.consents.iter().map(consent_json).collect(),
    }
}

pub(super) fn consent_json(c: &Consent) -> ConsentJson {
    ConsentJson {
        kind: c.kind.as_str().to_owned(),
        status: c.status.as_str().to_owned(),
        date: c.date.to_string(),
    }
}

/// A unit enum's serde name (`female`, `observed`, …).
pub(super) fn plain(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Enrols a patient at a centre under care consent.
#[utoipa::path(
    post,
    path = "/api/v1/centres/{code}/patients",
    tag = "patients",
    params(("code" = String, Path, description = "The centre's HCP code")),
    request_body = Enrolment,
    responses(
        (status = 201, description = "Enrolled; Location names the record", body = Enrolled),
        (status = 403, description = "Not allowed to enrol here", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such centre", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input, e.g. no care consent", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn enrol(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<Enrolment>,
) -> Result<Response, Problem> {
    let form = EnrolForm {
        name: body.name,
        date_of_birth: body.date_of_birth,
        record_number: body.record_number,
        sex: body.sex,
        country: body.country,
        nickname: body.nickname,
        care_consent_date: body.care_consent_date,
        registry_consent: body.registry_consent,
        research_contact_consent: body.research_contact_consent,
        // A scan of the signed form is uploaded through the page.
        signed_consent: None,
    };
    let pseudonym = state.app.enrol(&caller, &code, &form).await?.to_string();
    let location = format!("/api/v1/patients/{pseudonym}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(Enrolled { pseudonym }),
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
pub(crate) struct ListParams {
    /// The start of a pseudonym or of a nickname.
    q: Option<String>,
    /// `newest` (default), `oldest`, `pseudonym` or `nickname`.
    sort: Option<String>,
    /// From 1.
    page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PatientPage {
    patients: Vec<PatientJson>,
    /// How many patients match, counted up to 1,000…
    total: i64,
    /// …and whether that is all of them (`false`: more than `total`).
    total_exact: bool,
    page: i64,
    /// The number of pages when `total` is exact.
    pages: Option<i64>,
    /// Whether there is a page after this one.
    more: bool,
}

/// The caller's own patients at a centre, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/centres/{code}/patients",
    tag = "patients",
    params(("code" = String, Path, description = "The centre's HCP code"), ListParams),
    responses(
        (status = 200, description = "One page of the caller's patients", body = PatientPage),
        (status = 403, description = "Not a member of this centre", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown sort order", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<Json<PatientPage>, Problem> {
    let request = ListRequest {
        search: params.q,
        sort: params.sort,
        page: params.page,
    };
    let list = state.app.patient_list(&caller, &code, &request).await?;
    let (total, total_exact) = match list.total {
        Total::Exactly(n) => (n, true),
        Total::Over(n) => (n, false),
    };
    Ok(Json(PatientPage {
        patients: list.patients.into_iter().map(patient_json).collect(),
        total,
        total_exact,
        page: list.page,
        pages: list.total.pages(),
        more: list.more,
    }))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct RecordJson {
    patient: PatientJson,
    version: i64,
    /// The sections: summary, diagnoses, phenotypes, genetics, labs,
    /// treatments, pedigree.
    #[schema(value_type = Object)]
    record: serde_json::Value,
}

fn record_json(v: RecordView) -> Result<RecordJson, AppError> {
    Ok(RecordJson {
        record: serde_json::to_value(&v.record).map_err(AppError::internal)?,
        version: v.version,
        patient: patient_json(v.patient),
    })
}

/// The whole current record with the patient's identity (enrolling
/// clinician and their assistants only).
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}",
    tag = "patients",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "The current record", body = RecordJson),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed pseudonym or wrong check character", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn record(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<RecordJson>, Problem> {
    let view = state.app.record(&caller, &pseudonym).await?;
    Ok(Json(record_json(view)?))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct NewPhenotype {
    /// An HPO code, e.g. `HP:0001250`.
    code: String,
    /// `observed` (default) or `excluded`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    presence: Option<Presence>,
    /// `antenatal`, `congenital`, `neonatal`, `infantile`, `childhood`,
    /// `juvenile` or `adult`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    onset: Option<Onset>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct NewVersion {
    /// The record version the change created.
    version: i64,
}

pub(super) fn created(version: i64) -> (StatusCode, Json<NewVersion>) {
    (StatusCode::CREATED, Json(NewVersion { version }))
}

/// Adds an HPO phenotype; a new record version.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/phenotypes",
    tag = "patients",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = NewPhenotype,
    responses(
        (status = 201, description = "Added", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown code or invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add_phenotype(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<NewPhenotype>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let presence = body.presence.unwrap_or(Presence::Observed);
    let version = state
        .app
        .add_phenotype(&caller, &pseudonym, &body.code, presence, body.onset)
        .await?;
    Ok(created(version))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct NewDiagnosis {
    /// An ORPHA, OMIM or ICD-10 code, e.g. `ORPHA:558`.
    code: String,
    /// `suspected`, `confirmed` or `excluded`.
    #[schema(value_type = String)]
    status: DiagnosisStatus,
}

/// Adds a diagnosis; a new record version.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/diagnoses",
    tag = "patients",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = NewDiagnosis,
    responses(
        (status = 201, description = "Added", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown code or invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add_diagnosis(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<NewDiagnosis>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let version = state
        .app
        .add_diagnosis(&caller, &pseudonym, &body.code, body.status)
        .await?;
    Ok(created(version))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct Summary {
    text: String,
}

/// Replaces the clinical summary; a new record version.
#[utoipa::path(
    put,
    path = "/api/v1/patients/{pseudonym}/summary",
    tag = "patients",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = Summary,
    responses(
        (status = 201, description = "Replaced", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn summary(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<Summary>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let change = RecordChange::Summary { text: body.text };
    let version = state.app.change_record(&caller, &pseudonym, change).await?;
    Ok(created(version))
}

#[derive(Deserialize, IntoParams)]
pub(crate) struct CompareParams {
    /// One version to compare…
    a: Option<i64>,
    /// …with this one.
    b: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct VersionJson {
    version: i64,
    at: String,
    author: String,
    on_behalf_of: Option<String>,
    description: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct DiffJson {
    older: i64,
    newer: i64,
    lines: Vec<DiffLineJson>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct DiffLineJson {
    section: String,
    text: String,
    /// `true`: in the newer version only; `false`: in the older only.
    added: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct HistoryJson {
    /// Newest first.
    versions: Vec<VersionJson>,
    /// When `a` and `b` were given.
    compared: Option<DiffJson>,
}

fn history_json(h: History) -> HistoryJson {
    HistoryJson {
        versions: h
            .versions
            .into_iter()
            .map(|v| VersionJson {
                version: v.version,
                at: v.at.to_string(),
                author: v.author.to_string(),
                on_behalf_of: v.on_behalf_of.map(|u| u.to_string()),
                description: v.description,
            })
            .collect(),
        compared: h.compared.map(|(older, newer, lines)| DiffJson {
            older,
            newer,
            lines: lines
                .into_iter()
                .map(|l| DiffLineJson {
                    section: plain(&l.section),
                    text: l.text,
                    added: l.added,
                })
                .collect(),
        }),
    }
}

/// Every version of the record and, with `a` and `b`, what changed.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/history",
    tag = "patients",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym"), CompareParams),
    responses(
        (status = 200, description = "The history", body = HistoryJson),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn history(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    Query(params): Query<CompareParams>,
) -> Result<Json<HistoryJson>, Problem> {
    let h = state
        .app
        .history(&caller, &pseudonym, params.a.zip(params.b))
        .await?;
    Ok(Json(history_json(h)))
}
