//! Cross-site request forgery protection for every state-changing request.
//!
//! The token is an HMAC of the caller's session cookie (or, before sign-in,
//! of a random pre-session cookie), so it needs no storage and changes when
//! the session does. Forms carry it in a hidden `csrf` field; scripts send
//! it as `X-CSRF-Token`; multipart uploads put it in the query string.
//! Requests that a browser marks as cross-site are refused outright.
//! Requests authenticated by a bearer token carry no cookies to abuse and
//! are exempt.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::plain_error_page;
use crate::state::AppState;

/// The CSRF token of the current request, for pages to embed.
#[derive(Clone)]
pub(crate) struct CsrfToken(pub String);

/// Largest form body read to find the token; forms are small.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

pub(crate) async fn protect(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let (basis, new_presession) = token_basis(&state, &parts.headers);
    let token = sign(&state.config.csrf_key, &basis);
    let mut body = body;
    if needs_check(&parts.method, &parts.headers) {
        if is_cross_site(&parts.headers) {
            return reject(&state, "The request came from another site.");
        }
        let (presented, rebuilt) = match presented_token(&parts, body).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        body = rebuilt;
        if !presented.is_some_and(|p| verify(&state.config.csrf_key, &basis, &p)) {
            return reject(
                &state,
                "This form has expired or was not sent from ERN-CPMS.",
            );
        }
    }
    parts.extensions.insert(CsrfToken(token));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    // Only pages carry forms; probes and assets need no cookie.
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(b"text/html"));
    if let Some(value) = new_presession.filter(|_| is_page) {
        let cookie = format!(
            "{}={value}{}",
            state.presession_cookie(),
            state.cookie_attributes()
        );
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// What the token is bound to, and a new pre-session value to set when the
/// browser has neither cookie yet.
fn token_basis(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    if let Some(session) = cookie(headers, state.session_cookie()) {
        return (format!("s:{session}"), None);
    }
    if let Some(pre) = cookie(headers, state.presession_cookie()) {
        return (format!("p:{pre}"), None);
    }
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let fresh = URL_SAFE_NO_PAD.encode(bytes);
    (format!("p:{fresh}"), Some(fresh))
}

fn needs_check(method: &Method, headers: &HeaderMap) -> bool {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "));
    !safe && !bearer
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
}

/// The token from the header, the query string, or a urlencoded form body
/// (which is read and handed on unchanged).
async fn presented_token(
    parts: &axum::http::request::Parts,
    body: Body,
) -> Result<(Option<String>, Body), Response> {
    if let Some(value) = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok((Some(value.to_owned()), body));
    }
    if let Some(query) = parts.uri.query()
        && let Some(value) = field(query.as_bytes(), "csrf")
    {
        return Ok((Some(value), body));
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, body));
    }
    let bytes = to_bytes(body, FORM_LIMIT).await.map_err(|_| {
        crate::error::status_page(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "Form too large",
            "The form you sent is larger than allowed.",
        )
    })?;
    Ok((field(&bytes, "csrf"), Body::from(bytes)))
}

fn field(urlencoded: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(urlencoded)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The value of one cookie.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

fn mac(key: &[u8; 32], basis: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(basis.as_bytes());
    mac
}

/// The token for pages served under a session token that this request
/// just issued (a rotated session).
pub(crate) fn token_for_session(state: &AppState, session_token: &str) -> String {
    sign(&state.config.csrf_key, &format!("s:{session_token}"))
}

fn sign(key: &[u8; 32], basis: &str) -> String {
    URL_SAFE_NO_PAD.encode(mac(key, basis).finalize().into_bytes())
}

/// Constant-time comparison through the MAC.
fn verify(key: &[u8; 32], basis: &str, presented: &str) -> bool {
    match URL_SAFE_NO_PAD.decode(presented) {
        Ok(bytes) => mac(key, basis).verify_slice(&bytes).is_ok(),
        Err(_) => false,
    }
}

fn reject(state: &AppState, why: &str) -> Response {
    tracing::warn!(reason = why, "refused a request without valid CSRF proof");
    plain_error_page(
        state,
        axum::http::StatusCode::FORBIDDEN,
        "Request refused",
        &format!("{why} Go back, reload the page and try again."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_for_their_basis_and_key() {
        let key = [7u8; 32];
        let token = sign(&key, "s:abc");
        assert!(verify(&key, "s:abc", &token));
        assert!(!verify(&key, "s:abd", &token));
        assert!(!verify(&[8u8; 32], "s:abc", &token));
        assert!(!verify(&key, "s:abc", "not base64 !"));
        assert!(!verify(&key, "s:abc", ""));
    }

    #[test]
    fn finds_fields_and_cookies() {
        assert_eq!(field(b"a=1&csrf=x%2By&b=2", "csrf").as_deref(), Some("x+y"));
        assert_eq!(field(b"a=1", "csrf"), None);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("x=1; cpms-session=tok; y=2"),
        );
        assert_eq!(cookie(&headers, "cpms-session").as_deref(), Some("tok"));
        assert_eq!(cookie(&headers, "cpms-pre"), None);
    }

    #[test]
    fn bearer_requests_and_safe_methods_skip_the_check() {
        let mut headers = HeaderMap::new();
        assert!(needs_check(&Method::POST, &headers));
        assert!(!needs_check(&Method::GET, &headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert!(!needs_check(&Method::POST, &headers));
    }
}
