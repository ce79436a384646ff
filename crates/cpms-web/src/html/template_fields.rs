//! The record page's "Network fields" card: the fields of the patient's
//! ERN case template, each shown with its value and a control fit for its
//! kind, and the form post that sets one.

use axum::extract::{Form, Path};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_domain::case_template::{FieldDef, FieldKind, FieldValue};
use cpms_domain::record::ClinicalRecord;
use serde::Deserialize;

use crate::error::PageError;
use crate::extract::Ctx;

/// One template field as the record page shows it.
pub(crate) struct FieldRow {
    pub key: String,
    pub label: String,
    pub help: String,
    /// The stored value, displayed; empty when not set.
    pub shown: String,
    /// What the control starts with: the stored value in its typed form.
    pub typed: String,
    pub control: Control,
}

/// The input for a kind of field.
pub(crate) enum Control {
    Text,
    Number {
        unit: String,
    },
    Date,
    Choice {
        choices: Vec<String>,
    },
    /// Type-ahead over `hpo` or `disease`.
    Coded {
        terminology: String,
    },
}

pub(crate) fn rows(fields: &[FieldDef], record: &ClinicalRecord) -> Vec<FieldRow> {
    fields
        .iter()
        .map(|f| {
            let stored = record.fields.get(&f.key).map(|e| &e.value);
            FieldRow {
                key: f.key.clone(),
                label: f.label.clone(),
                help: f.help.clone(),
                shown: stored.map(ToString::to_string).unwrap_or_default(),
                typed: stored.map(typed_form).unwrap_or_default(),
                control: match &f.kind {
                    FieldKind::Text => Control::Text,
                    FieldKind::Number { unit, .. } => Control::Number { unit: unit.clone() },
                    FieldKind::Date => Control::Date,
                    FieldKind::Choice { choices } => Control::Choice {
                        choices: choices.clone(),
                    },
                    FieldKind::Coded { terminology } => Control::Coded {
                        terminology: terminology.clone(),
                    },
                },
            }
        })
        .collect()
}

fn typed_form(value: &FieldValue) -> String {
    match value {
        FieldValue::Text { text } => text.clone(),
        FieldValue::Number { value, .. } => value.clone(),
        FieldValue::Date { date } => date.to_string(),
        FieldValue::Choice { choice } => choice.clone(),
        FieldValue::Coded { term } => term.code.clone(),
    }
}

#[derive(Deserialize)]
pub(crate) struct FieldForm {
    key: String,
    value: String,
}

pub(crate) async fn set(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    Form(f): Form<FieldForm>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .set_template_field(caller, &pseudonym, &f.key, &f.value)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#network-fields")).into_response())
}
