//! The fields the patient's ERN adds to the record (its case template)
//! through the JSON API: the definitions with the current values, and the
//! post that sets one. Values are typed as on the page and checked against
//! their definition by the same application method.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::patients::{NewVersion, created};
use super::{ApiCaller, Problem};
use crate::html::template_fields::{Control, FieldRow, rows};
use crate::state::AppState;

/// One field of the template with its value in the current version.
#[derive(Serialize, ToSchema)]
pub(crate) struct TemplateFieldJson {
    /// The name to set it by.
    key: String,
    label: String,
    help: String,
    /// `text`, `number`, `date`, `choice` or `coded`.
    kind: String,
    /// Numbers: the unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    /// Choices: the values allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    choices: Option<Vec<String>>,
    /// Coded terms: `hpo` or `disease`.
    #[serde(skip_serializing_if = "Option::is_none")]
    terminology: Option<String>,
    /// The value as it would be typed (a number without its unit, a date
    /// `YYYY-MM-DD`, a code); absent when not set.
    value: Option<String>,
    /// The value as the page shows it (with its unit, or code and name).
    shown: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct TemplateFields {
    /// The patient's network, whose template this is.
    ern: String,
    version: i64,
    /// Empty when the network has no template.
    fields: Vec<TemplateFieldJson>,
}

/// The page's rows of the template, as JSON.
fn field_json(row: FieldRow) -> TemplateFieldJson {
    let set = |s: String| (!s.is_empty()).then_some(s);
    let mut json = TemplateFieldJson {
        key: row.key,
        label: row.label,
        help: row.help,
        kind: String::new(),
        unit: None,
        choices: None,
        terminology: None,
        value: set(row.typed),
        shown: set(row.shown),
    };
    json.kind = match row.control {
        Control::Text => "text",
        Control::Number { unit } => {
            json.unit = Some(unit);
            "number"
        }
        Control::Date => "date",
        Control::Choice { choices } => {
            json.choices = Some(choices);
            "choice"
        }
        Control::Coded { terminology } => {
            json.terminology = Some(terminology);
            "coded"
        }
    }
    .to_owned();
    json
}

/// The ERN's template fields with their current values.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/fields",
    tag = "record",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "The template and its values", body = TemplateFields),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<TemplateFields>, Problem> {
    let view = state.app.record(&caller, &pseudonym).await?;
    let template = state.app.case_template(&view.patient.ern);
    Ok(Json(TemplateFields {
        ern: view.patient.ern.as_str().to_owned(),
        version: view.version,
        fields: rows(template, &view.record)
            .into_iter()
            .map(field_json)
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct FieldSetting {
    /// A key of the template.
    key: String,
    /// As typed: text, a number (in the field's unit), `YYYY-MM-DD`, one
    /// of the choices, or a code of the field's terminology.
    value: String,
}

/// Sets one template field; a new record version.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/fields",
    tag = "record",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    request_body = FieldSetting,
    responses(
        (status = 201, description = "Set", body = NewVersion),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such field, a value its definition refuses, or a locked record", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn set(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    ApiJson(body): ApiJson<FieldSetting>,
) -> Result<(StatusCode, Json<NewVersion>), Problem> {
    let version = state
        .app
        .set_template_field(&caller, &pseudonym, &body.key, &body.value)
        .await?;
    Ok(created(version))
}
