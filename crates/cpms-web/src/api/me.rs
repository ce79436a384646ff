//! `GET /api/v1/me`: the signed-in user and their memberships.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiCaller, Problem};

#[derive(Serialize, ToSchema)]
pub(crate) struct Me {
    pub username: String,
    pub name: String,
    pub email: String,
    pub administrator: bool,
    pub memberships: Vec<MembershipView>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct MembershipView {
    /// ERN code, e.g. `ERN-RND`.
    pub ern: String,
    /// Hospital code, e.g. `DE03`.
    pub hospital: String,
    pub hospital_name: String,
    /// Role, e.g. `hp`, `coordinator`.
    pub role: String,
    /// `requested`, `approved`, `rejected`, `revoked` or `expired`.
    pub status: String,
    /// RFC 3339; guests' memberships end then.
    pub expires_at: Option<String>,
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "identity",
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get(ApiCaller(caller): ApiCaller) -> Result<Json<Me>, Problem> {
    let memberships = caller
        .memberships
        .iter()
        .map(|m| MembershipView {
            ern: m.ern.to_string(),
            hospital: m.hcp_code.to_string(),
            hospital_name: m.hcp_name.clone(),
            role: m.role.as_str().to_owned(),
            status: if m.status == cpms_domain::org::MembershipStatus::Approved
                && !m.is_active(caller.now)
            {
                "expired".to_owned()
            } else {
                m.status.as_str().to_owned()
            },
            expires_at: m.expires_at.map(cpms_domain::time::format_utc),
        })
        .collect();
    Ok(Json(Me {
        username: caller.user.username,
        name: caller.user.display_name,
        email: caller.user.email,
        administrator: caller.user.administrator,
        memberships,
    }))
}
