//! Files on the record through the JSON API. An upload is the file's raw
//! bytes as the request body, its type in `Content-Type` and its name in
//! the `name` query parameter (no multipart framing to parse); it passes the
//! same checks as the page's upload (size limit, content against the
//! declared type, metadata stripped unless `keep_metadata=true`). Downloads
//! answer exactly as the page's do.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::AppError;
use cpms_app::attachments::{Attachment, AttachmentKind, Upload};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiCaller, Problem};
use crate::html::attachments::file_response;
use crate::state::AppState;

/// A file on the record.
#[derive(Serialize, ToSchema)]
pub(crate) struct AttachmentJson {
    id: String,
    /// `document` or `signed_consent`.
    kind: String,
    /// The safe name it downloads under.
    file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`.
    media_type: String,
    size_bytes: i64,
    /// Whether the uploader kept EXIF/GPS or the PDF author.
    metadata_kept: bool,
    uploaded_at: String,
    /// Where to download it.
    href: String,
}

fn attachment_json(pseudonym: &str, a: Attachment) -> AttachmentJson {
    AttachmentJson {
        href: format!("/api/v1/patients/{pseudonym}/attachments/{}", a.id),
        kind: a.kind.as_str().to_owned(),
        file_name: a.file_name,
        media_type: a.media_type.mime().to_owned(),
        size_bytes: a.size_bytes,
        metadata_kept: a.metadata_kept,
        uploaded_at: a.uploaded_at.to_string(),
        id: a.id,
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AttachmentList {
    /// Oldest first.
    attachments: Vec<AttachmentJson>,
}

/// The files on the record.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/attachments",
    tag = "attachments",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym")),
    responses(
        (status = 200, description = "The attachments", body = AttachmentList),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
) -> Result<Json<AttachmentList>, Problem> {
    let attachments = state.app.attachments(&caller, &pseudonym).await?;
    Ok(Json(AttachmentList {
        attachments: attachments
            .into_iter()
            .map(|a| attachment_json(&pseudonym, a))
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
pub(crate) struct UploadParams {
    /// The file's name; it is made safe (letters, digits, `-`, `_`,
    /// spaces) and given the extension of the checked type.
    #[serde(default)]
    name: String,
    /// Keep EXIF/GPS in photos or the author of a PDF (default: strip).
    #[serde(default)]
    keep_metadata: bool,
}

/// Attaches a file to the record: the body is the file itself.
#[utoipa::path(
    post,
    path = "/api/v1/patients/{pseudonym}/attachments",
    tag = "attachments",
    params(("pseudonym" = String, Path, description = "The patient's pseudonym"), UploadParams),
    request_body(
        description = "The file's bytes; Content-Type declares its type and must match its content",
        content(("application/pdf"), ("image/png"), ("image/jpeg"))
    ),
    responses(
        (status = 201, description = "Attached; Location names the download", body = AttachmentJson),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty, over the size limit, a type that cannot be attached, content that is not the declared type, or a locked record", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn upload(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(pseudonym): Path<String>,
    Query(params): Query<UploadParams>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let limit = state.app.settings().attachment_max_bytes;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::invalid(format!(
                "The file is larger than the limit of {} KiB.",
                limit / 1024
            ))
        } else {
            AppError::invalid(format!(
                "The upload could not be read: {}.",
                rejection.body_text()
            ))
        }
    })?;
    let declared_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let upload = Upload {
        file_name: params.name,
        declared_type,
        bytes: bytes.to_vec(),
        keep_metadata: params.keep_metadata,
    };
    let attachment = state
        .app
        .attach(&caller, &pseudonym, AttachmentKind::Document, upload)
        .await?;
    let json = attachment_json(&pseudonym, attachment);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, json.href.clone())],
        Json(json),
    )
        .into_response())
}

/// Downloads a file: its checked type, a safe name, always as an
/// attachment (`Content-Disposition: attachment`), never cached.
#[utoipa::path(
    get,
    path = "/api/v1/patients/{pseudonym}/attachments/{id}",
    tag = "attachments",
    params(
        ("pseudonym" = String, Path, description = "The patient's pseudonym"),
        ("id" = String, Path, description = "The attachment's id"),
    ),
    responses(
        (status = 200, description = "The file", content(("application/pdf"), ("image/png"), ("image/jpeg"))),
        (status = 403, description = "Refused (and audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such patient or attachment", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn download(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((pseudonym, id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let (attachment, bytes) = state.app.attachment(&caller, &pseudonym, &id).await?;
    Ok(file_response(
        &attachment.file_name,
        attachment.media_type,
        bytes,
    ))
}
