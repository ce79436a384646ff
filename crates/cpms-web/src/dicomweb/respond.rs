//! Answers in DICOMweb's media types, and its error statuses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::AppError;
use serde_json::Value;

use super::Target;
use crate::api::Problem;
use crate::state::AppState;

pub(super) const DICOM_JSON: &str = "application/dicom+json";

pub(super) fn dicom_json(value: &Value) -> Response {
    let mut response = (StatusCode::OK, value.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(DICOM_JSON));
    response
}

/// A request DICOMweb answers with 400 Bad Request (an unknown query key,
/// a malformed window), as problem+json.
pub(super) fn bad_request(message: impl Into<String>) -> Problem {
    let mut problem = Problem::from(AppError::invalid(message));
    problem.status = StatusCode::BAD_REQUEST.as_u16();
    problem.title = "Bad request".to_owned();
    problem
}

/// Under a record's root, the study must be one of that record's.
pub(super) async fn on_record(state: &AppState, target: &Target) -> Result<(), Problem> {
    if let (Some(pseudonym), Some(study)) = (target.pseudonym(), target.get("study")) {
        state.app.study_on_record(pseudonym, study).await?;
    }
    Ok(())
}

/// A path parameter the route guarantees (a message when it is missing).
pub(super) fn part<'a>(target: &'a Target, name: &str) -> Result<&'a str, String> {
    target
        .get(name)
        .ok_or_else(|| format!("The path names no {name}."))
}
