//! Files on the record: the upload form posts multipart (its CSRF token in
//! the query string), downloads carry a safe name and are never rendered
//! inline, so a file cannot run as a page of this site. Panel members
//! download the attachments a panel shares the same way.

use axum::extract::{Multipart, Path};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::AppError;
use cpms_app::attachments::{AttachmentKind, MediaType, Upload};

use crate::error::PageError;
use crate::extract::Ctx;

pub(crate) async fn upload(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let upload = read_upload(multipart).await.map_err(|e| ctx.fail(e))?;
    ctx.state
        .app
        .attach(caller, &pseudonym, AttachmentKind::Document, upload)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/patients/{pseudonym}#attachments")).into_response())
}

/// A multipart form: the upload in the part named `file_field` (`None`
/// when no file was chosen, its metadata kept if a `keep_metadata` box was
/// ticked) and the other fields as text.
pub(crate) async fn read_multipart(
    mut multipart: Multipart,
    file_field: &str,
) -> Result<(Option<Upload>, Vec<(String, String)>), AppError> {
    let mut file = None;
    let mut fields = Vec::new();
    let mut keep_metadata = false;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let declared_type = field.content_type().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            if !file_name.is_empty() || !bytes.is_empty() {
                file = Some((file_name, declared_type, bytes));
            }
        } else {
            let value = field.text().await.map_err(unreadable)?;
            if name == "keep_metadata" {
                keep_metadata = true;
            }
            fields.push((name, value));
        }
    }
    let upload = file.map(|(file_name, declared_type, bytes)| Upload {
        file_name,
        declared_type,
        bytes,
        keep_metadata,
    });
    Ok((upload, fields))
}

async fn read_upload(multipart: Multipart) -> Result<Upload, AppError> {
    read_multipart(multipart, "file")
        .await?
        .0
        .ok_or_else(|| AppError::invalid("Choose a file to attach."))
}

fn unreadable(err: axum::extract::multipart::MultipartError) -> AppError {
    AppError::invalid(format!(
        "The upload could not be read: {}.",
        err.body_text()
    ))
}

pub(crate) async fn download(
    ctx: Ctx,
    Path((pseudonym, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let (attachment, bytes) = ctx
        .state
        .app
        .attachment(caller, &pseudonym, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(file_response(
        &attachment.file_name,
        attachment.media_type,
        bytes,
    ))
}

/// `GET /panels/{reference}/attachments/{id}`: an attachment the panel
/// shares, for its lead and members.
pub(crate) async fn panel_download(
    ctx: Ctx,
    Path((reference, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let file = ctx
        .state
        .app
        .panel_shared_file(caller, &reference, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(file_response(&file.file_name, file.media_type, file.bytes))
}

/// A stored file as a download (pages and API alike): never inline, never
/// cached. `file_name` must already be safe for the header.
pub(crate) fn file_response(file_name: &str, media_type: MediaType, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type.mime().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
