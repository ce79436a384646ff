//! RFC 9457 problem details: the API's one error shape.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::{AppError, ErrorCode};
use serde::Serialize;
use utoipa::ToSchema;

/// An API error. `type` is derived from the stable `code`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable error code, e.g. `auth.not_signed_in`, `access.forbidden`.
    pub code: String,
    /// For internal errors: the reference to give the IT team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

fn status_of(code: ErrorCode) -> (StatusCode, &'static str) {
    match code {
        ErrorCode::InvalidCredentials => (StatusCode::UNAUTHORIZED, "Invalid credentials"),
        ErrorCode::NotSignedIn => (StatusCode::UNAUTHORIZED, "Not signed in"),
        ErrorCode::AccountSuspended => (StatusCode::FORBIDDEN, "Account suspended"),
        ErrorCode::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "Too many attempts"),
        ErrorCode::Forbidden => (StatusCode::FORBIDDEN, "Forbidden"),
        ErrorCode::NotFound => (StatusCode::NOT_FOUND, "Not found"),
        ErrorCode::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "Invalid input"),
        ErrorCode::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
        ErrorCode::PreviewUnavailable => {
            (StatusCode::UNPROCESSABLE_ENTITY, "Preview not available")
        }
    }
}

impl From<AppError> for Problem {
    fn from(err: AppError) -> Self {
        let (status, title) = status_of(err.code);
        let (detail, instance) = if err.code == ErrorCode::Internal {
            let incident = uuid::Uuid::now_v7().to_string();
            tracing::error!(%incident, cause = %err.message, "API request failed");
            (
                "The request could not be completed.".to_owned(),
                Some(format!("urn:uuid:{incident}")),
            )
        } else {
            (err.message, None)
        };
        Problem {
            kind: format!("urn:ern-cpms:problem:{}", err.code.as_str()),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code: err.code.as_str().to_owned(),
            instance,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

pub(crate) async fn no_such_endpoint() -> Problem {
    AppError::not_found("No such API endpoint").into()
}
