//! Imaging studies on the record: the upload (many files, a zip or a
//! folder), streamed part by part to a private folder on disk and never
//! held in memory; the report page; the study page with a thumbnail and a
//! rendered frame per series. Frames that cannot be decoded come back as a
//! placeholder image naming the reason, never as an error page.

use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cpms_app::imaging::{
    IngestReport, IngestSource, OutputSize, RenderRequest, StagedFile, StudyDetail, Window,
    WindowChoice, WindowPreset,
};
use cpms_app::{AppError, ErrorCode};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

/// Rendered frames on the study page fit this box.
const PREVIEW_SIDE: u32 = 512;

#[derive(Template)]
#[template(path = "study_upload_result.html")]
struct ResultPage {
    shell: Shell,
    pseudonym: String,
    report: IngestReport,
}

#[derive(Template)]
#[template(path = "study.html")]
struct StudyPage {
    shell: Shell,
    d: StudyDetail,
}

/// `POST /patients/{pseudonym}/studies`: stores an upload and shows what
/// was stored.
pub(crate) async fn upload(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let staging = &ctx.state.app.settings().imaging.staging_dir;
    let folder = private_folder(staging).map_err(|e| ctx.fail(e))?;
    let files = stream_to_disk(multipart, folder.path())
        .await
        .map_err(|e| ctx.fail(e))?;
    if files.is_empty() {
        return Err(ctx.fail(AppError::invalid(
            "Choose the files, the zip archive or the folder of the study.",
        )));
    }
    let report = ctx
        .state
        .app
        .ingest_study(caller, &pseudonym, IngestSource::Files(files))
        .await
        .map_err(|e| ctx.fail(e))?;
    // The raw files carry identity: gone as soon as they are read.
    drop(folder);
    Ok(render(&ResultPage {
        shell: ctx.shell("centre"),
        pseudonym,
        report,
    }))
}

/// A folder only the server's user can read, removed when dropped.
fn private_folder(staging: &std::path::Path) -> Result<tempfile::TempDir, AppError> {
    std::fs::create_dir_all(staging).map_err(AppError::internal)?;
    tempfile::Builder::new()
        .prefix("upload-")
        .tempdir_in(staging)
        .map_err(AppError::internal)
}

/// Writes every file part to its own file in `folder`, chunk by chunk.
async fn stream_to_disk(
    mut multipart: Multipart,
    folder: &std::path::Path,
) -> Result<Vec<StagedFile>, AppError> {
    let mut files = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("files") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let path = folder.join(files.len().to_string());
        let mut out = tokio::fs::File::create(&path)
            .await
            .map_err(AppError::internal)?;
        let mut written = 0usize;
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            written += chunk.len();
            out.write_all(&chunk).await.map_err(AppError::internal)?;
        }
        out.flush().await.map_err(AppError::internal)?;
        if name.is_empty() && written == 0 {
            // The empty part a form sends when no file was chosen.
            continue;
        }
        files.push(StagedFile { name, path });
    }
    Ok(files)
}

fn unreadable(err: axum::extract::multipart::MultipartError) -> AppError {
    AppError::invalid(format!(
        "The upload could not be read: {}. Nothing was stored.",
        err.body_text()
    ))
}

/// `GET /studies/{study}`: the series with thumbnails and a frame each.
pub(crate) async fn page(ctx: Ctx, Path(study): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let d = ctx
        .state
        .app
        .study_series(caller, &study)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&StudyPage {
        shell: ctx.shell("centre"),
        d,
    }))
}

/// `GET /studies/{study}/series/{series}/thumbnail`.
pub(crate) async fn thumbnail(
    ctx: Ctx,
    Path((study, series)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let drawn = ctx
        .state
        .app
        .series_thumbnail(caller, &study, &series)
        .await;
    image(&ctx, drawn)
}

/// How the page asks for a frame: a preset (`lung`, `bone`, …) or an
/// explicit centre and width, inverted or not, and a box to fit.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct FrameParams {
    #[serde(default)]
    preset: String,
    center: Option<f64>,
    width: Option<f64>,
    #[serde(default)]
    invert: bool,
    size: Option<u32>,
}

/// `GET /studies/{study}/series/{series}/instances/{sop}/frames/{frame}/rendered`
/// (frames numbered from 1, as in DICOMweb).
pub(crate) async fn frame(
    ctx: Ctx,
    Path((study, series, sop, frame)): Path<(String, String, String, u32)>,
    Query(params): Query<FrameParams>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let Some(index) = frame.checked_sub(1) else {
        return Err(ctx.fail(AppError::invalid("Frames are numbered from 1.")));
    };
    let window = match (
        WindowPreset::from_name(&params.preset),
        params.center,
        params.width,
    ) {
        (Some(preset), _, _) => WindowChoice::Preset(preset),
        (None, Some(center), Some(width)) if width > 0.0 => {
            WindowChoice::Explicit(Window { center, width })
        }
        _ => WindowChoice::FromFile,
    };
    let side = params.size.unwrap_or(PREVIEW_SIDE).clamp(16, 4096);
    let request = RenderRequest {
        window,
        invert: params.invert,
        format: None,
        size: OutputSize::Fit {
            width: side,
            height: side,
        },
    };
    let drawn = ctx
        .state
        .app
        .rendered_frame(caller, &study, &series, &sop, index, request)
        .await;
    image(&ctx, drawn)
}

/// The image, or for a frame that cannot be decoded a placeholder naming
/// the reason (with a header scripts and tests can read).
fn image(
    ctx: &Ctx,
    drawn: Result<(Vec<u8>, &'static str), AppError>,
) -> Result<Response, PageError> {
    match drawn {
        Ok((bytes, media_type)) => {
            Ok(([(header::CONTENT_TYPE, media_type)], bytes).into_response())
        }
        Err(err) if err.code == ErrorCode::PreviewUnavailable => {
            let mut response = (
                [(header::CONTENT_TYPE, "image/svg+xml")],
                placeholder(&err.message),
            )
                .into_response();
            response
                .headers_mut()
                .insert("x-preview-unavailable", HeaderValue::from_static("true"));
            Ok(response)
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

fn placeholder(reason: &str) -> String {
    let text: String = reason
        .chars()
        .take(120)
        .map(|c| match c {
            '<' | '>' | '&' | '"' | '\'' => ' ',
            c => c,
        })
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"160\" viewBox=\"0 0 320 160\">\
         <rect width=\"320\" height=\"160\" fill=\"#eceff3\"/>\
         <text x=\"160\" y=\"70\" font-family=\"sans-serif\" font-size=\"14\" text-anchor=\"middle\" fill=\"#333\">Preview not available</text>\
         <text x=\"160\" y=\"95\" font-family=\"sans-serif\" font-size=\"9\" text-anchor=\"middle\" fill=\"#555\">{text}</text></svg>"
    )
}
