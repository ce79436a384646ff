//! A JSON request body whose errors are problem+json like every other API
//! error, naming what was wrong with the body.

use axum::extract::{FromRequest, Request};
use axum::{Json, extract::rejection::JsonRejection};
use cpms_app::AppError;
use serde::de::DeserializeOwned;

use super::Problem;

pub(crate) struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(AppError::invalid(body_error(&rejection)).into()),
        }
    }
}

fn body_error(rejection: &JsonRejection) -> String {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "Send the body as JSON with Content-Type: application/json.".to_owned()
        }
        other => format!("The JSON body is not valid: {}", other.body_text()),
    }
}
