//! A network's expert groups through the JSON API: list, create, rename,
//! delete, add and remove experts. The same use cases as the group pages
//! (coordinators and network panel managers), so the same audit events.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::panels::{ExpertGroup, GroupMember};
use cpms_domain::ids::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::state::AppState;

const ERN: &str = "The network's code, e.g. BOND";
const GROUP: &str = "The group's id";

/// A group in the network's list.
#[derive(Serialize, ToSchema)]
pub(crate) struct GroupJson {
    id: String,
    name: String,
    /// How many experts it holds.
    members: i64,
}

fn group_json(g: ExpertGroup) -> GroupJson {
    GroupJson {
        id: g.id.to_string(),
        name: g.name,
        members: g.members,
    }
}

/// One group with its experts.
#[derive(Serialize, ToSchema)]
pub(crate) struct GroupDetail {
    id: String,
    name: String,
    members: Vec<GroupMemberJson>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct GroupMemberJson {
    /// The expert's user id.
    user: String,
    name: String,
}

fn member_json(m: GroupMember) -> GroupMemberJson {
    GroupMemberJson {
        user: m.user.to_string(),
        name: m.name,
    }
}

/// A group's name, to create or rename it.
#[derive(Deserialize, ToSchema)]
pub(crate) struct GroupName {
    /// 1 to 100 characters, unique in the network (ignoring case).
    name: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct GroupCreated {
    id: String,
}

/// Experts to add.
#[derive(Deserialize, ToSchema)]
pub(crate) struct GroupExperts {
    /// User ids, e.g. from `GET /api/v1/experts`.
    #[schema(value_type = Vec<String>)]
    experts: Vec<UserId>,
}

/// The network's expert groups, by name.
#[utoipa::path(
    get,
    path = "/api/v1/erns/{code}/expert-groups",
    tag = "expert groups",
    params(("code" = String, Path, description = ERN)),
    responses(
        (status = 200, description = "The groups", body = [GroupJson]),
        (status = 403, description = "Not a coordinator or panel manager of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such network", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
) -> Result<Json<Vec<GroupJson>>, Problem> {
    let groups = state.app.expert_groups(&caller, &code).await?;
    Ok(Json(groups.groups.into_iter().map(group_json).collect()))
}

/// Creates an empty group; Location names it.
#[utoipa::path(
    post,
    path = "/api/v1/erns/{code}/expert-groups",
    tag = "expert groups",
    params(("code" = String, Path, description = ERN)),
    request_body = GroupName,
    responses(
        (status = 201, description = "Created", body = GroupCreated),
        (status = 403, description = "Not a coordinator or panel manager of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The name is empty, too long or taken", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<GroupName>,
) -> Result<Response, Problem> {
    let id = state
        .app
        .create_expert_group(&caller, &code, &body.name)
        .await?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/erns/{code}/expert-groups/{id}"),
        )],
        Json(GroupCreated { id: id.to_string() }),
    )
        .into_response())
}

/// One group with its experts.
#[utoipa::path(
    get,
    path = "/api/v1/erns/{code}/expert-groups/{id}",
    tag = "expert groups",
    params(("code" = String, Path, description = ERN), ("id" = String, Path, description = GROUP)),
    responses(
        (status = 200, description = "The group", body = GroupDetail),
        (status = 403, description = "Not a coordinator or panel manager of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in the network", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<GroupDetail>, Problem> {
    let (group, members) = state.app.expert_group_members(&caller, &code, &id).await?;
    Ok(Json(GroupDetail {
        id: group.id.to_string(),
        name: group.name,
        members: members.into_iter().map(member_json).collect(),
    }))
}

/// Renames a group.
#[utoipa::path(
    put,
    path = "/api/v1/erns/{code}/expert-groups/{id}",
    tag = "expert groups",
    params(("code" = String, Path, description = ERN), ("id" = String, Path, description = GROUP)),
    request_body = GroupName,
    responses(
        (status = 204, description = "Renamed"),
        (status = 403, description = "Not a coordinator or panel manager of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in the network", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The name is empty, too long or taken", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn rename(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((code, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<GroupName>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .rename_expert_group(&caller, &code, &id, &body.name)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a group (panels it was invited to keep their members).
#[utoipa::path(
    delete,
    path = "/api/v1/erns/{code}/expert-groups/{id}",
    tag = "expert groups",
    params(("code" = String, Path, description = ERN), ("id" = String, Path, description = GROUP)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not a coordinator or panel manager of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in the network", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn delete(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((code, id)): Path<(String, String)>,
) -> Result<StatusCode, Problem> {
    state.app.delete_expert_group(&caller, &code, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds experts; those already in the group stay.
#[utoipa::path(
    post,
    path = "/api/v1/erns/{code}/expert-groups/{id}/members",
    tag = "expert groups",
    params(("code" = String, Path, description = ERN), ("id" = String, Path, description = GROUP)),
    request_body = GroupExperts,
    responses(
        (status = 204, description = "Added"),
        (status = 403, description = "Not a coordinator or panel manager of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group in the network", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No one chosen, or someone who is not in the directory", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((code, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<GroupExperts>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .add_to_expert_group(&caller, &code, &id, &body.experts)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes one expert from a group.
#[utoipa::path(
    delete,
    path = "/api/v1/erns/{code}/expert-groups/{id}/members/{user}",
    tag = "expert groups",
    params(("code" = String, Path, description = ERN), ("id" = String, Path, description = GROUP), ("user" = String, Path, description = "The expert's user id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not a coordinator or panel manager of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group, or the expert is not in it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((code, id, user)): Path<(String, String, String)>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .remove_from_expert_group(&caller, &code, &id, &user)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
