//! Calling the JSON API as a signed-in browser would: the session cookie,
//! and the CSRF token in `X-CSRF-Token` on requests with a body.

use cpms_testkit::client::Client;
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::Value;

/// Sends `body` as JSON (if any); returns the status, the body parsed as
/// JSON (`Null` if it is not JSON) and the headers.
pub async fn send(
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value, HeaderMap) {
    let mut request = client.http.request(method, client.url(path));
    if let Some(body) = body {
        request = request
            .header("x-csrf-token", client.csrf("/").await)
            .json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, value, headers)
}

/// A problem+json answer's status and `detail`, checking its content type.
pub async fn problem(
    client: &Client,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, String) {
    let (status, problem, headers) = send(client, method, path, Some(body)).await;
    assert_eq!(
        headers["content-type"], "application/problem+json",
        "{path}: {problem}"
    );
    (status, problem["detail"].as_str().unwrap().to_owned())
}
