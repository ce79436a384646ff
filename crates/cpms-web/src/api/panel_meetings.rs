//! Panel meetings through the JSON API: list, schedule, change, cancel,
//! minutes. The same use cases as the meeting pages, so the same mail.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cpms_app::panels::{StoredMeeting, meeting_when};
use cpms_domain::panel::meeting::MeetingForm;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct MeetingJson {
    id: String,
    /// The start on the organiser's clock, `YYYY-MM-DDTHH:MM`.
    local_start: String,
    /// The IANA zone of `local_start`.
    time_zone: String,
    /// The same moment in UTC.
    starts_at: String,
    duration_minutes: i64,
    /// As people read it, e.g. `Thursday 3 December 2026, 14:30
    /// (Europe/Brussels), 60 minutes`.
    when: String,
    agenda: String,
    video_link: String,
    /// The calendar SEQUENCE, raised by each change.
    sequence: i64,
    organiser: String,
    cancelled_at: Option<String>,
    /// For the lead, members and who schedules.
    minutes: Option<String>,
}

fn meeting_json(m: StoredMeeting) -> MeetingJson {
    MeetingJson {
        when: meeting_when(&m),
        id: m.id.to_string(),
        local_start: m.local_start.strftime("%Y-%m-%dT%H:%M").to_string(),
        time_zone: m.time_zone,
        starts_at: m.starts_at.to_string(),
        duration_minutes: m.duration_minutes,
        agenda: m.agenda,
        video_link: m.video_link,
        sequence: m.sequence,
        organiser: m.organiser_name,
        cancelled_at: m.cancelled_at.map(|t| t.to_string()),
        minutes: m.minutes,
    }
}

/// A meeting as planned.
#[derive(Deserialize, ToSchema)]
pub(crate) struct MeetingBody {
    /// `YYYY-MM-DD`
    date: String,
    /// `HH:MM` on the clock of `time_zone`.
    time: String,
    /// An IANA zone of the offered list, e.g. `Europe/Brussels`.
    time_zone: String,
    /// 15 to 720.
    duration_minutes: i64,
    agenda: String,
}

impl MeetingBody {
    fn form(self) -> MeetingForm {
        MeetingForm {
            date: self.date,
            time: self.time,
            time_zone: self.time_zone,
            duration: self.duration_minutes.to_string(),
            agenda: self.agenda,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct MeetingCreated {
    id: String,
}

const REFERENCE: &str = "The panel's reference, e.g. BOND-2026-0042";

/// The panel's meetings by start, cancelled ones included.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{reference}/meetings",
    tag = "meetings",
    params(("reference" = String, Path, description = REFERENCE)),
    responses(
        (status = 200, description = "The meetings", body = [MeetingJson]),
        (status = 403, description = "Not on the panel (audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
) -> Result<Json<Vec<MeetingJson>>, Problem> {
    let v = state.app.panel(&caller, &reference).await?;
    Ok(Json(v.meetings.into_iter().map(meeting_json).collect()))
}

/// Schedules a meeting; every attendee gets the invitation by e-mail.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/meetings",
    tag = "meetings",
    params(("reference" = String, Path, description = REFERENCE)),
    request_body = MeetingBody,
    responses(
        (status = 201, description = "Scheduled and invitations queued", body = MeetingCreated),
        (status = 403, description = "May not schedule (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the panel is read-only", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn schedule(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<(StatusCode, Json<MeetingCreated>), Problem> {
    let (id, _event) = state
        .app
        .schedule_meeting(&caller, &reference, &body.form())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(MeetingCreated { id: id.to_string() }),
    ))
}

/// Changes a meeting; everyone gets the update (same UID, next SEQUENCE).
#[utoipa::path(
    put,
    path = "/api/v1/panels/{reference}/meetings/{meeting}",
    tag = "meetings",
    params(("reference" = String, Path, description = REFERENCE), ("meeting" = String, Path, description = "The meeting's id")),
    request_body = MeetingBody,
    responses(
        (status = 204, description = "Changed and updates queued"),
        (status = 403, description = "May not schedule (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the meeting was cancelled", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((reference, meeting)): Path<(String, String)>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .change_meeting(&caller, &reference, &meeting, &body.form())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancels a meeting; everyone gets the cancellation (METHOD:CANCEL).
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/meetings/{meeting}/cancel",
    tag = "meetings",
    params(("reference" = String, Path, description = REFERENCE), ("meeting" = String, Path, description = "The meeting's id")),
    responses(
        (status = 204, description = "Cancelled and cancellations queued"),
        (status = 403, description = "May not schedule (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn cancel(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((reference, meeting)): Path<(String, String)>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .cancel_meeting(&caller, &reference, &meeting)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct MinutesBody {
    minutes: String,
}

/// Keeps the minutes of a meeting.
#[utoipa::path(
    put,
    path = "/api/v1/panels/{reference}/meetings/{meeting}/minutes",
    tag = "meetings",
    params(("reference" = String, Path, description = REFERENCE), ("meeting" = String, Path, description = "The meeting's id")),
    request_body = MinutesBody,
    responses(
        (status = 204, description = "Kept"),
        (status = 403, description = "May not schedule (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn minutes(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((reference, meeting)): Path<(String, String)>,
    ApiJson(body): ApiJson<MinutesBody>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .meeting_minutes(&caller, &reference, &meeting, &body.minutes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
