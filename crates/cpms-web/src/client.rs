//! Where a request comes from.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::header;
use axum::http::request::Parts;
use cpms_app::ClientInfo;

use crate::state::AppState;

/// The client's address and user agent. Behind a trusted reverse proxy the
/// address is the last hop the proxy appended to `X-Forwarded-For`.
pub(crate) fn client_info(parts: &Parts, state: &AppState) -> ClientInfo {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let forwarded = state
        .config
        .trust_forwarded_for
        .then(|| {
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
        })
        .flatten()
        .and_then(|list| list.rsplit(',').next())
        .map(|addr| addr.trim().to_owned())
        .filter(|addr| addr.parse::<std::net::IpAddr>().is_ok());
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(256).collect());
    ClientInfo {
        addr: forwarded.or(peer),
        user_agent,
    }
}
