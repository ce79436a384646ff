//! The HTTP client `openidconnect` uses to talk to the provider, on the workspace's `reqwest`
//! (rustls), so the crate brings no second HTTP or TLS stack.

use std::error::Error as _;
use std::future::Future;
use std::pin::Pin;

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

use super::OidcError;

/// Provider documents (metadata, keys, tokens) are a few KiB; refuse to buffer anything large.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// How a request to the provider failed.
#[derive(Debug, thiserror::Error)]
pub(super) enum TransportError {
    /// Nothing answered in time: connection refused, DNS failure, time-out, or a 5xx status.
    #[error("{0}")]
    Unreachable(String),
    /// The provider answered with something we will not process.
    #[error("{0}")]
    BadResponse(String),
}

impl From<TransportError> for OidcError {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::Unreachable(detail) => Self::ProviderUnreachable(detail),
            TransportError::BadResponse(detail) => Self::Misconfigured(detail),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct ProviderHttp {
    client: reqwest::Client,
}

impl ProviderHttp {
    pub(super) fn new(timeout: std::time::Duration) -> Result<Self, OidcError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // Following redirects would let a compromised or misconfigured provider point
            // token requests (with the client secret) elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| OidcError::Misconfigured(format!("HTTP client: {}", describe(&e))))?;
        Ok(Self { client })
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request)
            .map_err(|e| TransportError::BadResponse(format!("cannot build request: {e}")))?;
        let url = request.url().clone();
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|e| TransportError::Unreachable(describe(&e)))?;
        let status = response.status();
        if status.is_server_error() {
            return Err(TransportError::Unreachable(format!(
                "{url} answered {status}"
            )));
        }
        let mut builder = openidconnect::http::Response::builder().status(status);
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| TransportError::Unreachable(describe(&e)))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(TransportError::BadResponse(format!(
                    "{url} sent more than {MAX_RESPONSE_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body)
            .map_err(|e| TransportError::BadResponse(format!("{url}: {e}")))
    }
}

impl<'c> AsyncHttpClient<'c> for ProviderHttp {
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// An error with its causes, e.g. "error sending request: connection refused".
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
