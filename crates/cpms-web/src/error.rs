//! Failures as pages: one mapping from the application's error codes to
//! HTTP status and wording, rendered in the common layout.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cpms_app::{AppError, ErrorCode};

use crate::shell::Shell;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    shell: Shell,
    heading: &'a str,
    message: &'a str,
    incident: Option<String>,
}

/// A response a handler gives up with (boxed: responses are large and
/// this travels in every `Result`).
pub(crate) struct PageError(Box<Response>);

impl PageError {
    pub fn new(response: Response) -> Self {
        Self(Box::new(response))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// Renders a template, or a bare 500 if the template itself fails.
pub(crate) fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(%err, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub(crate) fn with_status(status: StatusCode, response: Response) -> Response {
    let mut response = response;
    *response.status_mut() = status;
    response
}

/// The page for an application error, in the layout `shell` describes.
/// `path` is where to come back to after signing in.
pub(crate) fn error_response(err: AppError, shell: Shell, path: &str) -> Response {
    let (status, heading, message) = match err.code {
        ErrorCode::NotSignedIn => {
            let target = format!(
                "/signin?next={}",
                form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
            );
            return Redirect::to(&target).into_response();
        }
        ErrorCode::InvalidCredentials => (
            StatusCode::UNAUTHORIZED,
            "Sign-in failed",
            err.message.as_str(),
        ),
        ErrorCode::AccountSuspended => (
            StatusCode::FORBIDDEN,
            "Account suspended",
            err.message.as_str(),
        ),
        ErrorCode::TooManyAttempts => (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts",
            err.message.as_str(),
        ),
        ErrorCode::Forbidden => (
            StatusCode::FORBIDDEN,
            "Access denied",
            "Your roles do not give access to this page. If you think they should, ask your ERN coordinator.",
        ),
        ErrorCode::NotFound => (
            StatusCode::NOT_FOUND,
            "Page not found",
            err.message.as_str(),
        ),
        ErrorCode::Invalid => (
            StatusCode::BAD_REQUEST,
            "Check your input",
            err.message.as_str(),
        ),
        ErrorCode::PreviewUnavailable => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Preview not available",
            err.message.as_str(),
        ),
        ErrorCode::Internal => {
            let incident = uuid::Uuid::now_v7().to_string();
            tracing::error!(%incident, cause = %err.message, "request failed");
            let page = ErrorPage {
                shell,
                heading: "Something went wrong",
                message: "The request could not be completed. Nothing you entered was lost; please try again in a moment.",
                incident: Some(incident),
            };
            return with_status(StatusCode::INTERNAL_SERVER_ERROR, render(&page));
        }
    };
    with_status(
        status,
        render(&ErrorPage {
            shell,
            heading,
            message,
            incident: None,
        }),
    )
}

/// An error page for places that have no signed-in context (middleware).
pub(crate) fn plain_error_page(
    state: &AppState,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    let shell = Shell::new(state, None, 0, "", "");
    with_status(
        status,
        render(&ErrorPage {
            shell,
            heading,
            message,
            incident: None,
        }),
    )
}

/// A minimal text response for failures before any state exists.
pub(crate) fn status_page(status: StatusCode, heading: &str, message: &str) -> Response {
    let mut response = (status, format!("{heading}: {message}")).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Turns a panic inside a handler into the 500 page rather than a dropped
/// connection.
pub(crate) fn panic_page(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let incident = uuid::Uuid::now_v7().to_string();
    tracing::error!(%incident, "handler panicked");
    status_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        &format!("the request could not be completed (reference {incident})"),
    )
}
