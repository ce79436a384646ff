//! Inviting a whole expert group, or a guest by e-mail, to a panel through
//! the JSON API (single experts: `POST …/invitations` in `panels.rs`). The
//! same use cases as the invitation page, so the same mail and
//! notifications.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cpms_app::panels::GuestInvited;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::state::AppState;

const REFERENCE: &str = "The panel's reference, e.g. BOND-2026-0042";

#[derive(Deserialize, ToSchema)]
pub(crate) struct GroupInvitation {
    /// The id of one of the panel's network's expert groups.
    group: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct GroupInvitedJson {
    /// Experts invited now (each is told).
    invited: usize,
    /// Experts of the group already on the panel or no longer active.
    skipped: usize,
}

/// Invites every expert of the group who is not on the panel yet.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/group-invitations",
    tag = "panels",
    params(("reference" = String, Path, description = REFERENCE)),
    request_body = GroupInvitation,
    responses(
        (status = 200, description = "Invited", body = GroupInvitedJson),
        (status = 403, description = "May not invite to this panel (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in the panel's network", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nobody left to invite, or the panel takes no invitations now", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn group(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<GroupInvitation>,
) -> Result<Json<GroupInvitedJson>, Problem> {
    let (done, _event) = state
        .app
        .invite_group_to_panel(&caller, &reference, &body.group)
        .await?;
    Ok(Json(GroupInvitedJson {
        invited: done.invited,
        skipped: done.skipped,
    }))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct GuestInvitationBody {
    /// How the guest should be greeted, up to 200 characters.
    name: String,
    email: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct GuestInvitedJson {
    /// `sign_up_link_mailed`: a link to guest sign-up scoped to this panel
    /// went to the address; `sign_in_asked`: the address has an account,
    /// whose holder is invited on the panel and asked by mail to sign in.
    sent: &'static str,
}

/// Invites a guest by e-mail.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/guest-invitations",
    tag = "panels",
    params(("reference" = String, Path, description = REFERENCE)),
    request_body = GuestInvitationBody,
    responses(
        (status = 201, description = "Invitation mailed", body = GuestInvitedJson),
        (status = 403, description = "May not invite to this panel (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The name or e-mail is wrong, the account is already on the panel, or the panel takes no invitations now", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn guest(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<GuestInvitationBody>,
) -> Result<(StatusCode, Json<GuestInvitedJson>), Problem> {
    let (sent, _events) = state
        .app
        .invite_guest(&caller, &reference, &body.name, &body.email)
        .await?;
    let sent = match sent {
        GuestInvited::Mailed => "sign_up_link_mailed",
        GuestInvited::SignInAsked => "sign_in_asked",
    };
    Ok((StatusCode::CREATED, Json(GuestInvitedJson { sent })))
}
