//! The image viewer's JSON: a series' stack of instances (frames, size,
//! pixel spacing) and the study's annotations (list, add, remove). Served
//! beside the study pages (`/studies/…`) with the session cookie; writes
//! carry the CSRF token in `X-CSRF-Token` like every script's POST.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cpms_app::imaging::{Annotation, AnnotationDraft, StackInstance};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::state::AppState;

const STUDY: &str = "De-identified Study Instance UID";
const SERIES: &str = "De-identified Series Instance UID";

/// Millimetres between pixel centres.
#[derive(Serialize, ToSchema)]
pub(crate) struct SpacingJson {
    /// Between rows (along y).
    row_mm: f64,
    /// Between columns (along x).
    column_mm: f64,
    /// `Pixel Spacing` or `Imager Pixel Spacing`.
    source: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct StackInstanceJson {
    sop_uid: String,
    number: Option<i64>,
    frames: u32,
    rows: Option<u32>,
    columns: Option<u32>,
    /// Absent when the image gives none: lengths are then in pixels.
    spacing: Option<SpacingJson>,
    /// The file's window (centre, width), which the default rendering uses.
    window: Option<[f64; 2]>,
}

fn stack_json(i: StackInstance) -> StackInstanceJson {
    StackInstanceJson {
        sop_uid: i.sop_uid,
        number: i.number,
        frames: i.frames,
        rows: i.rows,
        columns: i.columns,
        spacing: i.spacing.map(|s| SpacingJson {
            row_mm: s.row_mm,
            column_mm: s.column_mm,
            source: match s.source {
                cpms_app::imaging::SpacingSource::PixelSpacing => "Pixel Spacing",
                cpms_app::imaging::SpacingSource::ImagerPixelSpacing => "Imager Pixel Spacing",
            }
            .to_owned(),
        }),
        window: i.window.map(|w| [w.center, w.width]),
    }
}

/// The instances of a series in order, as the viewer scrolls through them.
#[utoipa::path(
    get,
    path = "/studies/{study}/series/{series}/stack",
    tag = "imaging",
    params(("study" = String, Path, description = STUDY), ("series" = String, Path, description = SERIES)),
    responses(
        (status = 200, description = "The instances", body = [StackInstanceJson]),
        (status = 403, description = "May not see the study (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such study or series", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn stack(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((study, series)): Path<(String, String)>,
) -> Result<Json<Vec<StackInstanceJson>>, Problem> {
    let stack = state.app.series_stack(&caller, &study, &series).await?;
    Ok(Json(stack.into_iter().map(stack_json).collect()))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AnnotationJson {
    id: String,
    series_uid: String,
    sop_uid: String,
    /// From 1.
    frame: u32,
    /// `length`, `arrow` or `text`.
    kind: String,
    /// `[x, y]` in the image's pixels (column, row).
    points: Vec<[f64; 2]>,
    /// Lengths on images with a pixel spacing.
    length_mm: Option<f64>,
    /// Lengths, in pixels.
    length_px: Option<f64>,
    label: String,
    author: String,
    created_at: String,
    /// Whether the caller may remove it (its author, or an editor of the record).
    removable: bool,
}

fn annotation_json(a: Annotation) -> AnnotationJson {
    AnnotationJson {
        id: a.id.to_string(),
        series_uid: a.series_uid,
        sop_uid: a.sop_uid,
        frame: a.frame,
        kind: a.kind.as_str().to_owned(),
        points: a.points,
        length_mm: a.length_mm,
        length_px: a.length_px,
        label: a.label,
        author: a.author_name,
        created_at: a.created_at.to_string(),
        removable: a.removable,
    }
}

/// A new annotation.
#[derive(Deserialize, ToSchema)]
pub(crate) struct AnnotationBody {
    series_uid: String,
    sop_uid: String,
    /// From 1.
    frame: u32,
    /// `length`, `arrow` or `text`.
    kind: String,
    /// `[x, y]` in the image's pixels: two for a length or an arrow (tail,
    /// head), one for a text.
    points: Vec<[f64; 2]>,
    /// The text (required for `text`, optional otherwise).
    #[serde(default)]
    label: String,
}

/// Every annotation on the study, oldest first.
#[utoipa::path(
    get,
    path = "/studies/{study}/annotations",
    tag = "imaging",
    params(("study" = String, Path, description = STUDY)),
    responses(
        (status = 200, description = "The annotations", body = [AnnotationJson]),
        (status = 403, description = "May not see the study (audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(study): Path<String>,
) -> Result<Json<Vec<AnnotationJson>>, Problem> {
    let all = state.app.study_annotations(&caller, &study).await?;
    Ok(Json(all.into_iter().map(annotation_json).collect()))
}

/// Adds a length, arrow or text to a frame; lengths are measured here from
/// the image's pixel spacing.
#[utoipa::path(
    post,
    path = "/studies/{study}/annotations",
    tag = "imaging",
    params(("study" = String, Path, description = STUDY)),
    request_body = AnnotationBody,
    responses(
        (status = 201, description = "Saved", body = AnnotationJson),
        (status = 403, description = "May not see the study (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Kind, frame, points or text not valid", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(study): Path<String>,
    ApiJson(body): ApiJson<AnnotationBody>,
) -> Result<(StatusCode, Json<AnnotationJson>), Problem> {
    let draft = AnnotationDraft {
        series_uid: body.series_uid,
        sop_uid: body.sop_uid,
        frame: body.frame,
        kind: body.kind,
        points: body.points,
        label: body.label,
    };
    let saved = state.app.annotate(&caller, &study, draft).await?;
    Ok((StatusCode::CREATED, Json(annotation_json(saved))))
}

/// Removes an annotation: its author, or an editor of the record.
#[utoipa::path(
    delete,
    path = "/studies/{study}/annotations/{id}",
    tag = "imaging",
    params(("study" = String, Path, description = STUDY), ("id" = String, Path, description = "The annotation's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Neither its author nor an editor of the record (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such annotation on this study", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((study, id)): Path<(String, String)>,
) -> Result<StatusCode, Problem> {
    state.app.remove_annotation(&caller, &study, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
