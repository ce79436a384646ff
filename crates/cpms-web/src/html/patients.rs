//! Patient pages: the centre's list, enrolment, the record with its
//! sections and type-ahead coding, and the history with a diff.

use askama::Template;
use axum::extract::{Form, FromRequest, Multipart, Path, Query, Request};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::AppError;
use cpms_app::attachments::Upload;
use cpms_app::patients::{EnrolForm, History, PatientList, RecordView};
use cpms_domain::record::{
    Classification, DiagnosisStatus, Onset, Presence, RecordChange, Zygosity,
};
use serde::Deserialize;

use super::template_fields::{self, Control, FieldRow};
use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::html::attachments::read_multipart;
use crate::shell::Shell;

#[derive(Deserialize, Default)]
pub(crate) struct ListParams {
    q: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "patient_list.html")]
struct ListPage {
    shell: Shell,
    list: PatientList,
    q: String,
    sort: String,
}

impl ListPage {
    /// The list's URL with another page number, keeping search and sort.
    fn page_href(&self, page: &i64) -> String {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &self.q)
            .append_pair("sort", &self.sort)
            .append_pair("page", &page.to_string())
            .finish();
        format!("/centres/{}/patients?{query}", self.list.hcp.code)
    }
}

pub(crate) async fn list(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let request = cpms_app::patients::ListRequest {
        search: params.q.clone(),
        sort: params.sort.clone(),
        page: params.page,
    };
    let list = ctx
        .state
        .app
        .patient_list(caller, &code, &request)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&ListPage {
        shell: ctx.shell("centre"),
        list,
        q: params.q.unwrap_or_default(),
        sort: params.sort.unwrap_or_else(|| "newest".into()),
    }))
}

#[derive(Template)]
#[template(path = "patient_enrol.html")]
struct EnrolPage {
    shell: Shell,
    code: String,
    error: Option<String>,
    form: EnrolFields,
}

#[derive(Deserialize, Default)]
pub(crate) struct EnrolFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    record_number: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    nickname: String,
    #[serde(default)]
    care_consent_date: String,
    registry_consent: Option<String>,
    research_contact_consent: Option<String>,
}

pub(crate) async fn enrol_form(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    ctx.signed_in()?;
    Ok(render(&EnrolPage {
        shell: ctx.shell("centre"),
        code,
        error: None,
        form: EnrolFields::default(),
    }))
}

pub(crate) async fn enrol(
    ctx: Ctx,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let (fields, signed_consent) = enrol_submission(request).await.map_err(|e| ctx.fail(e))?;
    let form = EnrolForm {
        name: fields.name.clone(),
        date_of_birth: fields.date_of_birth.clone(),
        record_number: fields.record_number.clone(),
        sex: fields.sex.clone(),
        country: fields.country.clone(),
        nickname: fields.nickname.clone(),
        care_consent_date: fields.care_consent_date.clone(),
        registry_consent: fields.registry_consent.is_some(),
        research_contact_consent: fields.research_contact_consent.is_some(),
        signed_consent,
    };
    match ctx.state.app.enrol(caller, &code, &form).await {
        Ok(pseudonym) => Ok(Redirect::to(&format!("/patients/{pseudonym}")).into_response()),
        Err(err) if err.code == cpms_app::ErrorCode::Invalid => {
            let page = render(&EnrolPage {
                shell: ctx.shell("centre"),
                code,
                error: Some(err.message),
                form: fields,
            });
            Ok(crate::error::with_status(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page,
            ))
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// The enrolment form as the page sends it (multipart, with an optional
/// scan of the signed consent form) or as a plain form without a file.
async fn enrol_submission(request: Request) -> Result<(EnrolFields, Option<Upload>), AppError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let unreadable =
        |text: String| AppError::invalid(format!("The form could not be read: {text}"));
    if !multipart {
        let Form(fields) = Form::<EnrolFields>::from_request(request, &())
            .await
            .map_err(|e| unreadable(e.body_text()))?;
        return Ok((fields, None));
    }
    let parts = Multipart::from_request(request, &())
        .await
        .map_err(|e| unreadable(e.body_text()))?;
    let (upload, pairs) = read_multipart(parts, "signed_consent").await?;
    let object = pairs
        .into_iter()
        .map(|(name, value)| (name, serde_json::Value::String(value)))
        .collect();
    let fields = serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| unreadable(e.to_string()))?;
    Ok((fields, upload))
}

/// The model consent form for the centre, to print and sign.
pub(crate) async fn consent_form(
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let pdf = ctx
        .state
        .app
        .consent_form(caller, &code)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"consent-form.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "patient_record.html")]
struct RecordPage {
    shell: Shell,
    v: RecordView,
    pedigree_svg: Option<String>,
    onsets: [Onset; 7],
    statuses: [DiagnosisStatus; 3],
    zygosities: [Zygosity; 6],
    classifications: [Classification; 5],
    fields: Vec<FieldRow>,
}

pub(crate) async fn record(ctx: Ctx, Path(pseudonym): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let v = ctx
        .state
        .app
        .record(caller, &pseudonym)
        .await
        .map_err(|e| ctx.fail(e))?;
    let pedigree_svg = v
        .record
        .pedigree
        .as_ref()
        .map(|p| crate::html::pedigree::drawing(p, v.patient.pseudonym.as_str()));
    let fields = template_fields::rows(ctx.state.app.case_template(&v.patient.ern), &v.record);
    Ok(render(&RecordPage {
        shell: ctx.shell("centre"),
        pedigree_svg,
        v,
        onsets: Onset::ALL,
        statuses: DiagnosisStatus::ALL,
        zygosities: Zygosity::ALL,
        classifications: Classification::ALL,
        fields,
    }))
}

#[derive(Deserialize)]
pub(crate) struct PhenotypeFields {
    code: String,
    presence: String,
    #[serde(default)]
    onset: String,
}

pub(crate) async fn add_phenotype(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<PhenotypeFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let presence = match f.presence.as_str() {
        "excluded" => Presence::Excluded,
        _ => Presence::Observed,
    };
    let onset = Onset::ALL
        .into_iter()
        .find(|o| format!("{o:?}").eq_ignore_ascii_case(&f.onset));
    ctx.state
        .app
        .add_phenotype(caller, &pseudonym, &f.code, presence, onset)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#phenotype")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct DiagnosisFields {
    code: String,
    status: String,
}

pub(crate) async fn add_diagnosis(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<DiagnosisFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let status = DiagnosisStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == f.status)
        .ok_or_else(|| ctx.fail(cpms_app::AppError::invalid("status: choose one")))?;
    ctx.state
        .app
        .add_diagnosis(caller, &pseudonym, &f.code, status)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#diagnoses")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct SummaryFields {
    summary: String,
}

pub(crate) async fn summary(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<SummaryFields>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .change_record(
            caller,
            &pseudonym,
            RecordChange::Summary { text: f.summary },
        )
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#summary")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct CompareParams {
    a: Option<i64>,
    b: Option<i64>,
}

#[derive(Template)]
#[template(path = "patient_history.html")]
struct HistoryPage {
    shell: Shell,
    h: History,
}

pub(crate) async fn history(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Query(params): Query<CompareParams>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let compare = params.a.zip(params.b);
    let h = ctx
        .state
        .app
        .history(caller, &pseudonym, compare)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&HistoryPage {
        shell: ctx.shell("centre"),
        h,
    }))
}
