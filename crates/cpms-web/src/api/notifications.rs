//! The caller's notifications through the JSON API: the centre, the unread
//! count, marking read, and delivery preferences. The same use cases as the
//! pages.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use cpms_app::notifications::NotificationPage;
use cpms_domain::notification::{Delivery, EventType, Notification};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::state::AppState;

/// One notification. Titles and texts name patients by pseudonym and
/// panels by reference only.
#[derive(Serialize, ToSchema)]
pub(crate) struct NotificationJson {
    id: String,
    /// Stable name of the kind of event, e.g. `invitation`.
    event: String,
    title: String,
    /// The title as shown: `URGENT: …` for urgent panels.
    headline: String,
    text: String,
    /// A path inside the app.
    link: String,
    urgent: bool,
    /// RFC 3339.
    created_at: String,
    /// RFC 3339; absent while unread.
    read_at: Option<String>,
}

impl From<Notification> for NotificationJson {
    fn from(n: Notification) -> Self {
        Self {
            id: n.id.to_string(),
            event: n.event.as_str().to_owned(),
            headline: n.headline(),
            title: n.title,
            text: n.text,
            link: n.link,
            urgent: n.urgent,
            created_at: cpms_domain::time::format_utc(n.created_at),
            read_at: n.read_at.map(cpms_domain::time::format_utc),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct NotificationPageJson {
    items: Vec<NotificationJson>,
    page: i64,
    pages: i64,
    total: i64,
    unread: i64,
}

impl From<NotificationPage> for NotificationPageJson {
    fn from(p: NotificationPage) -> Self {
        Self {
            items: p.items.into_iter().map(NotificationJson::from).collect(),
            page: p.page,
            pages: p.pages,
            total: p.total,
            unread: p.unread,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub(crate) struct PageParams {
    /// 1-based page of 20, unread first, then newest first.
    page: Option<i64>,
}

/// The caller's notifications.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    tag = "notifications",
    params(PageParams),
    responses(
        (status = 200, description = "One page, unread first", body = NotificationPageJson),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(params): Query<PageParams>,
) -> Result<Json<NotificationPageJson>, Problem> {
    let page = state
        .app
        .my_notifications(&caller, params.page.unwrap_or(1))
        .await?;
    Ok(Json(page.into()))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct UnreadJson {
    unread: i64,
}

/// How many of the caller's notifications are unread.
#[utoipa::path(
    get,
    path = "/api/v1/notifications/unread-count",
    tag = "notifications",
    responses(
        (status = 200, description = "The unread count", body = UnreadJson),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn unread_count(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<UnreadJson>, Problem> {
    let unread = state.app.unread_notifications(&caller).await?;
    Ok(Json(UnreadJson { unread }))
}

/// Marks one of the caller's notifications read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/{id}/read",
    tag = "notifications",
    params(("id" = String, Path, description = "The notification's id")),
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "Not one of the caller's notifications", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn mark_read(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    state.app.mark_notification_read(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub(crate) struct MarkedJson {
    /// How many were unread.
    marked: u64,
}

/// Marks all the caller's notifications read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read-all",
    tag = "notifications",
    responses(
        (status = 200, description = "All read", body = MarkedJson),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn mark_all_read(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<MarkedJson>, Problem> {
    let marked = state.app.mark_all_notifications_read(&caller).await?;
    Ok(Json(MarkedJson { marked }))
}

/// How one kind of notification is delivered by e-mail.
#[derive(Serialize, ToSchema)]
pub(crate) struct PreferenceJson {
    /// Stable name of the kind of event.
    event: String,
    label: String,
    /// `immediately`, `daily_digest` or `off` (no e-mail; still in the centre).
    delivery: String,
}

fn preferences_json(rows: Vec<(EventType, Delivery)>) -> Json<Vec<PreferenceJson>> {
    Json(
        rows.into_iter()
            .map(|(event, delivery)| PreferenceJson {
                event: event.as_str().to_owned(),
                label: event.label().to_owned(),
                delivery: delivery.as_str().to_owned(),
            })
            .collect(),
    )
}

/// The caller's delivery per kind of notification (every kind listed).
#[utoipa::path(
    get,
    path = "/api/v1/notifications/preferences",
    tag = "notifications",
    responses(
        (status = 200, description = "Every kind with its delivery", body = Vec<PreferenceJson>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn preferences(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<Vec<PreferenceJson>>, Problem> {
    Ok(preferences_json(
        state.app.notification_preferences(&caller).await?,
    ))
}

/// Sets the delivery of the kinds named, e.g.
/// `{"invitation": "immediately", "contribution": "daily_digest"}`; kinds
/// not named keep theirs. All or nothing: an unknown kind or delivery is
/// refused naming it, and nothing is changed.
#[utoipa::path(
    put,
    path = "/api/v1/notifications/preferences",
    tag = "notifications",
    request_body(content = BTreeMap<String, String>, description = "Kind of event → immediately | daily_digest | off"),
    responses(
        (status = 200, description = "Every kind with its delivery, as now in force", body = Vec<PreferenceJson>),
        (status = 422, description = "An unknown kind or delivery, named", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn set_preferences(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(changes): ApiJson<BTreeMap<String, String>>,
) -> Result<Json<Vec<PreferenceJson>>, Problem> {
    let changes: Vec<(String, String)> = changes.into_iter().collect();
    Ok(preferences_json(
        state
            .app
            .set_notification_preferences(&caller, &changes)
            .await?,
    ))
}
